/**
 * Checklist items 1 (directive prologues), 4 (name inference), 5 (expression-bodied arrows),
 * 6 (implicit and bare returns) and 14 (arguments, this, new.target, super).
 */
import { describe, expect, it } from "vitest";
import { differential } from "../helpers/differential.js";
import { traceFacts } from "../helpers/trace-facts.js";

describe("1. directive prologues", () => {
  it("keeps 'use strict' functions strict and sloppy functions sloppy", () => {
    const r = differential(
      `function strict() { "use strict"; return this }
function sloppy() { return this === globalThis }
function twoDirectives() { 'use strict'; 'another directive'; return typeof this }
function nonSimple(a = 1, ...rest) { implicitGlobal = a; return (function () { return this === globalThis })() }
const strictArrow = () => { "use strict"; return (function () { return this })() };
console.log(strict() === undefined, sloppy(), twoDirectives(), nonSimple(), typeof implicitGlobal, strictArrow());
console.log(strict.toString().split("{")[0], twoDirectives.toString().split("{")[0]);
try { (function () { "use strict"; undeclaredStrict = 1 })() } catch (e) { console.log(e.name, e.message) }
`,
      { ext: ".cjs" },
    );
    expect(r.plain.stdout).toContain("true true undefined true number undefined");
  });

  it("keeps a script-level 'use strict' prologue in force", () => {
    differential(
      `"use strict";
console.log((function () { return this })());
try { leaked = 1 } catch (e) { console.log(e.name) }
function f() { return this } console.log(f());
`,
      { ext: ".cjs" },
    );
  });

  it("still rejects 'use strict' in a function with non-simple parameters", () => {
    const r = differential(
      `try { new Function("a = 1", "'use strict'; return a") } catch (e) { console.log(e.name, e.message) }
function ok(a, b) { "use strict"; return [a, b, ok.length] }
console.log(ok(1, 2).join());
`,
      { ext: ".cjs" },
    );
    expect(r.plain.stdout).toContain("SyntaxError");
  });
});

describe("4. name inference and length", () => {
  it("keeps inferred names of function and class expressions", () => {
    differential(
      `const f = function () {};
const g = () => {};
const o = { m: () => {}, n: function () {}, ["c" + "k"]: () => {}, async am() {}, *gm() {}, get x() { return 1 }, set x(v) {} };
let h; h = () => {};
let lg; lg ||= () => {};
const [d1 = () => {}] = [];
const { d2 = function () {} } = {};
const C = class {};
class K { static s = () => {}; #p = () => {}; field = function () {}; arrowField = () => {}; getP() { return this.#p.name } }
const member = {}; member.prop = function () {};
function mk() { return () => {} }
const mk2 = () => () => {};
function* gy() { yield function () {} }
async function aw() { return await (() => {}) }
const desc = Object.getOwnPropertyDescriptor(o, "x");
console.log([f.name, g.name, o.m.name, o.n.name, o.ck.name, o.am.name, o.gm.name, desc.get.name, desc.set.name, h.name, lg.name].join("|"));
console.log([d1.name, d2.name, C.name, K.s.name, new K().getP(), new K().field.name, new K().arrowField.name, member.prop.name].join("|"));
console.log(JSON.stringify([mk().name, mk2().name, gy().next().value.name, (function () {}).name, (() => {}).name, (class {}).name]));
aw().then((fn) => console.log("awaited name", JSON.stringify(fn.name)));
try { throw function () {} } catch (e) { console.log("thrown name", JSON.stringify(e.name)) }
`,
    );
  });

  it("keeps fn.length with defaults, rest and destructuring", () => {
    differential(
      `function a(x, y) {}
function b(x, y = 1, z) {}
function c(...r) {}
function d({ p }, [q], r = 2, ...s) {}
const e = (x, y, z) => x;
const f = async (x, { y } = {}) => x;
function* g(x, y) {}
class K { constructor(a, b, c) {} m(a, b = 0) {} static s(a) {} }
console.log([a, b, c, d, e, f, g, K, new K().m, K.s].map((fn) => fn.name + ":" + fn.length).join(" "));
`,
    );
  });

  it("names default exports 'default'", () => {
    const r = differential(
      `import fn from "./d1.mjs";
import arrow from "./d2.mjs";
import expr from "./d4.mjs";
console.log(JSON.stringify([fn.name, arrow.name, expr.name, fn.length, arrow.length]));
`,
      {
        files: {
          "d1.mjs": "export default function (a, b) { return a + b }\n",
          "d2.mjs": "export default (x) => x * 2;\n",
          "d4.mjs": "export default (function named() {});\n",
        },
      },
    );
    expect(r.plain.stdout).toBe('["default","default","named",2,1]\n');
  });
});

