// A program using an npm package: node_modules is not instrumented by default (it runs at full
// speed and the trace shows only your code), add --include 'node_modules/picomatch/**' to see it.
import picomatch from "picomatch";

const isSource = picomatch(["**/*.js", "**/*.ts"], { ignore: "**/node_modules/**" });
const files = ["src/a.js", "src/b.ts", "node_modules/x/index.js", "README.md"];
for (const file of files) {
  console.log(file, isSource(file) ? "source" : "other");
}
