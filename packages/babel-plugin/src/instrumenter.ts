import type { NodePath, Scope, Visitor } from "@babel/traverse";
import * as t from "@babel/types";
import { FUNCTION_KIND } from "@ctjs/monitoring";
import { functionDisplayName } from "./function-names.js";
import type { PositionMapper } from "./positions.js";
import {
  exitStatement,
  frameDeclaration,
  guardedProbe,
  isAnonymousFunctionDefinition,
  lineProbe,
  preamble,
  variableValue,
  raised,
  storeResult,
  suspension,
  fieldInitializer,
  dormantBranch,
  type ProbeNames,
} from "./probe-code.js";
import { mayBeInImportCycle, mayRunBeforeBody, probesBindingOf, type ProbesBinding } from "./probes-binding.js";
import { SiteTableBuilder } from "./site-table-builder.js";
import { visibleVariables } from "./visible-variables.js";
import { dormantStatements, wantsDormantCopy } from "./dormant-copy.js";
import { parametersKeptFromEntry } from "./entry-parameters.js";
import { parameterNames } from "./parameter-names.js";
import { readsThisAt, THIS_NAME, thisAtOwner, type ThisAtOwner } from "./this-binding.js";
import { PrivateFieldReaders } from "./private-field-readers.js";
import type { UniqueName } from "./probe-names.js";

/** A function-like node that owns a frame: functions, the program, static blocks, field initialisers. */
type Owner = t.Function | t.Program | t.StaticBlock;

/** Per-file state of one instrumentation pass. */
export class FileInstrumenter {
  readonly table: SiteTableBuilder;
  /** Names of generated identifiers, never captured as user variables. */
  private readonly generated: Set<string>;
  /** Owners whose code runs inside `with`: their identifiers could resolve to the object's properties. */
  private readonly skippedOwners = new WeakSet<t.Node>();
  private readonly fnIndex = new WeakMap<t.Node, number>();
  /** Statements that already have their step (a statement moved into a new block is visited again). */
  private readonly stepped = new WeakSet<t.Node>();
  private readonly warnings: string[] = [];
  /** Original bodies of leaf functions, cloned on entry before their statements are instrumented. */
  private readonly dormantCopies = new WeakMap<t.Node, t.Statement[]>();
  /** Per function: the parameters its line steps take from the frame's entry (see entry-parameters.ts). */
  private readonly keptParameters = new WeakMap<t.Node, Map<string, number>>();
  /** Per owner: how its steps see `this` (undefined: they do not show it). */
  private readonly thisByOwner = new WeakMap<t.Node, ThisAtOwner | undefined>();
  /** One reader of private fields per class whose steps show them (see private-field-readers.ts). */
  private readonly readers: PrivateFieldReaders;
  private binding: ProbesBinding = "var";
  /** The file can be in an import cycle: code in its hoisted functions may run before its body. */
  private importCycles = false;
  /** Some code reads the probes through the early accessor, which the preamble must then declare. */
  private earlyAccessUsed = false;

  /** `unique` makes the names of identifiers generated later than `names` (the readers'). */
  constructor(
    readonly names: ProbeNames,
    unique: UniqueName,
    readonly positions: PositionMapper,
    readonly captureValues: boolean,
    fullValues = false,
  ) {
    this.table = new SiteTableBuilder(positions.path, fullValues);
    const generated = (this.generated = new Set(Object.values(names)));
    this.readers = new PrivateFieldReaders(() => {
      const name = unique("ctp");
      generated.add(name);
      return name;
    });
  }

  get uninstrumented(): readonly string[] {
    return this.warnings;
  }

  // -- owners -----------------------------------------------------------------------------------

  /** The frame owner of code at `path` (the nearest function, static block or the program). */
  ownerOf(path: NodePath): NodePath<Owner> {
    const owner = path.findParent((p) => p.isFunction() || p.isStaticBlock() || p.isProgram()) as NodePath<Owner> | null;
    return owner ?? (path as NodePath<Owner>);
  }

  isInstrumentable(owner: NodePath<Owner>): boolean {
    if (this.skippedOwners.has(owner.node)) return false;
    if (owner.isFunction() && !t.isBlockStatement(owner.node.body) && !t.isExpression(owner.node.body)) return false;
    return true;
  }

