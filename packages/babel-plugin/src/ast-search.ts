import * as t from "@babel/types";

/**
 * Whether `node` or any node below it satisfies `matches`, walked by hand over Babel's visitor
 * keys (no scope crawl, no path objects) and stopped at the first match.
 */
export function containsNode(node: t.Node, matches: (node: t.Node) => boolean): boolean {
  if (matches(node)) return true;
  const keys = t.VISITOR_KEYS[node.type];
  if (keys === undefined) return false;
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item !== null && typeof item === "object" && containsNode(item as t.Node, matches)) return true;
    } else if (child !== null && typeof child === "object" && containsNode(child as t.Node, matches)) {
      return true;
    }
  }
  return false;
}
