/**
 * `this` at line steps: passed as a variable named "this" where a class member or an
 * object-literal method binds it (and in arrows within them), never in plain functions, and in a
 * derived constructor only where `super()` has certainly returned. In instance members of a class
 * with private fields, the class's reader of them follows (one per class, made in its body): its
 * brand checks cannot throw nor run user code.
 */
import { parseSync, traverse, type NodePath } from "@babel/core";
import * as t from "@babel/types";
import { describe, expect, it } from "vitest";
import { instrumentSource } from "../src/index.js";
import { MAX_VARIABLES_PER_SITE } from "../src/visible-variables.js";
import { MAX_PRIVATE_FIELDS_PER_SITE } from "../src/this-binding.js";
import { emittedTable, loggingProbes, runScripts, transformWithPlugin, type TableSite } from "./plugin-harness.js";

/** Each site by the source text it steps at (up to `;` or the line's end): its variables and private fields. */
function sitesByText(source: string, options: { values?: boolean } = {}): Record<string, { variables: string[]; privates?: string[] }> {
  const { sites } = emittedTable(transformWithPlugin(source, "/app/this.js", options, { sourceType: "script" }).code);
  const lines = source.split("\n");
  const byText: Record<string, { variables: string[]; privates?: string[] }> = {};
  for (const site of sites as TableSite[]) {
    const text = statementText(lines[site.line - 1]!.slice(site.column));
    if (text in byText) throw new Error(`two sites at ${JSON.stringify(text)}`);
    byText[text] = { variables: site.variables, ...(site.privates === undefined ? {} : { privates: site.privates }) };
  }
  return byText;
}

/** The text of the statement at the start of `rest`: up to its `;`, or to what closes the code around it. */
function statementText(rest: string): string {
  let depth = 0;
  let end = 0;
  for (; end < rest.length; end++) {
    const c = rest[end]!;
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c) && --depth < 0) break;
    else if ((c === ";" || c === ",") && depth === 0) break;
  }
  return rest.slice(0, end).trim();
}

/** The texts of the sites that pass `this`. */
function textsPassingThis(source: string): string[] {
  return Object.entries(sitesByText(source)).filter(([, s]) => s.variables.includes("this")).map(([text]) => text).sort();
}