  /** Marks owners that contain `with` directly: they stay uninstrumented (their nested functions do not). */
  markWithOwners(program: NodePath<t.Program>): void {
    const skipped = this.skippedOwners;
    program.traverse({
      WithStatement: (path) => {
        // inside `with`, every free name (the probes' too) is first looked up on the object
        this.skippedOwners.add(this.ownerOf(path).node);
        path.get("body").traverse({
          "Function|StaticBlock|ClassProperty|ClassPrivateProperty"(inner) {
            skipped.add(inner.node);
          },
        });
        this.warn(path, "code inside `with` is left uninstrumented (names there may resolve to the object's properties)");
      },
    });
  }

  /** Notes a construct left uninstrumented, at its position in the developer's file. */
  warn(path: NodePath, message: string): void {
    const { line, column } = this.position(path.node);
    this.warnings.push(`${this.table.path}:${line}:${column + 1}: ${message}`);
  }

  /** How code owned by `owner` reaches the probes (see probes-binding.ts). */
  probesAccess(owner: NodePath): t.Expression {
    const n = this.names;
    if (this.binding === "var") return t.logicalExpression("||", t.identifier(n.probes), t.callExpression(t.identifier(n.init), []));
    if (this.importCycles && mayRunBeforeBody(owner)) {
      this.earlyAccessUsed = true;
      return t.callExpression(t.identifier(n.early), []);
    }
    return t.identifier(n.probes);
  }

  // -- sites ------------------------------------------------------------------------------------

  private position(node: t.Node): { line: number; column: number } {
    const start = node.loc?.start;
    if (!start) return { line: 1, column: 0 };
    return this.positions.map1(start.line, start.column);
  }

  private variablesAt(at: NodePath, owner: NodePath<Owner>): string[] {
    if (!this.captureValues) return [];
    return visibleVariables(at, owner.scope as Scope, this.generated);
  }

  /** A line probe for code at `at` (original node positions), owned by `owner`. */
  lineAt(at: NodePath, owner: NodePath<Owner>): t.LogicalExpression {
    const { line, column } = this.position(at.node);
    return this.siteProbe(at, owner, line, column, this.variablesAt(at, owner));
  }

  /**
   * A site at `line:column` showing `variables` as seen from `at`: parameters kept from entry are
   * not passed. Where `this` is readable it comes first, named "this"; where it is an instance of
   * a class with private fields, the class's reader of them follows the variables.
   */
  private siteProbe(at: NodePath, owner: NodePath<Owner>, line: number, column: number, variables: string[]): t.LogicalExpression {
    const kept = this.keptParameters.get(owner.node);
    const self = this.thisAt(at, owner);
    const passed: string[] = self === undefined ? [] : [THIS_NAME];
    const fromEntry: Array<[string, number]> = [];
    for (const name of variables) {
      const position = kept?.get(name);
      // the name must mean the parameter here, not an inner binding that hides it
      if (position !== undefined && at.scope.getBinding(name) === owner.scope.getOwnBinding(name)) fromEntry.push([name, position]);
      else passed.push(name);
    }
    const reader = self?.fieldsOf === undefined ? undefined : this.readers.readerOf(self.fieldsOf);
    const site = this.table.addSite(line, column, passed, fromEntry, reader?.fields);
    const values = passed.map(variableValue);
    if (reader !== undefined) values.push(t.identifier(reader.name));
    return lineProbe(this.names, site, values);
  }

  /** What a step at `at` shows of `this`: nothing outside class members and object methods, nor before `super()` returned. */
  private thisAt(at: NodePath, owner: NodePath<Owner>): ThisAtOwner | undefined {
    if (!this.captureValues) return undefined;
    let self = this.thisByOwner.get(owner.node);
    if (self === undefined && !this.thisByOwner.has(owner.node)) this.thisByOwner.set(owner.node, (self = thisAtOwner(owner)));
    return self !== undefined && readsThisAt(self, at.node) ? self : undefined;
  }

