/**
 * `this` and private fields at line steps (checklist items 2, 14 and 20 seen from the recorder):
 * steps of class members and object-literal methods pass `this`, and in classes with private
 * fields the class's reader of them (brand checks, called by the recorder). The program must
 * behave exactly as without ctjs: no
 * ReferenceError from `this` before `super()`, no TypeError from a brand check on a foreign or
 * primitive `this`, no call of a private getter or setter, no Proxy trap, and the user's own
 * `#x in obj` checks unchanged.
 */
import { describe, expect, it } from "vitest";
import { differential, lineOf } from "../helpers/differential.js";
import { localsOracle } from "../helpers/locals-oracle.js";
import { traceFacts, type TraceEvent } from "../helpers/trace-facts.js";

/**
 * What the locals panel shows as `this` at each step at `line` (decoded; `absent` when it shows
 * none), computed as CodeTracer does, so it holds whether the runtime wrote values on change or at
 * every step.
 */
function thisShownAt(events: TraceEvent[], line: number): unknown[] {
  const facts = traceFacts(events);
  const oracle = localsOracle(events);
  const shown: unknown[] = [];
  for (const [index, locals] of oracle.rawViews()) {
    if (oracle.describeStep(index).line !== line) continue;
    const record = locals.get("this");
    shown.push(record === undefined ? ABSENT : facts.decode(record as never));
  }
  return shown;
}

const ABSENT = "<absent>";

const ACCOUNT = `let getterCalls = 0;
let setterCalls = 0;
class Account {
  #balance = 0;
  #history = [];
  static #accounts = 0;
  static #registry;
  static {
    Account.#registry = new Map();
    const note = "registry ready"; // @static-block
  }
  get #summary() { getterCalls++; return this.#balance + "/" + this.#history.length }
  set #summary(value) { setterCalls++; this.#balance = value }
  #audit(amount) { this.#history.push(amount) }
  constructor(owner) {
    this.owner = owner;
    Account.#accounts++;
    Account.#registry.set(owner, this);
  }
  deposit(amount) {
    this.#balance += amount; // @deposit
    this.#audit(amount);
    return this.#balance;
  }
  describe() {
    return this.#summary;
  }
  reset() {
    this.#summary = 0;
    return this.#balance;
  }
  static count() {
    return this.#accounts; // @count
  }
  static isAccount(x) { return #balance in x }
}
const account = new Account("ann");
account.deposit(5);
account.deposit(7);
console.log(account.describe(), account.reset(), Account.count(), Account.isAccount(account), Account.isAccount({}));
console.log("getter calls", getterCalls, "setter calls", setterCalls);
`;

describe("private fields, accessors, static blocks", () => {
  it("run the same, and the recorder calls no private getter or setter", () => {
    const r = differential(ACCOUNT);
    expect(r.plain.stdout).toBe("12/2 0 1 true false\ngetter calls 1 setter calls 1\n");
    // `this` is the account with its private fields, never the accessor #summary nor the method #audit
    expect(thisShownAt(r.events, lineOf(ACCOUNT, "@deposit"))).toEqual([
      { owner: "ann", "#balance": 0, "#history": [] },
      { owner: "ann", "#balance": 5, "#history": [5] },
    ]);
    // in a static block and a static method, `this` is the class
    expect(thisShownAt(r.events, lineOf(ACCOUNT, "@static-block"))).toHaveLength(1);
    expect(thisShownAt(r.events, lineOf(ACCOUNT, "@static-block"))[0]).not.toBe(ABSENT);
    expect(thisShownAt(r.events, lineOf(ACCOUNT, "@count"))[0]).not.toBe(ABSENT);
  });
});

const DERIVED = `class Base {
  #base = "b";
  constructor(tag) { this.tag = tag }
  baseTag() { return this.#base + this.tag }
}
class Child extends Base {
  #child = 1;
  constructor(n) {
    const doubled = n * 2; // @before-super
    let early;
    try { early = this.tag } catch (e) { early = e.constructor.name }
    super(String(doubled), (() => { return typeof n })()); // @super
    const later = () => {
      return this.#child + this.tag; // @arrow-after-super
    };
    this.extra = later(); // @after-super
    console.log(early, this.extra, this.baseTag());
  }
}
new Child(2);
class Conditional extends Base {
  constructor(flag) {
    if (flag) super("yes"); else super("no");
    console.log(this.tag); // @conditional-after
  }
}
new Conditional(true);
new Conditional(false);
class Replacing extends Base {
  constructor() {
    return { replaced: true }; // @no-super
  }
}
console.log(JSON.stringify(new Replacing()));
class Twice extends Base {
  constructor() {
    super("once");
    try { super("twice") } catch (e) { console.log(e.constructor.name) }
    console.log(this.tag); // @twice-after
  }
}
new Twice();
`;