describe("which steps pass `this`", () => {
  it("class members, object-literal methods and arrows within them; not plain functions nor the top level", () => {
    const source = `class Shape {
  static created = 0;
  static { Shape.created = 0 }
  field = () => { return this.size };
  constructor(size) { this.size = size }
  get area() { return this.size ** 2 }
  set area(value) { this.size = Math.sqrt(value) }
  static make(size) { return new this(size) }
  grow(by) {
    const add = () => { return this.size + by };
    const legacy = function () { return typeof this };
    function helper() { return 1 }
    return add() + helper() + legacy().length;
  }
}
const point = {
  x: 1,
  norm() { return this.x },
  get twice() { return this.x * 2 },
};
function Plain() { this.made = true }
const arrowAtTop = () => { return typeof this === "undefined" };
print(new Shape(2).grow(1), point.norm(), new Plain().made, arrowAtTop());
`;
    expect(textsPassingThis(source)).toEqual([
      "Shape.created = 0",
      "const add = () => { return this.size + by }",
      "const legacy = function () { return typeof this }",
      "return add() + helper() + legacy().length",
      "return new this(size)",
      "return this.size",
      "return this.size + by",
      "return this.size ** 2",
      "return this.x",
      "return this.x * 2",
      "this.size = Math.sqrt(value)",
      "this.size = size",
    ].sort());
    const sites = sitesByText(source);
    // the function expression and the function declaration inside the method see their own `this`
    expect(sites["return typeof this"]).toEqual({ variables: [] });
    expect(sites["return 1"]).toEqual({ variables: [] });
    expect(sites["this.made = true"]).toEqual({ variables: [] });
    // "this" comes first among the values passed, parameters kept from entry before it
    expect(sites["return this.size + by"]).toEqual({ variables: ["this"] });
    expect(sites["return add() + helper() + legacy().length"]!.variables).toEqual(["by", "this", "add", "legacy"]);
  });

  it("in a derived constructor, only after a top-level super(…) statement, arrows created there included", () => {
    const source = `class Base { constructor(f) { this.f = f } }
class Derived extends Base {
  constructor(early = () => { return this }) {
    const before = 1;
    super(() => { return this.inSuperArguments });
    const after = () => { return this.ready };
    this.ready = after();
    if (this.ready) print(before);
  }
}
class Nested extends Base {
  constructor(flag) {
    if (flag) { super(1) } else { super(2) }
    this.flag = flag;
  }
}
class Returning extends Base {
  constructor() { return { replaced: true } }
}
new Derived(); new Nested(true); new Returning();
`;
    expect(textsPassingThis(source)).toEqual([
      "const after = () => { return this.ready }",
      "if (this.ready) print(before)",
      "print(before)",
      "return this.ready",
      "this.f = f",
      "this.ready = after()",
    ].sort());
    const sites = sitesByText(source);
    // before super(): neither the steps of the constructor nor arrows created there
    expect(sites["const before = 1"]).toEqual({ variables: ["early"] });
    expect(sites["super(() => { return this.inSuperArguments })"]).toEqual({ variables: ["early", "before"] });
    expect(sites["return this.inSuperArguments"]).toEqual({ variables: [] });
    expect(sites["return this"]).toEqual({ variables: [] });
    expect(sites["this.flag = flag"]).toEqual({ variables: ["flag"] });
  });

  it("once, and never for a TypeScript `this` parameter, which only gives `this` a type", () => {
    const source = `class Node {\n  #next: Node | null = null;\n  link(this: Node, next: Node) {\n    this.#next = next;\n  }\n}\nfunction detached(this: Window, n: number) {\n  return n;\n}\n`;
    const { sites } = emittedTable(instrumentSource(source, { filename: "/app/node.ts" }).code);
    const at = (line: number) => sites.find((s) => s.line === line)!;
    expect(at(4)).toEqual({ line: 4, column: 4, variables: ["next", "this"], privates: ["#next"] });
    expect(at(8)).toEqual({ line: 8, column: 2, variables: ["n"] });
  });

  it("nowhere when values are not captured", () => {
    const sites = sitesByText(`class A {\n  #x = 1;\n  m() { return this.#x }\n}\n`, { values: false });
    expect(sites["return this.#x"]).toEqual({ variables: [] });
  });

  it("outside the variables' cap: a step with more variables than the cap still passes `this`", () => {
    const count = MAX_VARIABLES_PER_SITE + 6;
    const lets = Array.from({ length: count }, (_, i) => `    let v${i} = ${i};`).join("\n");
    const sites = sitesByText(`class Many {\n  m() {\n${lets}\n    return v0;\n  }\n}\n`);
    const last = sites["return v0"]!.variables;
    expect(last[0]).toBe("this");
    expect(last.length).toBe(MAX_VARIABLES_PER_SITE + 1);
    expect(last[last.length - 1]).toBe(`v${count - 1}`);
  });
});

