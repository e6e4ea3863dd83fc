import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";

/** The name under which a line step shows `this`: a reserved word, so no variable can have it. */
export const THIS_NAME = "this";

/** At most this many private fields are read at one site (the first declared win). */
export const MAX_PRIVATE_FIELDS_PER_SITE = 64;

/**
 * What the line steps of one frame owner may show of `this`. Only code whose `this` is bound by a
 * class member or an object-literal method shows it: in a plain function `this` is the global
 * object (sloppy mode) or whatever the caller chose, usually undefined.
 */
export interface ThisAtOwner {
  /** Source offsets between which a step may read `this`: in a derived constructor, only after `super()` returned. */
  readonly readable: { readonly start: number; readonly end: number };
  /**
   * Private fields (`#count`) of the class whose member binds `this`: instance fields, or static
   * ones where `this` is the class. Never private methods or accessors, whose reads run user
   * code or show functions.
   */
  readonly privates: readonly string[];
  /** `this` may be a primitive or undefined (a method called on anything): `#f in this` would throw. */
  readonly mayBePrimitive: boolean;
}

const ANYWHERE = { start: 0, end: Infinity };

/**
 * How code owned by `owner` (a function, static block or the program) sees `this`, or undefined
 * when its steps do not show it. An arrow sees the `this` of the code around it.
 */
export function thisAtOwner(owner: NodePath): ThisAtOwner | undefined {
  const crossed: NodePath<t.Class>[] = [];
  const binder = thisBinder(owner, crossed);
  if (binder === undefined) return undefined;
  const readable = binder.isClassMethod({ kind: "constructor" }) ? readableInConstructor(binder as NodePath<t.ClassMethod>) : ANYWHERE;
  if (readable === undefined) return undefined;
  const mayBePrimitive = binder.isObjectMethod() || binder.isClassPrivateMethod() || (binder.isClassMethod() && binder.node.kind !== "constructor");
  return { readable, privates: privateFieldsSeenBy(binder, crossed), mayBePrimitive };
}

/** Whether a step at `at` may read `this` (it lies where `super()` has certainly returned). */
export function readsThisAt(self: ThisAtOwner, at: t.Node): boolean {
  if (self.readable === ANYWHERE) return true;
  const { start, end } = at;
  return start != null && end != null && start >= self.readable.start && end <= self.readable.end;
}

/**
 * The member that binds the `this` seen by `owner`'s code: a class method, accessor or
 * constructor, an object-literal method, a static block, or a class field whose initialiser the
 * code is in. Arrows are looked through; so are computed keys and decorators, which run in the
 * code around the class. Classes passed on the way are added to `crossed`.
 */
function thisBinder(owner: NodePath, crossed: NodePath<t.Class>[]): NodePath | undefined {
  if (!owner.isArrowFunctionExpression()) return bindsThis(owner) ? owner : undefined;
  let child: NodePath = owner;
  for (let p: NodePath | null = owner.parentPath; p !== null; child = p, p = p.parentPath) {
    if (p.isProgram()) return undefined;
    if (p.isClass()) crossed.push(p);
    if (p.isArrowFunctionExpression()) continue;
    // a method's computed key and decorators run outside it
    const inElementName = child.key === "key" || child.listKey === "decorators";
    if (p.isFunction()) {
      if (inElementName) continue;
      return bindsThis(p) ? p : undefined;
    }
    if (p.isStaticBlock()) return p;
    if (p.isClassProperty() || p.isClassPrivateProperty() || p.isClassAccessorProperty()) {
      if (child.key === "value") return p;
    }
  }
  return undefined;
}

function bindsThis(path: NodePath): boolean {
  return path.isClassMethod() || path.isClassPrivateMethod() || path.isObjectMethod() || path.isStaticBlock();
}

/**
 * Where a constructor may read `this`: anywhere in a base class; in a derived class only after a
 * `super(…)` statement at the top of its body, which every later statement of the body follows
 * (elsewhere `this` may still be in its temporal dead zone, and reading it would throw).
 */
function readableInConstructor(ctor: NodePath<t.ClassMethod>): { start: number; end: number } | undefined {
  const classNode = ctor.parentPath.parentPath?.node;
  if (!t.isClass(classNode) || classNode.superClass == null) return ANYWHERE;
  const body = ctor.node.body;
  const superStatement = body.body.find((s) => t.isExpressionStatement(s) && t.isCallExpression(s.expression) && t.isSuper(s.expression.callee));
  if (superStatement?.end == null || body.end == null) return undefined;
  return { start: superStatement.end, end: body.end };
}

/**
 * `#name`s of the private fields a brand check at the binder's code can read: fields (not methods
 * or accessors) of the binder's class, static or not as the binder is. A class passed on the way
 * (its computed keys and heritage) may declare the same private name, which would then mean its own.
 */
function privateFieldsSeenBy(binder: NodePath, crossed: NodePath<t.Class>[]): string[] {
  const classBody = binder.parentPath;
  if (classBody === null || !classBody.isClassBody()) return [];
  const isStatic = binder.isStaticBlock() || (binder.node as { static?: boolean }).static === true;
  const shadowed = new Set(crossed.flatMap((c) => c.node.body.body.flatMap(privateNameOf)));
  const fields: string[] = [];
  for (const member of classBody.node.body) {
    if (!t.isClassPrivateProperty(member) || (member.static === true) !== isStatic) continue;
    const name = `#${member.key.id.name}`;
    if (!shadowed.has(name) && !fields.includes(name)) fields.push(name);
  }
  return fields.slice(0, MAX_PRIVATE_FIELDS_PER_SITE);
}

function privateNameOf(member: t.Node): string[] {
  const key = (member as { key?: t.Node }).key;
  return t.isPrivateName(key) ? [`#${key.id.name}`] : [];
}
