/**
 * The plugin as a project's babel.config.js applies it: `transformSync(code, { filename,
 * plugins: [[plugin, options]], configFile: false })`, with Babel's own defaults otherwise.
 */
import { parseSync, transformSync } from "@babel/core";
import * as t from "@babel/types";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import ctjsBabelPlugin, { instrumentSource } from "../src/index.js";
import { validateTrace } from "../../../test/helpers/differential.js";
import { traceFacts, type TraceEvent } from "../../../test/helpers/trace-facts.js";
import { AUTO_START, RUNTIME_ENTRY, emittedTable, loggingProbes, runNode, runScripts, scratchDir, transformWithPlugin, writeFile } from "./plugin-harness.js";

const require = createRequire(import.meta.url);
const { readTraceEvents } = (await import(RUNTIME_ENTRY)) as { readTraceEvents(dir: string): TraceEvent[] };

const PROGRAM = `export function add(a, b) {
  const sum = a + b;
  return sum;
}
class Counter {
  count = 0;
  increment() { return ++this.count; }
}
const counter = new Counter();
counter.increment();
console.log(add(2, 3), counter.count);
`;

describe("output", () => {
  it("runs as the original does, dormant and recorded", () => {
    const dir = scratchDir();
    const original = writeFile(path.join(dir, "src/app.mjs"), PROGRAM);
    const output = transformWithPlugin(PROGRAM, original);
    expect(output.ctjs).toMatchObject({ instrumented: true, path: original, functions: 4, uninstrumented: [] });
    const built = writeFile(path.join(dir, "dist/app.mjs"), output.code);
    expect(runNode([original]).stdout).toBe("5 1\n");
    const dormant = runNode([built]);
    expect(dormant).toMatchObject({ stdout: "5 1\n", stderr: "", status: 0 });
    const traceDir = path.join(dir, "trace");
    const recorded = runNode(["--import", AUTO_START, built], { env: { CTJS_TRACE: traceDir, CTJS_FORMAT: "json" } });
    expect(recorded).toMatchObject({ stdout: "5 1\n", stderr: "", status: 0 });
    const validation = validateTrace(traceDir);
    expect(validation.ok, validation.output).toBe(true);
    const facts = traceFacts(readTraceEvents(traceDir));
    expect(facts.paths).toContain(original);
    expect(facts.callsOf("add")).toMatchObject([{ args: { a: 2, b: 3 }, returned: 5 }]);
    expect(facts.callsOf("Counter#increment")).toMatchObject([{ returned: 1 }]);
    expect(facts.callsOf("Counter#count =")).toMatchObject([{ returned: 0 }]);
  });

  it("runs from CommonJS too", () => {
    const dir = scratchDir();
    const source = 'const path = require("node:path");\nfunction base(p) { return path.basename(p); }\nmodule.exports = { base };\nconsole.log(base("/a/b.txt"));\n';
    const output = transformWithPlugin(source, path.join(dir, "cjs.cjs"), {}, { sourceType: "script" });
    const built = writeFile(path.join(dir, "cjs.cjs"), output.code);
    expect(runNode([built])).toMatchObject({ stdout: "b.txt\n", status: 0 });
  });
});

describe("already instrumented code", () => {
  it("is left exactly as it is when transformed again, and the metadata says so", () => {
    const filename = "/projects/app/src/app.mjs";
    const once = transformWithPlugin(PROGRAM, filename);
    const twice = transformWithPlugin(once.code, filename);
    expect(twice.code).toBe(once.code);
    expect(twice.ctjs).toEqual({ instrumented: false, reason: "already-instrumented" });
    expect(emittedTable(twice.code)).toEqual(emittedTable(once.code));
  });

  it("is recognised whatever Babel options produced it (instrumentSource's retained lines, another file name, a script)", () => {
    const once = instrumentSource(PROGRAM, { filename: "/projects/app/src/app.mjs" });
    const again = transformWithPlugin(once.code, "/projects/app/dist/copied.mjs", {}, { retainLines: true });
    expect(again.code).toBe(once.code);
    expect(again.ctjs?.reason).toBe("already-instrumented");
    const script = transformWithPlugin("function f() { return 1; }\nf();\n", "/projects/app/s.js", {}, { sourceType: "script" });
    expect(transformWithPlugin(script.code, "/projects/app/s.js", {}, { sourceType: "script" }).ctjs?.reason).toBe("already-instrumented");
  });

  it("is recognised when a TypeScript plugin runs in the same pass", () => {
    const filename = "/projects/app/src/typed.ts";
    const config = { filename, configFile: false as const, babelrc: false as const, plugins: [[ctjsBabelPlugin, {}], require.resolve("@babel/plugin-transform-typescript")] };
    const once = transformSync("export function f(x: number): number { return x; }\n", config)!;
    const twice = transformSync(once.code!, config)!;
    expect(twice.code).toBe(once.code);
    expect((twice.metadata as { ctjs?: { reason?: string } }).ctjs?.reason).toBe("already-instrumented");
  });

  it("is not mistaken for user code that merely mentions the probes key", () => {
    const source = 'const key = Symbol.for("ctjs.probes");\nfunction probe() { return globalThis[key]; }\nprobe();\n';
    expect(transformWithPlugin(source, "/projects/app/mentions.mjs").ctjs?.instrumented).toBe(true);
  });
});

