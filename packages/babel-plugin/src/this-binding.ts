import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";

/** The name under which a line step shows `this`: a reserved word, so no variable can have it. */
export const THIS_NAME = "this";

/** At most this many private fields are shown with `this` (the first declared win). */
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
   * The class whose private fields the steps show inside `this`, when an instance member of a
   * class that declares private fields binds it (see private-field-readers.ts).
   */
  readonly fieldsOf: NodePath<t.Class> | undefined;
}

const ANYWHERE = { start: 0, end: Infinity };

/**
 * How code owned by `owner` (a function, static block or the program) sees `this`, or undefined
 * when its steps do not show it. An arrow sees the `this` of the code around it.
 */
export function thisAtOwner(owner: NodePath): ThisAtOwner | undefined {
  const binder = thisBinder(owner);
  if (binder === undefined) return undefined;
  const readable = binder.isClassMethod({ kind: "constructor" }) ? readableInConstructor(binder as NodePath<t.ClassMethod>) : ANYWHERE;
  if (readable === undefined) return undefined;
  return { readable, fieldsOf: instanceFieldsClass(binder) };
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
 * code around the class.
 */
function thisBinder(owner: NodePath): NodePath | undefined {
  if (!owner.isArrowFunctionExpression()) return bindsThis(owner) ? owner : undefined;
  let child: NodePath = owner;
  for (let p: NodePath | null = owner.parentPath; p !== null; child = p, p = p.parentPath) {
    if (p.isProgram()) return undefined;
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
 * The class of an instance member (its `this` is an instance) that declares private fields;
 * static members see the class itself as `this`, which the recorder shows as text.
 */
function instanceFieldsClass(binder: NodePath): NodePath<t.Class> | undefined {
  const classBody = binder.parentPath;
  if (classBody === null || !classBody.isClassBody()) return undefined;
  if (binder.isStaticBlock() || (binder.node as { static?: boolean }).static === true) return undefined;
  const owner = classBody.parentPath as NodePath<t.Class>;
  return privateFieldNames(owner.node).length > 0 ? owner : undefined;
}

/** `#name`s of a class's instance private fields, in declaration order: never private methods or accessors, whose reads run user code or show functions. */
export function privateFieldNames(node: t.Class): string[] {
  const fields: string[] = [];
  for (const member of node.body.body) {
    if (!t.isClassPrivateProperty(member) || member.static === true) continue;
    const name = `#${member.key.id.name}`;
    if (!fields.includes(name)) fields.push(name);
  }
  return fields.slice(0, MAX_PRIVATE_FIELDS_PER_SITE);
}