  functionIndex(owner: NodePath<Owner>, params: string[]): number {
    const known = this.fnIndex.get(owner.node);
    if (known !== undefined) return known;
    const node = owner.node;
    // the top level starts where the developer's file starts, whatever code a compiler put first
    const { line, column } = t.isProgram(node) ? { line: 1, column: 0 } : this.position(node);
    let kind = 0;
    let name: string;
    if (t.isProgram(node)) {
      name = "<module>";
      kind = FUNCTION_KIND.MODULE;
    } else if (t.isStaticBlock(node)) {
      name = functionDisplayName(owner as NodePath<t.StaticBlock>, line, column);
      kind = FUNCTION_KIND.STATIC_BLOCK;
    } else {
      const fn = node as t.Function;
      name = functionDisplayName(owner as NodePath<t.Function>, line, column);
      if (fn.async) kind |= FUNCTION_KIND.ASYNC;
      if (fn.generator) kind |= FUNCTION_KIND.GENERATOR;
      if (t.isArrowFunctionExpression(fn)) kind |= FUNCTION_KIND.ARROW;
      if (t.isMethod(fn) || t.isClassPrivateMethod(fn)) kind |= FUNCTION_KIND.METHOD;
      if (t.isClassMethod(fn) && fn.kind === "constructor") kind |= FUNCTION_KIND.CONSTRUCTOR;
    }
    const index = this.table.addFunction(name, line, column, params, kind);
    this.fnIndex.set(node, index);
    return index;
  }

  // -- bodies -----------------------------------------------------------------------------------

  /**
   * `{ directives; var <frame…>; try { body; <result> = void 0 } finally { exit } }`, so every
   * way out of the body passes the exit probe exactly once. Function declarations stay where
   * they are (inside the try they still see the body's let/const bindings and stay hoisted within
   * it), except the few a block would reject: a name also declared with `var`, or declared twice.
   */
  wrapBody(owner: NodePath<Owner>, statements: t.Statement[], fn: number, params: string[]): { hoisted: t.Statement[]; wrapped: t.Statement[] } {
    const hoisted: t.Statement[] = [];
    const rest: t.Statement[] = [];
    const clashing = blockClashingFunctionNames(statements);
    for (const s of statements) (t.isFunctionDeclaration(s) && s.id && clashing.has(s.id.name) ? hoisted : rest).push(s);
    const n = this.names;
    rest.push(t.expressionStatement(t.assignmentExpression("=", t.identifier(n.result), t.unaryExpression("void", t.numericLiteral(0)))));
    const tryStatement = t.tryStatement(t.blockStatement(rest), null, t.blockStatement([exitStatement(n, t.identifier(n.result))]));
    return { hoisted, wrapped: [frameDeclaration(n, this.probesAccess(owner), fn, params), tryStatement] };
  }

  instrumentFunction(path: NodePath<t.Function>): void {
    const node = path.node;
    const readers = this.readers.declarationsIn(node);
    if (!this.isInstrumentable(path)) {
      if (t.isBlockStatement(node.body)) node.body.body.unshift(...readers);
      else if (readers.length > 0) node.body = t.blockStatement([...readers, t.returnStatement(node.body)]);
      return;
    }
    const params = parameterNames(node.params);
    const fn = this.functionIndex(path, params);
    let body = node.body;
    if (!t.isBlockStatement(body)) {
      body = t.blockStatement([t.returnStatement(storeResult(this.names, body))]);
    }
    const { hoisted, wrapped } = this.wrapBody(path, [...readers, ...body.body], fn, params);
    const dormant = this.dormantCopies.get(node);
    const guard = dormant === undefined ? [] : [dormantBranch(this.probesAccess(path), dormant)];
    const block = t.blockStatement([...guard, ...hoisted, ...wrapped], body.directives);
    block.loc = node.body.loc;
    node.body = block;
  }

  /** On entry to a function, before its body changes: keeps the dormant copy of a leaf. */
  /** On entry to a function, before its body changes: which parameters stay as they entered. */
  rememberKeptParameters(path: NodePath<t.Function>): void {
    if (this.captureValues) this.keptParameters.set(path.node, parametersKeptFromEntry(path));
  }

  rememberDormantCopy(path: NodePath<t.Function>): void {
    if (!this.isInstrumentable(path) || !wantsDormantCopy(path.node)) return;
    this.dormantCopies.set(path.node, dormantStatements(path.node));
  }

  instrumentStaticBlock(path: NodePath<t.StaticBlock>): void {
    const readers = this.readers.declarationsIn(path.node);
    if (!this.isInstrumentable(path)) {
      path.node.body.unshift(...readers);
      return;
    }
    const fn = this.functionIndex(path, []);
    const { hoisted, wrapped } = this.wrapBody(path, [...readers, ...path.node.body], fn, []);
    path.node.body = [...hoisted, ...wrapped];
  }

