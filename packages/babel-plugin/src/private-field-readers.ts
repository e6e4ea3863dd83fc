import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { privateFieldNames } from "./this-binding.js";

/**
 * Private fields shown inside `this`. Only code inside a class can name its private fields, so
 * each class whose steps show them gets one reader, made in its own body:
 * `static { <reader> = (o, absent) => typeof o === "object" && o !== null ? [#a in o ? o.#a : absent, …] : [] }`
 * and a line step passes `this` and `<reader>`, two identifiers, whatever the number of fields.
 * (Reading every field inline at every step made a step about 24 bytes of bytecode bigger per
 * field, enough to push small hot methods past V8's inlining budget: slower even while nothing
 * records.) The recorder calls the reader, while recording only, with a marker of its own for
 * `absent`.
 *
 * The brand checks make the reader safe on any receiver: `#a in o` is false for an object of
 * another class, for a Proxy (no trap runs) and for an instance of another evaluation of the same
 * class (a class expression in a factory declares new private names each time it runs), so a
 * method never shows fields that are not its own class's; a primitive `o`, on which `#a in o`
 * would throw, gets no fields. Only fields are read, never private methods or accessors (user code).
 */

/** One class's reader. */
export interface PrivateFieldReader {
  /** The reader's variable. */
  readonly name: string;
  /** `#name`s of the fields it reads, in the order of its results. */
  readonly fields: readonly string[];
}

type ReaderHome = t.Function | t.StaticBlock | t.Program;

/** The readers of one file's classes, and where their variables are declared. */
export class PrivateFieldReaders {
  private readonly byClass = new WeakMap<t.Node, PrivateFieldReader>();
  private readonly emitted = new WeakSet<t.Node>();
  /** Per function, static block or program: the reader variables it declares. */
  private readonly declared = new WeakMap<t.Node, string[]>();

  /** `newName` makes each reader's variable name (unused in the file). */
  constructor(private readonly newName: () => string) {}

  /** The reader of `cls`'s instance private fields, made on first use (then emitted on leaving the class). */
  readerOf(cls: NodePath<t.Class>): PrivateFieldReader {
    let reader = this.byClass.get(cls.node);
    if (reader === undefined) this.byClass.set(cls.node, (reader = { name: this.newName(), fields: privateFieldNames(cls.node) }));
    return reader;
  }

  /**
   * On leaving a class whose steps use its reader: puts the static block that sets the reader
   * first in the class body (before any static initialiser can make an instance and call a
   * method), and notes its variable for the code that evaluates the class. Returns the nodes added,
   * which must stay uninstrumented.
   */
  emit(cls: NodePath<t.Class>): { block: t.StaticBlock; reader: t.ArrowFunctionExpression } | undefined {
    const made = this.byClass.get(cls.node);
    if (made === undefined || this.emitted.has(cls.node)) return undefined;
    this.emitted.add(cls.node);
    const { block, reader } = readerBlock(made);
    cls.node.body.body.unshift(block);
    const home = readerHome(cls).node;
    const names = this.declared.get(home);
    if (names === undefined) this.declared.set(home, [made.name]);
    else names.push(made.name);
    return { block, reader };
  }

  /** `var <reader>, …;` for the readers of the classes that `home` (a function, static block or the program) evaluates. */
  declarationsIn(home: t.Node): t.Statement[] {
    const names = this.declared.get(home);
    if (names === undefined || names.length === 0) return [];
    return [t.variableDeclaration("var", names.map((name) => t.variableDeclarator(t.identifier(name))))];
  }
}

/** `static { <name> = (o, absent) => typeof o === "object" && o !== null ? [#a in o ? o.#a : absent, …] : []; }` */
function readerBlock(made: PrivateFieldReader): { block: t.StaticBlock; reader: t.ArrowFunctionExpression } {
  const object = () => t.identifier("o");
  const reads = made.fields.map((field) => {
    const name = () => t.privateName(t.identifier(field.slice(1)));
    return t.conditionalExpression(t.binaryExpression("in", name(), object()), t.memberExpression(object(), name()), t.identifier("absent"));
  });
  const isObject = t.logicalExpression(
    "&&",
    t.binaryExpression("===", t.unaryExpression("typeof", object()), t.stringLiteral("object")),
    t.binaryExpression("!==", object(), t.nullLiteral()),
  );
  const reader = t.arrowFunctionExpression([object(), t.identifier("absent")], t.conditionalExpression(isObject, t.arrayExpression(reads), t.arrayExpression([])));
  return { block: t.staticBlock([t.expressionStatement(t.assignmentExpression("=", t.identifier(made.name), reader))]), reader };
}

/**
 * Where a class's reader variable lives: in the body of the function, static block or program
 * whose run evaluates the class, so that each call of a factory or mixin making the class keeps
 * its own reader. (Evaluations within one run, a class expression in a loop, share it: the
 * latest one's reader then finds no fields on the earlier classes' instances, as said above.) A
 * class in a function's parameters or a method's key or decorators is evaluated outside that
 * function's body, whose `var`s it cannot see.
 */
function readerHome(cls: NodePath<t.Class>): NodePath<ReaderHome> {
  let child: NodePath = cls;
  for (let p: NodePath | null = cls.parentPath; p !== null; child = p, p = p.parentPath) {
    if (p.isProgram() || p.isStaticBlock()) return p;
    if (p.isFunction() && child.key === "body") return p;
  }
  throw new Error("a class outside any program");
}
