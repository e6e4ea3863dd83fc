import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";

/**
 * How a file binds the realm's probes object. With `const`, optimised code treats the object as a
 * constant, and V8 folds a flag field that was never written into its value: while nothing has
 * recorded yet, every `probes.onLine && …` test compiles to nothing. A `var` slot is reloaded and
 * tested on every use (three tiny functions called in a loop: 1.7x their plain time, against
 * 1.0x with the `const`). Two places cannot take a `const`:
 * - a script that is not CommonJS (a classic script) declares it globally, and loading the same
 *   script twice would redeclare it; there the `var` is a global whose cell V8 folds all the same;
 * - in an ES module that imports others, a cyclic import can call the module's hoisted function
 *   declarations before its body ran: code inside them reads the binding in a TDZ-safe way.
 */
export type ProbesBinding = "const" | "var";

export function probesBindingOf(program: NodePath<t.Program>): ProbesBinding {
  if (program.node.sourceType === "module") return "const";
  const scope = program.scope;
  const commonJs = ["require", "module", "exports", "__dirname", "__filename"].some((name) => scope.hasGlobal(name));
  return commonJs ? "const" : "var";
}

/** An ES module that imports or re-exports others: it can be part of an import cycle. */
export function mayBeInImportCycle(program: NodePath<t.Program>): boolean {
  if (program.node.sourceType !== "module") return false;
  return program.node.body.some((s) => t.isImportDeclaration(s) || t.isExportAllDeclaration(s) || (t.isExportNamedDeclaration(s) && s.source != null));
}

/**
 * Whether code owned by `owner` can run before the module's body: it lies inside a top-level
 * function declaration (hoisted, so callable by a module that this one imports in a cycle).
 */
export function mayRunBeforeBody(owner: NodePath): boolean {
  let outermost: NodePath | null = null;
  for (let p: NodePath | null = owner; p !== null && !p.isProgram(); p = p.parentPath) {
    if (p.isFunction()) outermost = p;
  }
  if (outermost === null || !outermost.isFunctionDeclaration()) return false;
  const parent = outermost.parentPath;
  return parent !== null && (parent.isProgram() || ((parent.isExportNamedDeclaration() || parent.isExportDefaultDeclaration()) && parent.parentPath?.isProgram() === true));
}