/** Every identifier name the code mentions (bindings, references, property keys). */
function identifierNames(code: string, sourceType: "module" | "script"): Set<string> {
  const names = new Set<string>();
  t.traverseFast(parseSync(code, { configFile: false, babelrc: false, sourceType })!, (node) => {
    if (t.isIdentifier(node)) names.add(node.name);
  });
  return names;
}

/**
 * Names the file-level preamble declares (its variables, its functions, its probes binding) and
 * the names of the `<module>` frame's declaration that ends it.
 */
function preambleNames(code: string, sourceType: "module" | "script"): string[] {
  const body = parseSync(code, { configFile: false, babelrc: false, sourceType })!.program.body.filter((s) => !t.isImportDeclaration(s));
  const names: string[] = [];
  for (const s of body) {
    if (t.isFunctionDeclaration(s)) names.push(s.id!.name);
    else if (t.isVariableDeclaration(s)) names.push(...s.declarations.map((d) => (d.id as t.Identifier).name));
    else throw new Error("unexpected preamble");
    // the frame declaration (local, frame, result, temp) comes last
    if (t.isVariableDeclaration(s) && s.declarations.length === 4) return names;
  }
  throw new Error("no frame declaration");
}

const SHADOWING = `const _ct = "ct", _c = "c", _ctf = "ctf", _ctr = "ctr", _ctt = "ctt", _ctv = "ctv", _ctF = "ctF", _ctI = "ctI";
var _ct2 = "ct2", _c2 = "c2";
function _ctf2(_ctr2, _ctt2 = _ctr2 + "!") {
  let _c3 = _ctt2;
  for (const _ctv2 of [1]) _c3 += _ctv2;
  try { throw _c3; } catch (_ctF2) { _c3 = _ctF2 + "?"; }
  return _c3;
}
class _ctI2 { _ct = _ctv; static _c = _ctF; get _ctr() { return _ctr; } }
print([_ct, _c, _ctf, _ctr, _ctt, _ctv, _ctF, _ctI, _ct2, _c2, _ctf2("x"), new _ctI2()._ct, _ctI2._c, new _ctI2()._ctr].join(","));
print(typeof _ctt3, typeof _ct3);
`;
const SHADOWING_OUTPUT = "ct,c,ctf,ctr,ctt,ctv,ctF,ctI,ct2,c2,x!1?,ctv,ctF,ctr";

describe("generated identifiers", () => {
  it.each(["module", "script"] as const)("never collide with the user's identifiers (%s)", (sourceType) => {
    const filename = `/projects/app/shadow.${sourceType === "module" ? "mjs" : "cjs"}`;
    const output = transformWithPlugin(SHADOWING, filename, {}, { sourceType });
    const userNames = identifierNames(SHADOWING, sourceType);
    const generated = preambleNames(output.code, sourceType);
    expect(generated).toHaveLength(8);
    for (const name of generated) expect(userNames.has(name), `${name} is a user identifier`).toBe(false);
    // the program sees its own bindings, dormant and while the probes report
    const plain = runScripts([{ code: SHADOWING, filename }]).printed;
    expect(plain).toEqual([SHADOWING_OUTPUT, "undefined undefined"]);
    const code = sourceType === "module" ? output.code.replace(/^export \{\};?$/m, "") : output.code;
    expect(runScripts([{ code, filename }]).printed).toEqual(plain);
    const { log, probes } = loggingProbes();
    expect(runScripts([{ code, filename }], probes).printed).toEqual(plain);
    expect(log).toContain('enter shadow.' + (sourceType === "module" ? "mjs" : "cjs") + ':_ctf2(_ctr2="x" _ctt2="x!")');
    expect(log).toContain('exit _ctf2 "x!1?"');
  });

  it("avoid names used only inside functions and undeclared globals", () => {
    const source = "function f() { const _c = 1; return _c + _ctf; }\nglobalThis._ctf = 2;\nprint(f());\n";
    const output = transformWithPlugin(source, "/projects/app/inner.js", {}, { sourceType: "script" });
    for (const name of preambleNames(output.code, "script")) expect(["_c", "_ctf"]).not.toContain(name);
    const { probes } = loggingProbes();
    expect(runScripts([{ code: output.code, filename: "/projects/app/inner.js" }], probes).printed).toEqual(["3"]);
  });
});

