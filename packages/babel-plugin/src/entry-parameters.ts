import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
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
  if (mentions(fn.node.body, "arguments") || mentions(fn.node.body, "eval") || fn.node.params.some((p) => mentions(p, "arguments") || mentions(p, "eval"))) return kept;
  const names = parameterNames(fn.node.params);
  names.forEach((name, position) => {
    if (names.indexOf(name) !== names.lastIndexOf(name)) return;
    const binding = fn.scope.getOwnBinding(name);
    if (binding !== undefined && binding.kind === "param" && binding.constant) kept.set(name, position);
  });
  return kept;
}

/** Whether an identifier `name` occurs anywhere in `node` (nested functions included). */
function mentions(node: t.Node, name: string): boolean {
  if (t.isIdentifier(node)) return node.name === name;
  const keys = t.VISITOR_KEYS[node.type];
  if (keys === undefined) return false;
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item !== null && typeof item === "object" && mentions(item as t.Node, name)) return true;
    } else if (child !== null && typeof child === "object" && mentions(child as t.Node, name)) {
      return true;
    }
  }
  return false;
}