describe("5. expression-bodied arrows", () => {
  it("evaluate their body once and keep its value", () => {
    const source = `let count = 0;
const a = () => { count++; return "a" };
const b = () => 2;
const obj = (x) => ({ a: x });
const seq = (x) => (a(), b());
const cond = (x) => x ? a() : "no";
const voided = () => void a();
const nested = (x) => (y) => x + y;
const asyncArrow = async (x) => await x;
console.log(JSON.stringify(obj(3)), seq(0), cond(0), cond(1), voided(), nested(1)(2), count);
asyncArrow(Promise.resolve(5)).then((v) => console.log("async", v, count));
`;
    const r = differential(source);
    expect(r.plain.stdout).toBe('{"a":3} 2 no a undefined 3 3\nasync 5 3\n');
    const facts = traceFacts(r.events);
    expect(facts.callsOf("seq").map((c) => c.returned)).toEqual([2]);
    expect(facts.callsOf("a")).toHaveLength(3);
    expect(facts.callsOf("nested")[0]!.returnRecord).toBeDefined();
    const asyncCalls = facts.callsOf("asyncArrow");
    expect(asyncCalls).toHaveLength(2);
    expect(asyncCalls[1]!.returned).toBe(5);
  });
});

describe("6. implicit and bare returns", () => {
  it("record undefined for falling off the end and for `return;`", () => {
    const source = `function fallOff() { 1 + 1 }
function bare() { return; }
function early(x) { if (x) return; console.log("not early") }
const arrowBlock = () => { };
class K { method() { } }
console.log(fallOff(), bare(), early(true), early(false), arrowBlock(), new K().method());
`;
    const r = differential(source);
    const facts = traceFacts(r.events);
    for (const name of ["fallOff", "bare", "early", "arrowBlock"]) {
      const calls = facts.callsOf(name);
      expect(calls.length, name).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call.returnAt, name).toBeGreaterThan(0);
        expect(call.returned, name).toBeUndefined();
      }
    }
  });
});

describe("14. arguments, this, new.target, super", () => {
  it("keeps the arguments object mapped in sloppy functions and unmapped elsewhere", () => {
    const r = differential(
      `function mapped(a) { arguments[0] = 2; return a }
function mappedBack(a) { a = 3; return arguments[0] }
function strict(a) { "use strict"; arguments[0] = 2; return a }
function nonSimple(a = 0) { arguments[0] = 2; return a }
function count() { return arguments.length }
function callee() { return arguments.callee === callee }
function outer() { const arrow = () => arguments.length + ":" + arguments[0]; return arrow(9, 9, 9) }
function viaEvalArgs(a) { return eval("arguments[0]") }
console.log(mapped(1), mappedBack(1), strict(1), nonSimple(1), count(), count(1, 2, 3), callee(), outer("x", "y"), viaEvalArgs(7));
`,
      { ext: ".cjs" },
    );
    expect(r.plain.stdout).toBe("2 3 1 1 0 3 true 2:x 7\n");
  });

  it("keeps this, new.target and arrows' lexical bindings", () => {
    const r = differential(
      `const o = { tag: "o" };
function thisArrow() { return (() => this)() }
function N() { this.isNew = new.target === N; this.arrowTarget = (() => new.target)() === N }
function plainCall() { return new.target }
class Base { constructor() { this.target = new.target.name } }
class Derived extends Base {}
function sloppyThis() { return this === globalThis }
function strictThis() { "use strict"; return this }
console.log(thisArrow.call(o) === o, JSON.stringify(new N()), plainCall(), new Derived().target, sloppyThis(), strictThis.call(5));
console.log(Reflect.construct(N, [], Base).isNew, typeof Reflect.construct(function () { return new.target }, []));
`,
      { ext: ".cjs" },
    );
    expect(r.plain.stdout).toBe('true {"isNew":true,"arrowTarget":true} undefined Derived true 5\nfalse function\n');
  });

  it("keeps super property access in methods, object literals and field initialisers", () => {
    const r = differential(
      `class A { m() { return "A.m" } get x() { return "A.x:" + this.tag } static s() { return "A.s" } }
class B extends A {
  tag = "b";
  fromField = super.m();
  arrowSuper = () => super.x;
  m() { return super.m() + "/" + super.x }
  static s() { return super.s() + "/B" }
  viaArrow() { return (() => super.m())() }
}
const base = { hi() { return "base hi " + this.name } };
const obj = { __proto__: base, name: "obj", hi() { return "obj/" + super.hi() } };
const b = new B();
console.log(b.m(), B.s(), b.viaArrow(), b.fromField, b.arrowSuper(), obj.hi());
`,
    );
    expect(r.plain.stdout).toBe("A.m/A.x:b A.s/B A.m A.m A.x:b obj/base hi obj\n");
  });
});
