/**
 * How a file binds the probes object (probes-binding.ts): a `const` wherever the file's top level
 * is a module or a CommonJS function scope, a `var` in classic scripts, and a TDZ-safe accessor for
 * code that a cyclic import can run before the module's body.
 */
import { parseSync, traverse } from "@babel/core";
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { describe, expect, it } from "vitest";
import { mayBeInImportCycle, mayRunBeforeBody, probesBindingOf } from "../src/probes-binding.js";
import { loggingProbes, runScripts, transformWithPlugin } from "./plugin-harness.js";

function programOf(code: string, sourceType: "module" | "script"): NodePath<t.Program> {
  const ast = parseSync(code, { configFile: false, babelrc: false, sourceType, parserOpts: { allowReturnOutsideFunction: true } })!;
  let program: NodePath<t.Program> | undefined;
  traverse(ast, { Program(path) { program = path; } });
  return program!;
}

/** The function named `name` in `code`. */
function functionNamed(program: NodePath<t.Program>, name: string): NodePath {
  let found: NodePath | undefined;
  program.traverse({
    Function(path) {
      const id = (path.node as { id?: t.Identifier | null }).id;
      const bound = path.parentPath.isVariableDeclarator() ? (path.parentPath.node.id as t.Identifier).name : undefined;
      if (id?.name === name || bound === name) found = path;
    },
  });
  return found!;
}

describe("probes binding", () => {
  it("is a const in modules and CommonJS files, a var in classic scripts", () => {
    expect(probesBindingOf(programOf("export const a = 1;", "module"))).toBe("const");
    expect(probesBindingOf(programOf("const fs = require('fs');", "script"))).toBe("const");
    expect(probesBindingOf(programOf("module.exports = 1;", "script"))).toBe("const");
    expect(probesBindingOf(programOf("exports.a = 1;", "script"))).toBe("const");
    expect(probesBindingOf(programOf("var a = 1; function f() {}", "script"))).toBe("var");
    // a local `require` is not CommonJS's
    expect(probesBindingOf(programOf("function require() {} require();", "script"))).toBe("var");
  });

  it("lets a classic script be loaded twice in one realm, as it could be without ctjs", () => {
    const source = "var count = (typeof count === 'number' ? count : 0) + 1;\nfunction hello() { return 'hello ' + count; }\nprint(hello());\n";
    const code = transformWithPlugin(source, "/projects/app/twice.js", {}, { sourceType: "script" }).code;
    const scripts = [{ code, filename: "twice-1" }, { code, filename: "twice-2" }];
    expect(runScripts(scripts).printed).toEqual(["hello 1", "hello 2"]);
    const { log, probes } = loggingProbes();
    expect(runScripts(scripts, probes).printed).toEqual(["hello 1", "hello 2"]);
    expect(log.filter((l) => l.startsWith("enter") && l.includes("hello"))).toHaveLength(2);
  });

  it("knows which modules can be in an import cycle", () => {
    expect(mayBeInImportCycle(programOf("import a from './a.mjs'; export function f() {}", "module"))).toBe(true);
    expect(mayBeInImportCycle(programOf("export { a } from './a.mjs';", "module"))).toBe(true);
    expect(mayBeInImportCycle(programOf("export * from './a.mjs';", "module"))).toBe(true);
    expect(mayBeInImportCycle(programOf("export function f() {} export const g = () => 1;", "module"))).toBe(false);
    expect(mayBeInImportCycle(programOf("const a = require('./a');", "script"))).toBe(false);
  });

  it("knows which code can run before the module's body: what lies in a top-level function declaration", () => {
    const program = programOf(
      `export function hoisted() { const inner = () => 1; class K { m() { return 2 } } return inner }
export default function fallback() {}
function plain() { return function nested() {} }
export const expression = function () {};
const arrow = () => 1;
class Top { method() {} }
{ function inBlock() {} }
`,
      "module",
    );
    for (const name of ["hoisted", "inner", "fallback", "plain", "nested"]) expect(mayRunBeforeBody(functionNamed(program, name)), name).toBe(true);
    for (const name of ["expression", "arrow", "inBlock"]) expect(mayRunBeforeBody(functionNamed(program, name)), name).toBe(false);
    let method: NodePath | undefined;
    let topMethod: NodePath | undefined;
    program.traverse({ ClassMethod(path) { if ((path.node.key as t.Identifier).name === "m") method = path; else topMethod = path; } });
    expect(mayRunBeforeBody(method!)).toBe(true);
    expect(mayRunBeforeBody(topMethod!)).toBe(false);
  });
});
