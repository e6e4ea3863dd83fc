// webpack loader for the tests: compiles TypeScript with esbuild (webpack has no TypeScript of
// its own), passing the incoming source map on so that maps compose across loaders.
const esbuild = require("esbuild");

module.exports = function esbuildTsLoader(source) {
  const result = esbuild.transformSync(source, { loader: "ts", sourcemap: "external", sourcefile: this.resourcePath });
  this.callback(null, result.code, JSON.parse(result.map));
};