describe("derived constructors", () => {
  it("run the same with code before and after super(), and show `this` only after it", () => {
    const r = differential(DERIVED);
    expect(r.plain.stdout).toBe("ReferenceError 14 b4\nyes\nno\n{\"replaced\":true}\nReferenceError\nonce\n");
    expect(thisShownAt(r.events, lineOf(DERIVED, "@before-super"))).toEqual([ABSENT]);
    // the super(…) statement, and the arrow its arguments call
    expect(new Set(thisShownAt(r.events, lineOf(DERIVED, "@super")))).toEqual(new Set([ABSENT]));
    expect(thisShownAt(r.events, lineOf(DERIVED, "@no-super"))).toEqual([ABSENT]);
    // a super() inside an `if` is not certainly done: no `this` in that constructor at all
    expect(thisShownAt(r.events, lineOf(DERIVED, "@conditional-after"))).toEqual([ABSENT, ABSENT]);
    // Child's own private field; Base's #base belongs to Base's sites
    expect(thisShownAt(r.events, lineOf(DERIVED, "@after-super"))).toEqual([{ tag: "4", "#child": 1 }]);
    expect(thisShownAt(r.events, lineOf(DERIVED, "@arrow-after-super"))).toEqual([{ tag: "4", "#child": 1 }]);
    expect(thisShownAt(r.events, lineOf(DERIVED, "@twice-after"))).toEqual([expect.objectContaining({ tag: "once" })]);
  });
});

const BRANDS = `let traps = 0;
class Point {
  #x;
  #y;
  static #origin;
  constructor(x, y) { this.#x = x; this.#y = y }
  static { Point.#origin = new Point(0, 0) }
  static isPoint(p) { return #x in p }
  norm() {
    const has = typeof this === "object" && this !== null && #x in this; // @norm
    return has ? Math.hypot(this.#x, this.#y) : "not a point";
  }
  static origin() {
    return this.#origin;
  }
}
const p = new Point(3, 4);
const norm = Point.prototype.norm;
console.log(p.norm(), norm.call({ x: 3 }), norm.call(7), norm.call(undefined), norm.call(null), norm.call(Symbol.iterator));
console.log(Point.isPoint(p), Point.isPoint({}), Point.origin() instanceof Point);
class Sub extends Point {}
try { Sub.origin() } catch (e) { console.log(e.constructor.name) }
const counting = {};
for (const trap of ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf"]) {
  counting[trap] = (...args) => { traps++; return Reflect[trap](...args) };
}
const spy = new Proxy({ y: 1 }, counting);
console.log(norm.call(spy), "traps", traps);
`;

describe("brand checks", () => {
  it("in user code still work, and methods called on foreign, primitive or Proxy receivers run the same", () => {
    const r = differential(BRANDS);
    expect(r.plain.stdout).toBe("5 not a point not a point not a point not a point not a point\ntrue false true\nTypeError\nnot a point traps 0\n");
    const shown = thisShownAt(r.events, lineOf(BRANDS, "@norm"));
    expect(shown).toHaveLength(7);
    expect(shown[0]).toEqual({ "#x": 3, "#y": 4 });
    // the foreign receivers fail the brand checks: no private field is shown for them
    expect(shown[1]).toEqual({ x: 3 });
    expect(shown[6]).not.toHaveProperty("#x");
    expect(shown[2]).toBe(7);
    expect(shown[3]).toBeUndefined();
    expect(shown[4]).toBeNull();
  });
});