  /** On leaving a class: the reader of its private fields, if its steps show them (it stays uninstrumented). */
  instrumentClass(path: NodePath<t.Class>): void {
    const emitted = this.readers.emit(path);
    if (emitted === undefined) return;
    this.skippedOwners.add(emitted.block);
    this.skippedOwners.add(emitted.reader);
  }

  /** `x = expr` in a class body becomes a frame entered and left around `expr` (see `fieldInitializer`). */
  instrumentField(path: NodePath<t.ClassProperty | t.ClassPrivateProperty>): void {
    const value = path.node.value;
    if (!value || isAnonymousFunctionDefinition(value) || this.skippedOwners.has(path.node)) return;
    const { line, column } = this.position(path.node);
    const name = functionDisplayName(path, line, column);
    const fn = this.table.addFunction(name, line, column, [], FUNCTION_KIND.FIELD);
    path.node.value = fieldInitializer(this.names, () => this.probesAccess(path), fn, value);
  }

  /** The module or script top level: a `<module>` frame entered first and left at the end. */
  instrumentProgram(path: NodePath<t.Program>, runtimeImport: string | false): void {
    const n = this.names;
    const body = path.node.body;
    const head: t.Statement[] = [];
    if (runtimeImport !== false) {
      head.push(path.node.sourceType === "module"
        ? t.importDeclaration([], t.stringLiteral(runtimeImport))
        // a "script" may really be an ES module without imports (sourceType "unambiguous"), where
        // require does not exist: it then runs dormant rather than fail
        : t.expressionStatement(t.logicalExpression(
          "&&",
          t.binaryExpression("===", t.unaryExpression("typeof", t.identifier("require")), t.stringLiteral("function")),
          t.callExpression(t.identifier("require"), [t.stringLiteral(runtimeImport)]),
        )));
    }
    const shadowed = new Set(["globalThis", "Symbol", "global", "self", "window"].filter((name) => path.scope.hasOwnBinding(name)));
    head.push(...preamble(n, this.table.toExpression(), shadowed, this.binding, this.earlyAccessUsed));
    head.push(...this.readers.declarationsIn(path.node));
    if (this.isInstrumentable(path)) {
      head.push(frameDeclaration(n, this.probesAccess(path), 0, []));
      body.push(exitStatement(n, t.unaryExpression("void", t.numericLiteral(0))));
    } else {
      head.push(t.variableDeclaration("var", [
        t.variableDeclarator(t.identifier(n.local), this.probesAccess(path)),
        t.variableDeclarator(t.identifier(n.frame), t.identifier(n.table)),
        t.variableDeclarator(t.identifier(n.result)),
        t.variableDeclarator(t.identifier(n.temp)),
      ]));
    }
    // imports stay first so that the output reads naturally; they are hoisted either way
    let at = 0;
    while (at < body.length && t.isImportDeclaration(body[at])) at++;
    body.splice(at, 0, ...head);
  }

  /** Registers the `<module>` function first, so that it is function 0 of every table; picks the probes binding. */
  registerProgram(path: NodePath<t.Program>): void {
    this.binding = probesBindingOf(path);
    this.importCycles = mayBeInImportCycle(path);
    this.functionIndex(path, []);
  }

  // -- statements and expressions -----------------------------------------------------------------

  stepBeforeStatement(path: NodePath<t.Statement>): void {
    if (this.stepped.has(path.node)) return;
    this.stepped.add(path.node);
    const owner = this.ownerOf(path);
    if (!this.isInstrumentable(owner)) return;
    const probe = t.expressionStatement(this.lineAt(path, owner));
    if (path.parentPath?.isLabeledStatement()) return;
    if (Array.isArray(path.container)) {
      path.insertBefore(probe);
    } else {
      // a single-statement body (`if (c) x();`): a block keeps the step inside the same branch
      path.replaceWith(t.blockStatement([probe, path.node]));
    }
  }

  /** `(line probe, expr)` for loop tests and updates, keeping the expression's value. */
  stepBeforeExpression(path: NodePath<t.Expression>): void {
    const owner = this.ownerOf(path);
    if (!this.isInstrumentable(owner)) return;
    const probe = this.lineAt(path, owner);
    path.replaceWith(t.sequenceExpression([probe, path.node]));
  }

