import type { Binding, NodePath, Scope } from "@babel/traverse";
import * as t from "@babel/types";

/** At most this many variables are captured at one site (the nearest declarations win). */
export const MAX_VARIABLES_PER_SITE = 64;

/**
 * The variables whose values a line step at `at` may read without changing what the program
 * does: the owner function's own parameters, `var`s, catch parameters and loop variables, and its
 * `let`/`const` bindings only once their declaration has run (never one in its temporal dead
 * zone). Bindings of enclosing functions are left out: a closure may run while they are still
 * uninitialized.
 */
export function visibleVariables(at: NodePath, ownerScope: Scope, generated: ReadonlySet<string>): string[] {
  const start = at.node.start;
  if (start === null || start === undefined) return [];
  const found: Array<{ name: string; order: number }> = [];
  const seen = new Set<string>();
  for (let scope: Scope | undefined = at.scope; scope !== undefined; scope = scope.parent) {
    for (const name of Object.keys(scope.bindings)) {
      // TypeScript's `this` parameter only types `this`, which the site passes itself where readable
      if (seen.has(name) || generated.has(name) || name === "this") continue;
      // an inner binding hides outer ones of the same name, even while it is not readable yet
      seen.add(name);
      const binding = scope.bindings[name]!;
      const order = initializedBefore(binding, at, start);
      if (order === undefined) continue;
      found.push({ name, order });
    }
    if (scope === ownerScope) break;
  }
  found.sort((a, b) => a.order - b.order);
  return found.slice(-MAX_VARIABLES_PER_SITE).map((f) => f.name);
}

/** The declaration's position if the binding is a readable value at `at`, otherwise undefined. */
function initializedBefore(binding: Binding, at: NodePath, start: number): number | undefined {
  const id = binding.identifier;
  const order = id.start ?? 0;
  switch (binding.kind) {
    case "param":
    case "var":
      return isTypeOnly(binding.path) ? undefined : order;
    case "let":
    case "const": {
      const declPath = binding.path;
      if (declPath.isClassDeclaration() || declPath.isClassExpression() || isTypeOnly(declPath)) return undefined;
      if (declPath.isCatchClause()) return (id.end ?? Infinity) <= start ? order : undefined;
      const statement = declPath.isVariableDeclarator() ? declPath.parentPath : declPath;
      const end = statement?.node.end;
      if (end === null || end === undefined || end > start) return undefined;
      // `switch` cases share one scope: a `let` of another case may never have run
      const declCase = statement?.parentPath?.isSwitchCase() ? statement.parentPath : undefined;
      if (declCase !== undefined && !at.findParent((p) => p === declCase)) return undefined;
      return order;
    }
    default:
      return undefined;
  }
}

function isTypeOnly(path: NodePath): boolean {
  const node = path.node;
  if (t.isVariableDeclarator(node) && path.parentPath?.isVariableDeclaration() && path.parentPath.node.declare) return true;
  return node.type.startsWith("TS") || node.type.startsWith("Declare");
}