const EVALUATIONS = `const Counted = (Base) => class extends Base {
  #count = 0;
  bump() {
    this.#count++; // @bump
    return this.#count;
  }
};
class A {}
class B {}
const CA = Counted(A);
const CB = Counted(B);
const a = new CA();
const b = new CB();
a.bump(); b.bump(); b.bump();
console.log(a.bump(), b.bump());
try { CA.prototype.bump.call(b) } catch (e) { console.log(e.constructor.name) }
const made = [];
for (let i = 0; i < 2; i++) {
  made.push(new (class {
    #i = i;
    get() {
      return this.#i; // @loop
    }
  })());
}
console.log(made.map((m) => m.get()).join());
function withDefault(C = class {
  #d = "d";
  read() {
    return this.#d; // @default
  }
}) {
  return new C().read();
}
console.log(withDefault());
`;

describe("classes evaluated more than once", () => {
  it("run the same, and each class shows its own private fields, never another evaluation's", () => {
    const r = differential(EVALUATIONS);
    expect(r.plain.stdout).toBe("2 3\nTypeError\n0,1\nd\n");
    // each call of the mixin made a class of its own: a's and b's counts, then CA's method on b, which has none of CA's fields
    expect(thisShownAt(r.events, lineOf(EVALUATIONS, "@bump"))).toEqual([
      { "#count": 0 },
      { "#count": 0 },
      { "#count": 1 },
      { "#count": 1 },
      { "#count": 2 },
      {},
    ]);
    // classes made by one run of a loop share their reader: the last one's finds no field of the first
    const looped = thisShownAt(r.events, lineOf(EVALUATIONS, "@loop"));
    expect(looped).toHaveLength(2);
    expect([{}, { "#i": 0 }]).toContainEqual(looped[0]);
    expect(looped[1]).toEqual({ "#i": 1 });
    // a class in a parameter's default value sees its reader too (declared outside the function's body)
    expect(thisShownAt(r.events, lineOf(EVALUATIONS, "@default"))).toEqual([{ "#d": "d" }]);
  });
});

describe("object-literal methods", () => {
  it("run the same called on their object and detached, in a CommonJS (sloppy) file", () => {
    const source = `const counter = {
  n: 0,
  bump() {
    this.n = (this.n || 0) + 1; // @bump
    return this.n;
  },
};
console.log(counter.bump(), counter.bump());
const detached = counter.bump;
console.log(detached(), typeof globalThis.n);
`;
    const r = differential(source, { ext: ".cjs" });
    expect(r.plain.stdout).toBe("1 2\n1 number\n");
    const shown = thisShownAt(r.events, lineOf(source, "@bump"));
    expect(shown[0]).toMatchObject({ n: 0 });
    expect(shown[1]).toMatchObject({ n: 1 });
    // detached in sloppy mode `this` is the global object: shown, without running its getters
    expect(shown).toHaveLength(3);
  });
});

describe("async methods and generators", () => {
  it("keep `this` across await and yield", () => {
    const source = `class Queue {
  #items = [];
  async add(item) {
    await null;
    this.#items.push(item); // @after-await
    return this.#items.length;
  }
  *drain() {
    while (this.#items.length > 0) {
      yield this.#items.shift(); // @yield
    }
  }
}
const q = new Queue();
await q.add("a");
await q.add("b");
console.log([...q.drain()].join(","));
`;
    const r = differential(source);
    expect(r.plain.stdout).toBe("a,b\n");
    // the queue, shown again in each resumed segment (a resumption is a call of its own)
    expect(thisShownAt(r.events, lineOf(source, "@after-await"))).toEqual([{ "#items": [] }, { "#items": ["a"] }]);
    expect(thisShownAt(r.events, lineOf(source, "@yield"))).toEqual([{ "#items": ["a", "b"] }, { "#items": ["b"] }]);
  });
});

describe("TypeScript classes", () => {
  it("with parameter properties, TS-private and #private members run the same", () => {
    differential(
      `class Base { constructor(protected label: string) {} }
class Item extends Base {
  #secret = 42;
  private hidden = "h";
  constructor(public readonly id: number, label: string) {
    const upper = label.toUpperCase();
    super(upper);
    console.log(this.id, this.label, this.hidden, this.#secret);
  }
  static is(x: unknown): boolean { return typeof x === "object" && x !== null && #secret in x }
}
console.log(Item.is(new Item(1, "one")), Item.is({}));
`,
      { ext: ".ts" },
    );
  });
});