  /** A step at the head of a for-in/for-of iteration, with the loop variable already bound. */
  stepAtLoopHead(path: NodePath<t.ForInStatement | t.ForOfStatement>): void {
    const owner = this.ownerOf(path);
    if (!this.isInstrumentable(owner)) return;
    const { line, column } = this.position(path.node);
    const bodyPath = path.get("body");
    // variables of the loop head are bound in every iteration's body
    const variables = this.captureValues ? visibleVariables(bodyPath, owner.scope as Scope, this.generated) : [];
    const probe = t.expressionStatement(this.siteProbe(bodyPath, owner, line, column, variables));
    const body = path.node.body;
    const statements: t.Statement[] = t.isBlockStatement(body) ? [probe, ...body.body] : [probe, body];
    if (path.node.type === "ForOfStatement" && path.node.await) {
      // each iteration ends in an implicit await: report it as a suspension
      const suspend = t.expressionStatement(guardedProbe(this.names, "onCall", "suspend", [t.identifier(this.names.frame), t.unaryExpression("void", t.numericLiteral(0))]));
      // (the first iteration's await is found by the runtime from the next probe of another frame)
      path.node.body = t.blockStatement([t.tryStatement(t.blockStatement(statements), null, t.blockStatement([suspend]))]);
    } else {
      path.node.body = t.isBlockStatement(body) ? t.blockStatement(statements, body.directives) : t.blockStatement(statements);
    }
  }

  suspendAround(path: NodePath<t.AwaitExpression | t.YieldExpression>): void {
    const owner = this.ownerOf(path);
    if (!this.isInstrumentable(owner)) return;
    const node = path.node;
    const replacement = node.type === "AwaitExpression"
      ? suspension(this.names, node.argument, false, (v) => t.awaitExpression(v!))
      : suspension(this.names, node.argument ?? null, true, (v) => t.yieldExpression(v, node.delegate));
    path.replaceWith(replacement);
  }

  raiseAt(path: NodePath<t.ThrowStatement>): void {
    const owner = this.ownerOf(path);
    if (!this.isInstrumentable(owner)) return;
    path.node.argument = raised(this.names, path.node.argument);
  }

  returnAt(path: NodePath<t.ReturnStatement>): void {
    const owner = this.ownerOf(path);
    if (!this.isInstrumentable(owner)) return;
    const argument = path.node.argument ?? t.unaryExpression("void", t.numericLiteral(0));
    if (owner.isProgram()) {
      // CommonJS top-level `return`: leave the <module> frame before returning
      const n = this.names;
      path.node.argument = t.sequenceExpression([
        storeResult(n, argument),
        guardedProbe(n, "onCall", "exit", [t.identifier(n.frame), t.identifier(n.result)]),
        t.identifier(n.result),
      ]);
      return;
    }
    path.node.argument = storeResult(this.names, argument);
  }

  handledAt(path: NodePath<t.CatchClause>): void {
    const owner = this.ownerOf(path);
    if (!this.isInstrumentable(owner)) return;
    const param = path.node.param;
    const value = t.isIdentifier(param) ? t.identifier(param.name) : t.unaryExpression("void", t.numericLiteral(0));
    const probe = t.expressionStatement(guardedProbe(this.names, "onHandled", "handled", [t.identifier(this.names.frame), value]));
    path.node.body.body.unshift(probe);
  }
}

/**
 * Names of top-level function declarations that a block would reject although a function body
 * accepts them: also declared with `var` (anywhere in the body, outside nested functions), or
 * declared as a function twice.
 */
function blockClashingFunctionNames(statements: t.Statement[]): Set<string> {
  const clashing = new Set<string>();
  const functionNames = new Set<string>();
  for (const s of statements) {
    if (!t.isFunctionDeclaration(s) || !s.id) continue;
    if (functionNames.has(s.id.name)) clashing.add(s.id.name);
    functionNames.add(s.id.name);
  }
  if (functionNames.size === 0) return clashing;
  const visit = (node: t.Node | null | undefined): void => {
    if (!node || typeof node !== "object") return;
    if (t.isFunction(node) || t.isClass(node)) return;
    if (t.isVariableDeclaration(node) && node.kind === "var") {
      for (const d of node.declarations) for (const name of Object.keys(t.getBindingIdentifiers(d.id))) if (functionNames.has(name)) clashing.add(name);
    }
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) for (const c of child) visit(c as t.Node);
      else visit(child as t.Node);
    }
  };
  for (const s of statements) if (!t.isFunctionDeclaration(s)) visit(s);
  return clashing;
}


