/**
 * Checklist items 2 (`this` before `super()`), 3 (TypeScript parameter properties and field
 * initialisers), 20 (class bodies) and, from "Also:", accessors and object-literal methods.
 */
import { describe, expect, it } from "vitest";
import { differential } from "../helpers/differential.js";
import { Thrown, traceFacts } from "../helpers/trace-facts.js";

/** Prints every own key (strings and symbols) of a value: helper properties would show up here. */
const OWN_KEYS = `const ownKeys = (v) => Reflect.ownKeys(v).map(String).sort().join(",");`;

describe("2. this before super()", () => {
  it("keeps the TDZ of this in derived constructors and arrows in super arguments", () => {
    const r = differential(
      `class A { constructor(f) { this.f = f; this.a = 1 } }
class B extends A {
  constructor() {
    let caught;
    try { this.x = 1 } catch (e) { caught = e.constructor.name + ": " + e.message }
    super(() => this.b);
    this.b = 2;
    console.log(caught, "|", this.f());
  }
}
new B();
class C extends A { constructor() { const get = () => this; super(get); console.log(get() === this) } }
new C();
class D extends A { constructor() { this.x = 1; super() } }
try { new D() } catch (e) { console.log("D", e.constructor.name, e.message) }
class E extends A { constructor() {} }
try { new E() } catch (e) { console.log("E", e.constructor.name, e.message) }
class F extends A { constructor() { super(); return { replaced: true } } }
console.log(JSON.stringify(new F()));
class G extends A { constructor() { return undefined } }
try { new G() } catch (e) { console.log("G", e.message) }
class H extends A { constructor() { super(); try { super() } catch (e) { console.log("H", e.message) } } }
new H();
class I extends A { constructor(cond) { if (cond) { super(1) } else { super(2) } console.log("I", this.f) } }
new I(true); new I(false);
`,
    );
    expect(r.plain.stdout.split("\n")[0]).toContain("ReferenceError");
  });
});

describe("3. TypeScript parameter properties and field initialisers", () => {
  it("run right after super(), in the same order", () => {
    const r = differential(
      `class Base {
  constructor() { console.log("base sees", (this as any).p, (this as any).q) }
}
class D extends Base {
  q: number = (console.log("field q sees p =", (this as any).p), 2);
  declare onlyType: string;
  constructor(public p: number, private r: number = 3, readonly s?: string) {
    console.log("before super");
    super();
    console.log("after super", this.p, this.q, this.r, this.s);
  }
  get rr(): number { return this.r }
}
const d = new D(1, undefined, "s");
console.log(Object.keys(d).join(","), d.rr);
class Plain { constructor(private readonly x: number, public y = x * 2) {} }
console.log(JSON.stringify(new Plain(4)));
`,
      { ext: ".ts" },
    );
    expect(r.plain.stdout).toContain("before super");
  });

  it("runs JS field initialisers after super() with this bound to the instance", () => {
    differential(
      `const order = [];
class Base { constructor() { order.push("base ctor " + Object.keys(this).join("+")) } }
class D extends Base {
  a = order.push("field a " + Object.keys(this).join("+"));
  b = this.a + 1;
  static s = order.push("static s " + this.name);
  constructor() { order.push("ctor before super"); super(); order.push("ctor after super " + Object.keys(this).join("+")) }
}
new D();
console.log(order.join("\\n"));
`,
    );
  });

  it("records each field initialiser as a frame with its value, and one that throws as unwound", () => {
    const r = differential(
      `function fail(why) { throw new Error(why) }
function twice(x) { return x * 2 }
class P { ok = twice(21); bad = this.ok > 40 ? fail("field " + this.ok) : 0 }
try { new P() } catch (e) { console.log(e.message) }
console.log(twice(1));
`,
    );
    expect(r.plain.stdout).toBe("field 42\n2\n");
    const facts = traceFacts(r.events);
    const fields = facts.calls.filter((c) => c.name.startsWith("P#"));
    expect(fields.map((c) => c.name)).toEqual(["P#ok =", "P#bad ="]);
    expect(fields[0]!.returned).toBe(42);
    expect(fields[1]!.returned).toBeInstanceOf(Thrown);
    expect(JSON.stringify((fields[1]!.returned as Thrown).value)).toContain("field 42");
    // the call to twice() inside the first initialiser is its child, not a sibling
    expect(facts.callsOf("twice")[0]!.parent).toBe("P#ok =");
  });
});

