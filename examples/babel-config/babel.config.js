// Every file Babel builds is instrumented; each imports the runtime's auto-start module, so that
// running the build with CTJS_TRACE=<dir> records it (and without it, the code stays dormant).
// "unambiguous" lets Babel see these CommonJS files as scripts, so the runtime is require()d.
module.exports = {
  sourceType: "unambiguous",
  plugins: [["@ctjs/babel-plugin", { runtimeImport: "@ctjs/runtime/auto-start" }]],
};