/** Statements that run as a step of their own. */
export function isStepStatement(path: NodePath<t.Statement>): boolean {
  const node = path.node;
  if (!node.loc) return false;
  switch (node.type) {
    case "FunctionDeclaration":
    case "ImportDeclaration":
    case "ExportAllDeclaration":
    case "EmptyStatement":
    case "BlockStatement":
    case "DebuggerStatement":
      return false;
    case "ExportNamedDeclaration":
      return node.declaration != null && !t.isFunctionDeclaration(node.declaration) && !isTypeDeclaration(node.declaration);
    case "ExportDefaultDeclaration":
      return !t.isFunctionDeclaration(node.declaration) && !t.isTSInterfaceDeclaration(node.declaration) && !t.isTSDeclareFunction(node.declaration);
    case "VariableDeclaration":
      return !node.declare && isStatementPosition(path);
    case "ClassDeclaration":
      return !node.declare && isStatementPosition(path);
    default:
      if (isTypeDeclaration(node)) return false;
      return isStatementPosition(path);
  }
}

/** Declarations that emit no code: types, interfaces, `declare`d bindings (an enum runs: it builds its object). */
function isTypeDeclaration(node: t.Node): boolean {
  if ("declare" in node && node.declare === true) return true;
  if (node.type === "TSEnumDeclaration") return false;
  return node.type.startsWith("TS") || node.type.startsWith("Declare") || node.type === "InterfaceDeclaration" || node.type === "TypeAlias" || node.type === "OpaqueType";
}

/** In a statement list, or the body of an if/loop/with/label: not a for-head declaration. */
function isStatementPosition(path: NodePath): boolean {
  if (Array.isArray(path.container)) return true;
  return path.key === "consequent" || path.key === "alternate" || path.key === "body";
}

/** The visitor table: each node type says which probe it gets. */
export function instrumentationVisitor(): Visitor<{ fi: FileInstrumenter }> {
  return {
    Statement: {
      enter(path, { fi }) {
        if (isStepStatement(path) && !path.parentPath.isLabeledStatement()) fi.stepBeforeStatement(path);
      },
    },
    ForStatement: {
      exit(path, { fi }) {
        const test = path.get("test");
        if (test.node) fi.stepBeforeExpression(test as NodePath<t.Expression>);
        const update = path.get("update");
        if (update.node) fi.stepBeforeExpression(update as NodePath<t.Expression>);
      },
    },
    "WhileStatement|DoWhileStatement": {
      exit(path, { fi }) {
        fi.stepBeforeExpression((path as NodePath<t.WhileStatement | t.DoWhileStatement>).get("test"));
      },
    },
    "ForInStatement|ForOfStatement": {
      exit(path, { fi }) {
        fi.stepAtLoopHead(path as NodePath<t.ForInStatement | t.ForOfStatement>);
      },
    },
    "AwaitExpression|YieldExpression": {
      exit(path, { fi }) {
        if (path.node.loc) fi.suspendAround(path as NodePath<t.AwaitExpression | t.YieldExpression>);
      },
    },
    ThrowStatement: {
      exit(path, { fi }) {
        if (path.node.loc) fi.raiseAt(path);
      },
    },
    ReturnStatement: {
      exit(path, { fi }) {
        if (path.node.loc) fi.returnAt(path);
      },
    },
    CatchClause: {
      exit(path, { fi }) {
        fi.handledAt(path);
      },
    },
    Function: {
      enter(path, { fi }) {
        fi.rememberKeptParameters(path);
        fi.rememberDormantCopy(path);
      },
      exit(path, { fi }) {
        fi.instrumentFunction(path);
      },
    },
    StaticBlock: {
      exit(path, { fi }) {
        fi.instrumentStaticBlock(path);
      },
    },
    Class: {
      exit(path, { fi }) {
        fi.instrumentClass(path);
      },
    },
    "ClassProperty|ClassPrivateProperty": {
      exit(path, { fi }) {
        fi.instrumentField(path as NodePath<t.ClassProperty | t.ClassPrivateProperty>);
      },
    },
  };
}
