import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { containsNode } from "./ast-search.js";
import { parameterNames } from "./parameter-names.js";

/**
 * Parameters a line step need not pass: never reassigned (by the function or any closure), so
 * each still holds the value the `enter` probe received, which the frame keeps. A probe costs
 * bytecode per argument, and V8 does not inline a function whose bytecode passes its limit (460
 * bytes): every argument left out keeps small instrumented functions inlinable. Kept by name,
 * with the parameter's position in the enter probe's arguments. None are kept when `arguments`
 * (which aliases parameters in sloppy mode) or `eval` (which can assign them) appears anywhere
 * in the function, nor for a name bound twice.
 */
export function parametersKeptFromEntry(fn: NodePath<t.Function>): Map<string, number> {
  const kept = new Map<string, number>();
  if ([...fn.node.params, fn.node.body].some((part) => containsNode(part, mayChangeParameters))) return kept;
  const names = parameterNames(fn.node.params);
  names.forEach((name, position) => {
    if (names.indexOf(name) !== names.lastIndexOf(name)) return;
    const binding = fn.scope.getOwnBinding(name);
    if (binding !== undefined && binding.kind === "param" && binding.constant) kept.set(name, position);
  });
  return kept;
}

/** `arguments` (aliases parameters in sloppy mode) or `eval` (can assign them), anywhere. */
function mayChangeParameters(node: t.Node): boolean {
  return t.isIdentifier(node) && (node.name === "arguments" || node.name === "eval");
}