describe("private fields passed with `this`", () => {
  const COUNTER = `class Counter {
  #count = 0;
  #step;
  static #instances = 0;
  #hidden() { return "method" }
  get #doubled() { return this.#count * 2 }
  set #doubled(v) { this.#count = v / 2 }
  static { Counter.#instances = 0 }
  constructor(step) { this.#step = step }
  increment() { this.#count += this.#step }
  static create(step) { return new Counter(step) }
  static get made() { return Counter.#instances }
  report() {
    const show = () => { return this.#count };
    const other = { peek() { return this } };
    return show();
  }
}
Counter.create(1).increment();
`;

  it("are the class's instance fields, none where `this` is the class: never private methods or accessors", () => {
    const sites = sitesByText(COUNTER);
    const instance = ["#count", "#step"];
    expect(sites["this.#step = step"]).toEqual({ variables: ["step", "this"], privates: instance });
    expect(sites["this.#count += this.#step"]).toEqual({ variables: ["this"], privates: instance });
    expect(sites["return this.#count * 2"]).toEqual({ variables: ["this"], privates: instance });
    expect(sites["this.#count = v / 2"]).toEqual({ variables: ["v", "this"], privates: instance });
    expect(sites['return "method"']).toEqual({ variables: ["this"], privates: instance });
    // static members: `this` is the class, which the recorder shows as text
    expect(sites["Counter.#instances = 0"]).toEqual({ variables: ["this"] });
    expect(sites["return new Counter(step)"]).toEqual({ variables: ["step", "this"] });
    expect(sites["return Counter.#instances"]).toEqual({ variables: ["this"] });
    // an arrow sees the method's `this`; an object-literal method's `this` is the object: no fields
    expect(sites["return this.#count"]).toEqual({ variables: ["this"], privates: instance });
    expect(sites["return this"]).toEqual({ variables: ["this"] });
  });

  it("are listed in the site table after the kept parameters, written 0 when there are none", () => {
    const { rawSites, names } = emittedTable(transformWithPlugin(COUNTER, "/app/counter.js", {}, { sourceType: "script" }).code);
    const withPrivates = rawSites.filter((s) => s.length === 5);
    expect(withPrivates.length).toBeGreaterThan(0);
    for (const [, , variables, kept, privates] of withPrivates) {
      expect(names[variables[0]!]).toBe("this");
      expect(kept === 0 || (Array.isArray(kept) && kept.length > 0)).toBe(true);
      expect(privates!.every((i) => names[i]!.startsWith("#"))).toBe(true);
    }
    expect(withPrivates.some(([, , , kept]) => kept === 0)).toBe(true);
    expect(withPrivates.some(([, , , kept]) => Array.isArray(kept))).toBe(true);
  });

  it("are the fields of the member's own class, even where a class between declares the same name", () => {
    // a computed key runs in the code around its class, but a private name there means the inner class's
    const sites = sitesByText(`class Outer {
  #shared = 1;
  #own = 2;
  m() {
    return class Inner {
      #shared = 3;
      [(() => {
        return this.#own;
      })()] = 4;
    };
  }
}
`);
    expect(sites["return this.#own"]).toEqual({ variables: ["this"], privates: ["#shared", "#own"] });
  });

  it("come from one reader per class: a step passes `this` and the reader, whatever the number of fields", () => {
    const fields = Array.from({ length: 12 }, (_, i) => `  #f${i} = ${i};`).join("\n");
    const source = `class Wide {\n${fields}\n  m(a) { const b = a; return b }\n}\nclass Narrow {\n  #n = 1;\n  get() { return this.#n }\n}\nclass Plain {\n  p() { return 1 }\n}\n`;
    const { code } = transformWithPlugin(source, "/app/wide.js", {}, { sourceType: "script" });
    const ast = parseSync(code, { configFile: false, babelrc: false, sourceType: "script" })!;
    const probeArguments: Array<{ method: string; args: t.Node[] }> = [];
    const staticBlocks: string[] = [];
    traverse(ast, {
      CallExpression(path) {
        if (!t.isMemberExpression(path.node.callee) || !t.isIdentifier(path.node.callee.property, { name: "line" })) return;
        const method = path.findParent((p) => p.isClassMethod())?.node as t.ClassMethod | undefined;
        probeArguments.push({ method: method === undefined ? "" : (method.key as t.Identifier).name, args: path.node.arguments as t.Node[] });
      },
      StaticBlock(path) {
        staticBlocks.push((path.parentPath.parentPath!.node as t.ClassDeclaration).id!.name);
      },
    });
    // one reader for each class with private fields, none for the other
    expect(staticBlocks).toEqual(["Wide", "Narrow"]);
    // frame, site, `this`, the variables and the reader: identifiers, no private name among them
    for (const { args } of probeArguments) expect(args.filter((a) => !t.isIdentifier(a) && !t.isThisExpression(a) && !t.isNumericLiteral(a))).toEqual([]);
    const lastPassed = (method: string) => probeArguments.filter((p) => p.method === method).map(({ args }) => (args[args.length - 1] as t.Identifier).name);
    const [wide, narrow] = [lastPassed("m"), lastPassed("get")];
    expect(wide.length).toBe(2);
    expect(new Set([...wide, ...narrow]).size).toBe(2);
    expect(narrow).toEqual([narrow[0]]);
  });

  it(`are at most ${MAX_PRIVATE_FIELDS_PER_SITE} at one site, the first declared`, () => {
    const fields = Array.from({ length: MAX_PRIVATE_FIELDS_PER_SITE + 3 }, (_, i) => `  #f${i} = ${i};`).join("\n");
    const sites = sitesByText(`class Wide {\n${fields}\n  m() { return 1 }\n}\n`);
    const privates = sites["return 1"]!.privates!;
    expect(privates.length).toBe(MAX_PRIVATE_FIELDS_PER_SITE);
    expect(privates[0]).toBe("#f0");
  });
});

