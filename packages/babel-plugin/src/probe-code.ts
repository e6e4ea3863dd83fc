import * as t from "@babel/types";
import type { ProbesBinding } from "./probes-binding.js";
import { THIS_NAME } from "./this-binding.js";

/** Identifiers the instrumented code uses, chosen per file so they collide with no user name. */
export interface ProbeNames {
  /** File level: the realm's probes object (a `const`, or a `var` set by `init`: see probes-binding.ts). */
  readonly probes: string;
  /** File level: this file's site table (set by `init`). */
  readonly table: string;
  /** File level, hoisted function: sets `table` (and a `var` `probes`) and returns the probes. */
  readonly init: string;
  /** File level, hoisted function: the probes, also while a `const` `probes` is not initialised yet. */
  readonly early: string;
  /** Per function: the probes object, read once at entry. */
  readonly local: string;
  /** Per function: the Frame (or the table while dormant). */
  readonly frame: string;
  /** File level: where a class field initialiser's value waits between its probes. */
  readonly fieldValue: string;
  /** Per function: the return value slot; holds the probes object until the body completes. */
  readonly result: string;
  /** Per function: a temporary for awaited, yielded and thrown values. */
  readonly temp: string;
}

export const PROBES_SYMBOL = "ctjs.probes";

const id = (name: string) => t.identifier(name);

/** `<local>.<flag> && <local>.<method>(args…)` */
export function guardedProbe(names: ProbeNames, flag: string, method: string, args: t.Expression[]): t.LogicalExpression {
  return t.logicalExpression(
    "&&",
    t.memberExpression(id(names.local), id(flag)),
    t.callExpression(t.memberExpression(id(names.local), id(method)), args),
  );
}

/** `<local>.onLine && <local>.line(<frame>, site, values…)`: the arguments run only while recording. */
export function lineProbe(names: ProbeNames, site: number, values: t.Expression[]): t.LogicalExpression {
  return guardedProbe(names, "onLine", "line", [id(names.frame), t.numericLiteral(site), ...values]);
}

/** What a line probe passes for a name of its site: the variable, or `this` for the name "this". */
export function variableValue(name: string): t.Expression {
  return name === THIS_NAME ? t.thisExpression() : id(name);
}

/** `var <local> = <access>, <frame> = <local>.onCall ? <local>.enter(<table>, fn, params…) : <table>, <result> = <local>, <temp>;` */
export function frameDeclaration(names: ProbeNames, access: t.Expression, fn: number, params: string[]): t.VariableDeclaration {
  return t.variableDeclaration("var", [
    t.variableDeclarator(id(names.local), access),
    t.variableDeclarator(
      id(names.frame),
      t.conditionalExpression(
        t.memberExpression(id(names.local), id("onCall")),
        t.callExpression(t.memberExpression(id(names.local), id("enter")), [id(names.table), t.numericLiteral(fn), ...params.map(id)]),
        id(names.table),
      ),
    ),
    t.variableDeclarator(id(names.result), id(names.local)),
    t.variableDeclarator(id(names.temp)),
  ]);
}

/** `<local>.onCall && <local>.exit(<frame>, <value>);` */
export function exitStatement(names: ProbeNames, value: t.Expression): t.ExpressionStatement {
  return t.expressionStatement(guardedProbe(names, "onCall", "exit", [id(names.frame), value]));
}

/**
 * `(<temp> = X, <local>.onCall && <local>.suspend(<frame>, <temp>[, 1]), <temp> = <suspend <temp>>,
 *   <local>.onCall && <local>.resume(<frame>, <temp>), <temp>)` — one evaluation of X, same value.
 * The `1` marks a `yield`: a frame resumed there without a value was closed by `.return()`/`.throw()`.
 */
export function suspension(names: ProbeNames, argument: t.Expression | null, atYield: boolean, suspend: (value: t.Expression | null) => t.Expression): t.SequenceExpression {
  const temp = () => id(names.temp);
  const parts: t.Expression[] = [];
  if (argument !== null) parts.push(t.assignmentExpression("=", temp(), keepAnonymous(argument)));
  const suspendArgs: t.Expression[] = [id(names.frame), argument === null ? t.unaryExpression("void", t.numericLiteral(0)) : temp()];
  if (atYield) suspendArgs.push(t.numericLiteral(1));
  parts.push(guardedProbe(names, "onCall", "suspend", suspendArgs));
  parts.push(t.assignmentExpression("=", temp(), suspend(argument === null ? null : temp())));
  parts.push(guardedProbe(names, "onCall", "resume", [id(names.frame), temp()]));
  parts.push(temp());
  return t.sequenceExpression(parts);
}

/**
 * `(<temp> = X, <local>.onRaise && <local>.raise(<frame>, <temp>, <result>), <temp>)` — the result
 * slot tells the exit probe later whether a `finally` returned over this exception.
 */
export function raised(names: ProbeNames, argument: t.Expression): t.SequenceExpression {
  return t.sequenceExpression([
    t.assignmentExpression("=", id(names.temp), keepAnonymous(argument)),
    guardedProbe(names, "onRaise", "raise", [id(names.frame), id(names.temp), id(names.result)]),
    id(names.temp),
  ]);
}

/** `<result> = X` (for `return X`) */
export function storeResult(names: ProbeNames, argument: t.Expression): t.AssignmentExpression {
  return t.assignmentExpression("=", id(names.result), keepAnonymous(argument));
}

/**
 * Assigning an anonymous function or class to an identifier would name it after the identifier
 * (`_ctr = function(){}` gets name "_ctr"); `(0, fn)` is not a named-evaluation position, so the
 * function keeps the empty name it had.
 */
