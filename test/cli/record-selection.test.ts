/**
 * Which files `ctjs record` instruments: by default every JS/TS file under the cwd except
 * node_modules; --include adds files (a package, a folder outside the cwd), --exclude removes
 * them and wins.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { expectValidTrace, factsOf, outcome, runCtjs, runNode, scratchDir, writeTree } from "./recording.js";

const scratch = scratchDir("selection");

describe("which files are instrumented", () => {
  const root = writeTree(path.join(scratch, "selection"), {
    "project/main.js": `const { helper } = require("./src/util.js");
const { generated } = require("./src/gen/generated.js");
const { shared } = require("../shared/outside.js");
const { secret } = require("../shared/secret.js");
console.log(helper(1), generated(2), shared(3), secret(4));
`,
    "project/src/util.js": `exports.helper = function helper(n) {\n  return n + 100;\n};\n`,
    "project/src/gen/generated.js": `exports.generated = function generated(n) {\n  return n + 200;\n};\n`,
    "shared/outside.js": `exports.shared = function shared(n) {\n  return n + 300;\n};\n`,
    "shared/secret.js": `exports.secret = function secret(n) {\n  return n + 400;\n};\n`,
  });
  const cwd = path.join(root, "project");

  it("by default the files under the cwd; --include adds, --exclude removes and wins (both repeatable)", () => {
    const plain = runNode(["main.js"], { cwd });
    const defaults = path.join(scratch, "selection-default");
    expect(runCtjs(["record", "-q", "-o", defaults, "main.js"], { cwd }).status).toBe(0);
    expect(factsOf(defaults).callNames().filter((n) => !n.startsWith("<"))).toEqual(["helper", "generated"]);

    const out = path.join(scratch, "selection-trace");
    const args = ["--include", "../shared/**", "--include", "../nothing/**", "--exclude", "src/gen/**", "--exclude", "../shared/secret.js"];
    const run = runCtjs(["record", "-q", "-o", out, ...args, "main.js"], { cwd });
    expect(outcome(run)).toEqual(outcome(plain));
    expect(run.stdout).toBe("101 202 303 404\n");
    expectValidTrace(out);
    const facts = factsOf(out);
    expect(facts.callNames().filter((n) => !n.startsWith("<"))).toEqual(["helper", "shared"]);
    expect([...facts.paths].sort()).toEqual([path.join(cwd, "main.js"), path.join(cwd, "src/util.js"), path.join(root, "shared/outside.js")].sort());
  });

  it("--include 'node_modules/<pkg>/**' opts a (pnpm-symlinked) package in, beside the program's own files", () => {
    const dir = path.join(ROOT, "examples/npm-dependency");
    const out = path.join(scratch, "package-trace");
    const plain = runNode(["match.js"], { cwd: dir });
    const run = runCtjs(["record", "-q", "-o", out, "--include", "node_modules/picomatch/**", "--exclude", "node_modules/picomatch/lib/scan.js", "match.js"], { cwd: dir });
    expect(outcome(run)).toEqual(outcome(plain));
    expectValidTrace(out);
    const facts = factsOf(out);
    const packageFiles = facts.paths.filter((p) => p.includes(`${path.sep}picomatch${path.sep}`));
    expect(packageFiles.map((p) => path.relative(path.dirname(packageFiles[0]!), p))).toContain("index.js");
    expect(packageFiles.some((p) => p.endsWith(`lib${path.sep}scan.js`))).toBe(false);
    expect(facts.paths).toContain(path.join(dir, "match.js"));
    // the example's own call into the package, recorded from inside it
    const call = facts.callsOf("picomatch")[0];
    expect(call?.args).toMatchObject({ glob: ["**/*.js", "**/*.ts"], options: { ignore: "**/node_modules/**" } });
    expect(facts.callNames()).not.toContain("scan");
  });
});

it("ctjs itself is never instrumented, even when the globs name it", () => {
  const out = path.join(scratch, "own-trace");
  const script = "examples/hello/hello.js";
  const run = runCtjs(["record", "-q", "-o", out, "--include", "node_modules/**", "--include", "packages/**", script], { cwd: ROOT });
  expect(outcome(run)).toEqual(outcome(runNode([script], { cwd: ROOT })));
  expect(run.stderr).toBe("");
  expectValidTrace(out);
  expect(factsOf(out).paths).toEqual([path.join(ROOT, script)]);
});