const COUNTER_LIKE = `class Holder {
  #v = 1;
  static #n = 0;
  get() {
    return this.#v;
  }
  static { let zero = 0 }
}
`;

describe("reading `this` and its private fields while recording", () => {
  /** Runs `source` instrumented under logging probes: what it printed and the steps of `fn`. */
  function run(source: string, fn: string): { printed: string[]; steps: string[] } {
    const { log, probes } = loggingProbes();
    const { code } = transformWithPlugin(source, "/app/run.js", {}, { sourceType: "script" });
    const { printed } = runScripts([{ code, filename: "run.js" }], probes);
    return { printed, steps: log.filter((l) => l.startsWith(`step ${fn} `)).map((l) => l.replace(/^step \S+ \d+:\d+ ?/, "")) };
  }

  it("shows the fields' values, and leaves out those of a foreign or primitive `this` without throwing", () => {
    const source = `class Box {
  #value = 1;
  static #boxes = 0;
  read() {
    return typeof this;
  }
  static count() {
    return this === Box;
  }
}
const box = new Box();
print(box.read(), Box.prototype.read.call({ value: 2 }), Box.prototype.read.call(5), Box.prototype.read.call(undefined));
print(Box.count(), class Sub extends Box {}.count());
`;
    const { printed, steps } = run(source, "Box#read");
    expect(printed).toEqual(["object object number undefined", "true false"]);
    expect(steps).toEqual(["this={} #value=1", 'this={"value":2}', "this=5", "this=undefined"]);
    // a static method's `this` is the class: passed alone
    expect(run(source, "Box.count").steps).toEqual(["this=<function>", "this=<function>"]);
  });

  it("shows each evaluation of a class its own fields: a factory's classes, a class in a parameter or a key", () => {
    const source = `function make(v) {
  return class Made {
    #v = v;
    peek() {
      return typeof this;
    }
  };
}
const A = make("a");
const B = make("b");
const mixed = [new A().peek(), new B().peek(), A.prototype.peek.call(new B())];
function withDefault(C = class { #d = "d"; peek() { return 1 } }) { return new C().peek() }
class Keyed {
  #k = "k";
  [class Key { #inKey = 1; peek() { return 2 } }.prototype.peek.call({})]() { return this.#k }
}
print(mixed.join(), withDefault(), new Keyed()[2]());
`;
    const { printed, steps } = run(source, "Made#peek");
    expect(printed).toEqual(["object,object,object 1 k"]);
    // the third call runs A's method on a B: A's reader finds none of A's fields on it
    expect(steps).toEqual(['this={} #v="a"', 'this={} #v="b"', "this={}"]);
    expect(run(source, "C#peek").steps).toEqual(['this={} #d="d"']);
    expect(run(source, "Keyed#[computed]").steps).toEqual(['this={} #k="k"']);
    expect(run(source, "Key#peek").steps).toEqual(["this={}"]);
  });

  it("leaves the program's own names alone, a variable named like a reader included", () => {
    const source = `var _ctp = "mine";
class Named {
  #x = 1;
  read() {
    const _ctp2 = _ctp;
    return _ctp2;
  }
}
print(new Named().read(), typeof _ctp);
`;
    const { printed, steps } = run(source, "Named#read");
    expect(printed).toEqual(["mine string"]);
    expect(steps).toEqual(["this={} #x=1", 'this={} _ctp2="mine" #x=1']);
  });

  it("never calls a private getter, not even one with a backing field", () => {
    const source = `let getterCalls = 0;
class Temperature {
  #celsius = 20;
  get #fahrenheit() { getterCalls++; return this.#celsius * 9 / 5 + 32 }
  warm(by) {
    this.#celsius += by;
    return this.#celsius;
  }
}
print(new Temperature().warm(5), getterCalls);
`;
    const { printed, steps } = run(source, "Temperature#warm");
    expect(printed).toEqual(["25 0"]);
    expect(steps).toEqual(["by=5 this={} #celsius=20", "by=5 this={} #celsius=25"]);
  });

  it("reads nothing while nothing records: `this` and the reader are arguments of line probes, behind their flag", () => {
    const { code } = transformWithPlugin(COUNTER_LIKE, "/app/counter.js", {}, { sourceType: "script" });
    const reads: t.Node[] = [];
    const guarded: t.Node[] = [];
    const inReader: t.Node[] = [];
    const readerUses: string[] = [];
    const inProbe = (path: NodePath) => path.findParent((p) => p.isLogicalExpression() && t.isMemberExpression(p.node.left) && t.isIdentifier(p.node.left.property, { name: "onLine" })) !== null;
    const ast = parseSync(code, { configFile: false, babelrc: false, sourceType: "script" })!;
    const readerNames = new Set<string>();
    traverse(ast, {
      StaticBlock(path) {
        const assigned = (path.node.body[0] as t.ExpressionStatement | undefined)?.expression;
        if (t.isAssignmentExpression(assigned) && t.isArrowFunctionExpression(assigned.right) && t.isIdentifier(assigned.left)) readerNames.add(assigned.left.name);
      },
    });
    expect(readerNames.size).toBe(1);
    traverse(ast, {
      "ThisExpression|PrivateName"(path) {
        if (path.parentPath?.isClassPrivateProperty() || path.parentPath?.isClassPrivateMethod()) return;
        // the user's own reads are statements of the methods; the probes' are inside `flag && line(…)`,
        // the reader's inside the arrow its class's first static block makes
        const reader = path.findParent((p) => p.isArrowFunctionExpression() && p.parentPath!.isAssignmentExpression() && t.isIdentifier(p.parentPath.node.left) && readerNames.has(p.parentPath.node.left.name));
        if (reader !== null) inReader.push(path.node);
        else (inProbe(path) ? guarded : reads).push(path.node);
      },
      Identifier(path) {
        if (!readerNames.has(path.node.name)) return;
        if (path.parentPath.isVariableDeclarator()) readerUses.push("declared");
        else if (path.parentPath.isAssignmentExpression() && path.key === "left") readerUses.push("set");
        else readerUses.push(inProbe(path) ? "probe" : "elsewhere");
      },
    });
    expect(guarded.length).toBeGreaterThan(0);
    expect(inReader.length).toBeGreaterThan(0);
    // the user's reads: `this` and `#v` in `return this.#v` of both copies (dormant and instrumented)
    expect(reads.length).toBe(4);
    // the reader is declared, set once, and otherwise only passed by probes
    expect(readerUses.filter((u) => u !== "probe")).toEqual(["declared", "set"]);
    expect(readerUses.filter((u) => u === "probe").length).toBeGreaterThan(0);
  });
});