describe("scripts and modules", () => {
  it("gives each script's file-level names a suffix of its own, so scripts sharing a global scope keep their own tables", () => {
    const first = transformWithPlugin("function first(x) { return x * 2; }\n", "/site/js/first.js", {}, { sourceType: "script" });
    const second = transformWithPlugin("function second(x) { return first(x) + 1; }\n", "/site/js/second.js", {}, { sourceType: "script" });
    const firstNames = preambleNames(first.code, "script");
    const secondNames = preambleNames(second.code, "script");
    expect(firstNames.filter((n) => secondNames.includes(n))).toEqual([]);
    const { log, probes } = loggingProbes();
    const caller = { code: "print(second(20));", filename: "/site/inline.js" };
    expect(runScripts([{ code: first.code, filename: "/site/js/first.js" }, { code: second.code, filename: "/site/js/second.js" }, caller], probes).printed).toEqual(["41"]);
    // each function reports its own file's table, whichever script loaded last
    expect(log.filter((l) => l.startsWith("enter"))).toEqual(["enter first.js:<module>()", "enter second.js:<module>()", "enter second.js:second(x=20)", "enter first.js:first(x=20)"]);
  });

  it("keeps scripts apart that Babel got without a file name", () => {
    const transform = (code: string) => transformSync(code, { configFile: false, babelrc: false, sourceType: "script", plugins: [[ctjsBabelPlugin, {}]] })!.code!;
    const first = transform("function first(x) { return x; }\n");
    const second = transform("function second(y) { return first(y) + 1; }\n");
    const { log, probes } = loggingProbes();
    runScripts([{ code: first, filename: "inline-1" }, { code: second, filename: "inline-2" }, { code: "print(second(1));", filename: "inline-3" }], probes);
    expect(log.filter((l) => l.startsWith("enter") && !l.includes("<module>"))).toEqual(["enter <unknown>:second(y=1)", "enter <unknown>:first(x=1)"]);
  });

  it("keeps a module's names plain and its imports, exports and top-level await working", () => {
    const dir = scratchDir();
    writeFile(path.join(dir, "dep.mjs"), "export const base = 40;\n");
    const source = 'import { base } from "./dep.mjs";\nexport const answer = base + (await Promise.resolve(2));\nconsole.log(answer);\n';
    const output = transformWithPlugin(source, path.join(dir, "main.mjs"), {}, { sourceType: "module" });
    expect(preambleNames(output.code, "module").every((n) => !/_[0-9a-z]{4,}$/.test(n))).toBe(true);
    writeFile(path.join(dir, "main.mjs"), output.code);
    expect(runNode([path.join(dir, "main.mjs")])).toMatchObject({ stdout: "42\n", status: 0 });
  });

  it("keeps a script's top-level return and its sloppy-mode this", () => {
    const source = "print(this === globalThis);\nif (true) return;\nprint('unreachable');\n";
    const output = transformWithPlugin(source, "/projects/app/early.cjs", {}, { sourceType: "script", parserOpts: { allowReturnOutsideFunction: true } });
    const wrapped = `(function () {\n${output.code}\n}).call(globalThis);`;
    expect(runScripts([{ code: wrapped, filename: "/projects/app/early.cjs" }]).printed).toEqual(["true"]);
    const { log, probes } = loggingProbes();
    runScripts([{ code: wrapped, filename: "/projects/app/early.cjs" }], probes);
    expect(log.filter((l) => l.startsWith("enter") || l.startsWith("exit"))).toEqual(["enter early.cjs:<module>()", "exit <module> undefined"]);
  });

  it("decides by content under sourceType unambiguous", () => {
    const asModule = transformWithPlugin("export const x = 1;\n", "/projects/app/u.js", {}, { sourceType: "unambiguous" });
    const asScript = transformWithPlugin("var x = 1;\n", "/projects/app/u.js", {}, { sourceType: "unambiguous" });
    expect(preambleNames(asModule.code, "module")).toContain("_ct");
    expect(preambleNames(asScript.code, "script").some((name) => /^_ct_[0-9a-z]+$/.test(name))).toBe(true);
  });
});