describe("20. class bodies", () => {
  it("keep computed keys, private members, static blocks, accessors and extends(expr)", () => {
    const r = differential(
      `${OWN_KEYS}
const order = [];
let counter = 0;
const key = (what) => { order.push("key " + what); return "k" + (++counter) };
class Base { static baseStatic = "bs"; baseMethod() { return "base" } }
function mixin(B) { order.push("heritage"); return class extends B { mixed() { return "mixed" } } }
class C extends (order.push("extends expr"), mixin(Base)) {
  [key("field")] = order.push("field init");
  static [key("static field")] = order.push("static field init");
  [key("method")]() { return "m" }
  #priv = 3;
  #m() { return this.#priv }
  static #sp = 4;
  static { order.push("static block " + typeof this + " " + C.#sp); this.fromBlock = C.#sp + 1 }
  get acc() { return this.#m() }
  set acc(v) { this.#priv = v }
  static get sacc() { return "s" }
  static has(o) { return #priv in o }
  "quoted key"() { return "q" }
  123() { return "num" }
  static { order.push("second static block") }
}
const c = new C();
c.acc = 9;
console.log(order.join(" / "));
console.log(c.acc, C.sacc, C.fromBlock, C.has(c), C.has({}), c.k3(), c["quoted key"](), c[123](), c.mixed(), c.baseMethod(), C.baseStatic);
console.log("C:", ownKeys(C));
console.log("proto:", ownKeys(C.prototype));
console.log("instance:", ownKeys(c), JSON.stringify(c));
console.log("names:", C.name, C.length, Object.getPrototypeOf(C).name === "", typeof Object.getOwnPropertyDescriptor(C.prototype, "acc").get);
try { C.prototype.acc } catch (e) { console.log(e.constructor.name, e.message) }
`,
    );
    expect(r.plain.stdout).toContain("heritage");
  });

  it("keeps class expression names, static this and field arrow this", () => {
    differential(
      `${OWN_KEYS}
const K = class { static n = this.name; arrow = () => this; static self = this };
const Named = class Inner { static n = Inner.name; m() { return Inner === Named } };
const k = new K();
console.log(K.name, K.n, K.self === K, k.arrow() === k, Named.name, Named.n, new Named().m());
console.log(ownKeys(K), "|", ownKeys(k), "|", ownKeys(Named), "|", ownKeys(Named.prototype));
`,
    );
  });

  it("adds no helper properties to instances of classes with fields and private state", () => {
    const r = differential(
      `${OWN_KEYS}
class P { x = 1; #y = 2; static z = 3; static #w = 4; constructor(a) { this.a = a } get y() { return this.#y } }
class Q extends P { q = this.x + 1; constructor() { super("a") } }
const q = new Q();
console.log(ownKeys(P), "|", ownKeys(P.prototype), "|", ownKeys(Q), "|", ownKeys(Q.prototype), "|", ownKeys(q));
console.log(Object.getOwnPropertyNames(q).join(), Object.getOwnPropertySymbols(q).length, Object.getOwnPropertySymbols(P).length, JSON.stringify(q));
for (const k in q) console.log("enumerable", k);
`,
    );
    const facts = traceFacts(r.events);
    expect(facts.callsOf("P.constructor")).toHaveLength(1);
    expect(facts.callsOf("P.constructor")[0]!.args).toEqual({ a: "a" });
    expect(facts.callsOf("Q.constructor")).toHaveLength(1);
    expect(facts.callsOf("Q#q =").map((c) => c.returned)).toEqual([2]);
  });
});

describe("20. exported class declarations", () => {
  it("instruments modules that export class declarations", () => {
    const r = differential(
      `import Anonymous from "./anon.mjs";
import Named, { Exported } from "./named.mjs";
console.log(new Exported(2).twice(), Named.name, new Named().m(), Anonymous.name, new Anonymous().n());
`,
      {
        files: {
          "named.mjs": `export class Exported { constructor(x) { this.x = x } twice() { return this.x * 2 } }\nexport default class Named { m() { return "named" } }\n`,
          "anon.mjs": `export default class { n() { return "anonymous" } }\n`,
        },
      },
    );
    expect(r.plain.stdout).toBe("4 Named named default anonymous\n");
  });
});

describe("Also: accessors and object-literal methods", () => {
  it("keeps __proto__ keys, computed keys, accessors and method names", () => {
    differential(
      `const proto = { inherited() { return "inherited" } };
const name = "dyn";
let gets = 0, sets = 0;
const o = {
  __proto__: proto,
  ["__proto__"]: "own property",
  [name + "Key"]: 1,
  [name]() { return "dyn method" },
  get g() { gets++; return "g" },
  set g(v) { sets++ },
  async am() { return 1 },
  *gm() { yield 1 },
  "str key"() {},
  42: "n",
};
const shorthand = (() => { const __proto__ = "short"; return { __proto__ } })();
const quoted = { "__proto__": proto };
o.g; o.g = 1; o.g;
console.log(Object.getPrototypeOf(o) === proto, o.inherited(), Object.keys(o).join(","), o.dyn(), o.dyn.name, gets, sets);
console.log(Object.getPrototypeOf(shorthand) === Object.prototype, Object.keys(shorthand).join(), Object.getPrototypeOf(quoted) === proto);
const d = Object.getOwnPropertyDescriptor(o, "g");
console.log(d.get.name, d.set.name, d.enumerable, d.configurable, o.am.name, o.gm.name, o["str key"].name);
class WithAccessors { static #count = 0; get v() { return ++WithAccessors.#count } set v(x) { WithAccessors.#count = x } }
const w = new WithAccessors(); w.v; w.v = 10; console.log(w.v);
`,
    );
  });
});
