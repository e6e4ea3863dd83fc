import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";

/**
 * The name a JavaScript developer would give a function: `add`, `Point#norm` (instance method),
 * `Point.create` (static), `get Point#x`, `obj.handler`, `Point.constructor`, and
 * `<anonymous:LINE:COL>` when nothing names it.
 */
export function functionDisplayName(path: NodePath<t.Function | t.StaticBlock | t.ClassProperty | t.ClassPrivateProperty>, line: number, column: number): string {
  const node = path.node;
  if (t.isStaticBlock(node)) return `${className(path)} static {}`;
  if (t.isClassProperty(node) || t.isClassPrivateProperty(node)) {
    return `${className(path)}${node.static ? "." : "#"}${keyName(node)} =`;
  }
  if (t.isClassMethod(node) || t.isClassPrivateMethod(node)) {
    const owner = className(path);
    if (t.isClassMethod(node) && node.kind === "constructor") return `${owner}.constructor`;
    const base = `${owner}${node.static ? "." : "#"}${keyName(node)}`;
    return node.kind === "get" ? `get ${base}` : node.kind === "set" ? `set ${base}` : base;
  }
  if (t.isObjectMethod(node)) {
    const base = qualifiedObjectKey(path, keyName(node));
    return node.kind === "get" ? `get ${base}` : node.kind === "set" ? `set ${base}` : base;
  }
  if ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node)) && node.id) return node.id.name;
  const inferred = inferredName(path);
  if (inferred !== undefined) return inferred;
  if (t.isFunctionDeclaration(node)) return "default";
  return `<anonymous:${line}:${column + 1}>`;
}

function keyName(node: t.ClassMethod | t.ClassPrivateMethod | t.ObjectMethod | t.ClassProperty | t.ClassPrivateProperty | t.ObjectProperty): string {
  const key = node.key;
  if (t.isPrivateName(key)) return `#${key.id.name}`;
  const computed = "computed" in node && node.computed;
  if (!computed && t.isIdentifier(key)) return key.name;
  if (t.isStringLiteral(key)) return computed ? `[${JSON.stringify(key.value)}]` : key.value;
  if (t.isNumericLiteral(key)) return String(key.value);
  if (t.isIdentifier(key)) return `[${key.name}]`;
  if (t.isMemberExpression(key) && !key.computed && t.isIdentifier(key.object) && t.isIdentifier(key.property)) {
    return `[${key.object.name}.${key.property.name}]`;
  }
  return "[computed]";
}

function className(path: NodePath): string {
  const classPath = path.findParent((p) => p.isClass()) as NodePath<t.Class> | null;
  if (classPath === null) return "<class>";
  const node = classPath.node;
  if (node.id) return node.id.name;
  const inferred = inferredName(classPath);
  return inferred ?? "<anonymous class>";
}

/** `obj.method` when the object literal is bound to a name, otherwise just `method`. */
function qualifiedObjectKey(path: NodePath, key: string): string {
  const objectPath = path.parentPath;
  if (objectPath?.isObjectExpression()) {
    const owner = inferredName(objectPath);
    // a computed key reads as an index: `obj[Symbol.iterator]`, not `obj.[Symbol.iterator]`
    if (owner !== undefined) return key.startsWith("[") ? `${owner}${key}` : `${owner}.${key}`;
  }
  return key;
}

/** A name given by the position of an expression: `const f = …`, `a.b = …`, `{ key: … }`, `f = …`. */
function inferredName(path: NodePath): string | undefined {
  const parent = path.parentPath;
  if (parent === null) return undefined;
  const p = parent.node;
  if (t.isVariableDeclarator(p) && p.init === path.node && t.isIdentifier(p.id)) return p.id.name;
  if (t.isAssignmentExpression(p) && p.right === path.node) return memberName(p.left);
  if (t.isAssignmentPattern(p) && p.right === path.node && t.isIdentifier(p.left)) return p.left.name;
  if (t.isObjectProperty(p) && p.value === path.node) return qualifiedObjectKey(parent, keyName(p));
  if ((t.isClassProperty(p) || t.isClassPrivateProperty(p)) && p.value === path.node) {
    return `${className(parent)}${p.static ? "." : "#"}${keyName(p)}`;
  }
  if (t.isExportDefaultDeclaration(p)) return "default";
  // a function passed to a call is that call's callback; an object literal passed along is no one's
  if (t.isCallExpression(p) && (t.isFunction(path.node) || t.isClass(path.node)) && p.arguments.includes(path.node as t.Expression)) {
    const callee = memberName(p.callee);
    if (callee !== undefined) return `${callee} callback`;
  }
  return undefined;
}

function memberName(node: t.Node): string | undefined {
  if (t.isIdentifier(node)) return node.name;
  if (t.isThisExpression(node)) return "this";
  if (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) {
    const object = memberName(node.object);
    if (object === undefined) return undefined;
    if (!node.computed && t.isIdentifier(node.property)) return `${object}.${node.property.name}`;
    if (t.isPrivateName(node.property)) return `${object}.#${node.property.id.name}`;
    if (t.isStringLiteral(node.property)) return `${object}[${JSON.stringify(node.property.value)}]`;
    return `${object}[…]`;
  }
  return undefined;
}