export function keepAnonymous(expression: t.Expression): t.Expression {
  if (isAnonymousFunctionDefinition(expression)) return t.sequenceExpression([t.numericLiteral(0), expression]);
  return expression;
}

export function isAnonymousFunctionDefinition(node: t.Node): boolean {
  if (t.isArrowFunctionExpression(node)) return true;
  if ((t.isFunctionExpression(node) || t.isClassExpression(node)) && !node.id) return true;
  if (t.isTSAsExpression(node) || t.isTSSatisfiesExpression(node) || t.isTSNonNullExpression(node) || t.isTypeCastExpression(node) || t.isTSTypeAssertion(node)) {
    return isAnonymousFunctionDefinition(node.expression);
  }
  return false;
}

/**
 * File preamble. With a `var` binding: `var <probes>, <table>, <fieldValue>; function <init>() {
 * <probes> = G[S.for("ctjs.probes")] || (… = {}); <table> = {…}; return <probes>; }`, read as
 * `<probes> || <init>()`. With a `const` binding: `var <table>, <fieldValue>; function <init>() {
 * var <temp> = G[…] || (… = {}); if (<table> === void 0) <table> = {…}; return <temp>; }
 * const <probes> = <init>();` and, when `early` is asked for, `function <early>() { try { return
 * <probes> || <init>(); } catch (<temp>) { return <init>(); } }`. Hoisted, init and early serve functions of
 * this file called before the file's body ran (a cyclic import); init builds the table once.
 * G is `globalThis` and S is `Symbol` unless the file declares its own top-level bindings of those names.
 */
export function preamble(names: ProbeNames, table: t.ObjectExpression, shadowed: ReadonlySet<string>, binding: ProbesBinding, early: boolean): t.Statement[] {
  const global = (): t.Expression => {
    if (!shadowed.has("globalThis")) return id("globalThis");
    // fall back on the other names of the global object that this file leaves alone
    const candidates = ["global", "self", "window"].filter((n) => !shadowed.has(n));
    return candidates.reduceRight<t.Expression>(
      (otherwise, name) => t.conditionalExpression(t.binaryExpression("!==", t.unaryExpression("typeof", id(name)), t.stringLiteral("undefined")), id(name), otherwise),
      t.identifier("undefined"),
    );
  };
  const symbol = (): t.Expression => (shadowed.has("Symbol") ? t.memberExpression(global(), id("Symbol")) : id("Symbol"));
  const key = () => t.callExpression(t.memberExpression(symbol(), id("for")), [t.stringLiteral(PROBES_SYMBOL)]);
  const slot = () => t.memberExpression(global(), key(), true);
  const shared = () => t.logicalExpression("||", slot(), t.assignmentExpression("=", slot(), t.objectExpression([])));
  const declare = (...list: string[]) => t.variableDeclaration("var", list.map((name) => t.variableDeclarator(id(name))));
  if (binding === "var") {
    const init = t.functionDeclaration(id(names.init), [], t.blockStatement([
      t.expressionStatement(t.assignmentExpression("=", id(names.probes), shared())),
      t.expressionStatement(t.assignmentExpression("=", id(names.table), table)),
      t.returnStatement(id(names.probes)),
    ]));
    return [declare(names.probes, names.table, names.fieldValue), init];
  }
  const init = t.functionDeclaration(id(names.init), [], t.blockStatement([
    t.variableDeclaration("var", [t.variableDeclarator(id(names.temp), shared())]),
    t.ifStatement(
      t.binaryExpression("===", id(names.table), t.unaryExpression("void", t.numericLiteral(0))),
      t.expressionStatement(t.assignmentExpression("=", id(names.table), table)),
    ),
    t.returnStatement(id(names.temp)),
  ]));
  const statements: t.Statement[] = [
    declare(names.table, names.fieldValue),
    init,
    t.variableDeclaration("const", [t.variableDeclarator(id(names.probes), t.callExpression(id(names.init), []))]),
  ];
  if (early) {
    statements.push(t.functionDeclaration(id(names.early), [], t.blockStatement([
      t.tryStatement(
        // `||`: a bundler that wraps modules in lazy initialisers may have turned the const into a var
        t.blockStatement([t.returnStatement(t.logicalExpression("||", id(names.probes), t.callExpression(id(names.init), [])))]),
        t.catchClause(id(names.temp), t.blockStatement([t.returnStatement(t.callExpression(id(names.init), []))])),
      ),
    ])));
  }
  return statements;
}

/**
 * A class field's initialiser `X` as a frame of its own, without a function around it (which
 * would show in `error.stack`): `(<access>.onCall && <access>.enterField(<table>, fn),
 * <fieldValue> = X, <access>.onCall && <access>.exitField(<fieldValue>), <fieldValue>)`. No user
 * code runs between the assignment and the read, so one file-level slot serves every field.
 */
export function fieldInitializer(names: ProbeNames, access: () => t.Expression, fn: number, argument: t.Expression): t.SequenceExpression {
  const flag = () => t.memberExpression(access(), id("onCall"));
  const call = (method: string, args: t.Expression[]) => t.callExpression(t.memberExpression(access(), id(method)), args);
  return t.sequenceExpression([
    t.logicalExpression("&&", flag(), call("enterField", [id(names.table), t.numericLiteral(fn)])),
    t.assignmentExpression("=", id(names.fieldValue), keepAnonymous(argument)),
    t.logicalExpression("&&", flag(), call("exitField", [id(names.fieldValue)])),
    id(names.fieldValue),
  ]);
}

/** `if (!<access>.active) { …statements }`: the dormant copy of a leaf function. */
export function dormantBranch(access: t.Expression, statements: t.Statement[]): t.IfStatement {
  return t.ifStatement(t.unaryExpression("!", t.memberExpression(access, id("active"))), t.blockStatement(statements));
}
