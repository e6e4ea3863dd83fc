/**
 * Function names in the site table, as a JavaScript developer would say them: `add`,
 * `Point#norm` (instance), `Point.create` (static), `get Point#x`, `obj.handler`, and
 * `<anonymous:LINE:COLUMN>` (1-based column, as in stack traces) when nothing names a function.
 */
import { describe, expect, it } from "vitest";
import { FUNCTION_KIND } from "@ctjs/monitoring";
import { instrumentSource } from "../src/index.js";
import { emittedTable, positionOf, transformWithPlugin, type TableFunction } from "./plugin-harness.js";

/** The table's functions (but `<module>`) by name, each with its position and kind. */
function functionsOf(source: string, filename = "/projects/app/names.mjs"): Map<string, TableFunction> {
  const table = emittedTable(transformWithPlugin(source, filename).code);
  const byName = new Map<string, TableFunction>();
  for (const fn of table.fns.slice(1)) {
    expect(byName.has(fn.name), `two functions named ${fn.name}`).toBe(false);
    byName.set(fn.name, fn);
  }
  return byName;
}

/** Asserts the table names each function as expected, at the position of its marker text. */
function expectNames(source: string, expected: Array<[name: string, marker: string]>): void {
  const fns = functionsOf(source);
  expect([...fns.keys()].sort()).toEqual(expected.map(([name]) => name).sort());
  for (const [name, marker] of expected) {
    const fn = fns.get(name)!;
    expect({ name, line: fn.line, column: fn.column }).toEqual({ name, ...positionOf(source, marker) });
  }
}

describe("function names", () => {
  it("declarations and named expressions keep their own name", () => {
    expectNames(
      `function add(a, b) { return a + b; }
const alias = function multiply(a, b) { return a * b; };
async function* stream() { yield 1; }
`,
      [
        ["add", "function add"],
        ["multiply", "function multiply"],
        ["stream", "async function*"],
      ],
    );
  });

  it("anonymous functions are named by the binding, property or assignment that takes them", () => {
    expectNames(
      `const f = function () { return 1; };
let g = () => 2;
var h = async () => 3;
const obj = { handler: () => 4 };
obj.later = function () { return 5; };
module.exports.run = () => 6;
function withDefault(cb = () => 7) { return cb; }
`,
      [
        ["f", "function ()"],
        ["g", "() => 2"],
        ["h", "async () => 3"],
        ["obj.handler", "() => 4"],
        ["obj.later", "function () { return 5"],
        ["module.exports.run", "() => 6"],
        ["cb", "() => 7"],
        ["withDefault", "function withDefault"],
      ],
    );
  });

  it("class members: Class#method, Class.static, get/set, constructor, fields, static blocks, private names", () => {
    expectNames(
      `class Point {
  static origin = () => new Point(0, 0);
  onMove = (dx) => this.x + dx;
  count = 0;
  static instances = 1;
  #secret = 42;
  constructor(x, y) { this.x = x; this.y = y; }
  norm() { return Math.hypot(this.x, this.y); }
  get x2() { return this.x * 2; }
  set x2(value) { this.x = value / 2; }
  static create() { return new Point(1, 1); }
  static get unit() { return 1; }
  #hidden() { return this.#secret; }
  static { Point.ready = true; }
}
`,
      [
        ["Point.origin", "() => new Point(0, 0)"],
        ["Point#onMove", "(dx) =>"],
        ["Point#count =", "count = 0"],
        ["Point.instances =", "static instances"],
        ["Point##secret =", "#secret = 42"],
        ["Point.constructor", "constructor("],
        ["Point#norm", "norm()"],
        ["get Point#x2", "get x2"],
        ["set Point#x2", "set x2"],
        ["Point.create", "static create"],
        ["get Point.unit", "static get unit"],
        ["Point##hidden", "#hidden()"],
        ["Point static {}", "static {"],
      ],
    );
  });

  it("computed keys show the key expression", () => {
    expectNames(
      `const key = "dynamic";
class Bag {
  [Symbol.iterator]() { return [][Symbol.iterator](); }
  ["literal key"]() {}
  [key]() {}
  [key + "2"]() {}
  42() {}
}
const table = { [key]: function () {}, [Symbol.toPrimitive]() { return 1; }, "quoted": () => 0 };
`,
      [
        ["Bag#[Symbol.iterator]", "[Symbol.iterator]()"],
        ['Bag#["literal key"]', '["literal key"]'],
        ["Bag#[key]", "[key]() {}"],
        ["Bag#[computed]", '[key + "2"]'],
        ["Bag#42", "42()"],
        ["table[key]", "function () {}"],
        ["table[Symbol.toPrimitive]", "[Symbol.toPrimitive]()"],
        ["table.quoted", "() => 0"],
      ],
    );
  });

  it("object literal methods, accessors and nested objects are qualified by the object's name", () => {
    expectNames(
      `const api = {
  fetch() { return 1; },
  get size() { return 0; },
  set size(v) {},
  nested: { deep() { return 2; } },
};
`,
      [
        ["api.fetch", "fetch()"],
        ["get api.size", "get size"],
        ["set api.size", "set size"],
        ["api.nested.deep", "deep()"],
      ],
    );
  });

  it("default exports are `default` unless they have a name of their own", () => {
    expectNames("export default function () { return 1; }\n", [["default", "function ()"]]);
    expectNames("export default function main() { return 1; }\n", [["main", "function main"]]);
    expectNames("export default () => 1;\n", [["default", "() => 1"]]);
    expectNames("export default class { run() {} }\n", [["default#run", "run()"]]);
  });

  it("class expressions are named by their binding", () => {
    expectNames("const Shape = class { area() { return 0; } };\nexport const Named = class Inner { static make() {} };\n", [
      ["Shape#area", "area()"],
      ["Inner.make", "static make"],
    ]);
  });

  it("callbacks are named by the call they are passed to", () => {
    expectNames(
      `const list = [1, 2];
list.map((x) => x * 2);
setTimeout(function () {}, 0);
list.forEach(async (x) => x);
`,
      [
        ["list.map callback", "(x) => x * 2"],
        ["setTimeout callback", "function () {}"],
        ["list.forEach callback", "async (x)"],
      ],
    );
  });

  it("other functions are <anonymous:LINE:COLUMN>, the column 1-based as in stack traces", () => {
    const source = `(function () { return 1; })();
[1].map((x) => x);
export const pair = [() => 1, () => 2];
`;
    const first = positionOf(source, "function ()");
    const second = positionOf(source, "(x) => x");
    const third = positionOf(source, "() => 1");
    const fourth = positionOf(source, "() => 2");
    expectNames(source, [
      [`<anonymous:${first.line}:${first.column + 1}>`, "function ()"],
      [`<anonymous:${second.line}:${second.column + 1}>`, "(x) => x"],
      [`<anonymous:${third.line}:${third.column + 1}>`, "() => 1"],
      [`<anonymous:${fourth.line}:${fourth.column + 1}>`, "() => 2"],
    ]);
  });

  it("an object literal passed to a call does not make its functions callbacks", () => {
    expectNames("configure({ onReady: () => 1, start() {} });\n", [
      ["onReady", "() => 1"],
      ["start", "start()"],
    ]);
  });

  it("TypeScript members keep the same names (modifiers, abstract classes, overloads)", () => {
    const source = `abstract class Repo<T> {
  constructor(private readonly items: T[]) {}
  abstract find(id: string): T | undefined;
  public count(): number { return this.items.length; }
  protected static empty<U>(): U[] { return []; }
  get(id: number): T;
  get(id: string): T;
  get(id: number | string): T { return this.items[Number(id)]!; }
}
`;
    const table = emittedTable(instrumentSource(source, { filename: "/projects/app/repo.ts" }).code);
    expect(table.fns.slice(1).map((f) => [f.name, f.line, f.column])).toEqual([
      ["Repo.constructor", ...Object.values(positionOf(source, "constructor("))],
      ["Repo#count", ...Object.values(positionOf(source, "public count"))],
      ["Repo.empty", ...Object.values(positionOf(source, "protected static empty"))],
      ["Repo#get", ...Object.values(positionOf(source, "get(id: number | string)"))],
    ]);
  });
});

describe("function kinds", () => {
  it("mark modules, arrows, methods, constructors, async functions, generators, fields and static blocks", () => {
    const source = `export async function* gen() {}
const arrow = async () => 1;
class K {
  field = 1;
  constructor() {}
  *items() {}
  static {}
}
`;
    const table = emittedTable(transformWithPlugin(source, "/projects/app/kinds.mjs").code);
    const kinds = Object.fromEntries(table.fns.map((f) => [f.name, f.kind]));
    const { MODULE, ASYNC, GENERATOR, ARROW, METHOD, CONSTRUCTOR, FIELD, STATIC_BLOCK } = FUNCTION_KIND;
    expect(kinds).toEqual({
      "<module>": MODULE,
      gen: ASYNC | GENERATOR,
      arrow: ASYNC | ARROW,
      "K#field =": FIELD,
      "K.constructor": METHOD | CONSTRUCTOR,
      "K#items": METHOD | GENERATOR,
      "K static {}": STATIC_BLOCK,
    });
  });
});
