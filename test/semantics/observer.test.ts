/**
 * Checklist item 17 (observer effect): recording locals, arguments, return values, thrown,
 * yielded and awaited values must never run user code: no getters, Proxy traps, toString,
 * toJSON, valueOf, Symbol.toPrimitive, Symbol.toStringTag, nor user iterators.
 */
import { describe, expect, it } from "vitest";
import { differential } from "../helpers/differential.js";

/** Objects that count every way a recorder could run user code; `report()` prints the counters. */
const TRAPS = `const hits = [];
const hit = (what) => { hits.push(what) };
const report = (label) => console.log(label, hits.length === 0 ? "untouched" : hits.join(","));
const getterObj = { get g() { hit("getter"); return 1 }, plain: 2 };
Object.defineProperty(getterObj, "hidden", { get() { hit("non-enumerable getter"); return 3 }, enumerable: false });
const conversions = {
  toString() { hit("toString"); return "s" },
  valueOf() { hit("valueOf"); return 1 },
  toJSON() { hit("toJSON"); return {} },
  [Symbol.toPrimitive](hint) { hit("toPrimitive " + hint); return 1 },
  get [Symbol.toStringTag]() { hit("toStringTag"); return "Tag" },
};
const handler = {};
for (const trap of ["get", "set", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "defineProperty", "deleteProperty", "isExtensible", "preventExtensions", "setPrototypeOf", "apply", "construct"]) {
  handler[trap] = (...args) => { hit("proxy " + trap + (trap === "get" ? ":" + String(args[1]) : "")); return Reflect[trap](...args) };
}
const proxy = new Proxy({ inside: 1 }, handler);
const fnProxy = new Proxy(function target() {}, handler);
const arrayProxy = new Proxy([1, 2, 3], handler);
const iterable = { *[Symbol.iterator]() { hit("iterator"); yield 1 } };
class MyMap extends Map { *[Symbol.iterator]() { hit("map iterator"); yield* super[Symbol.iterator]() } entries() { hit("map entries"); return super.entries() } forEach(f) { hit("map forEach"); return super.forEach(f) } }
const myMap = new MyMap([[1, 2]]);
const patchedSet = new Set([1]); patchedSet[Symbol.iterator] = function* () { hit("set iterator"); yield 1 };
patchedSet.values = function () { hit("set values"); return Set.prototype.values.call(this) };
class Accessors { get computed() { hit("prototype getter"); return 1 } }
const instance = new Accessors();
const withConstructorGetter = {}; Object.defineProperty(withConstructorGetter, "constructor", { get() { hit("constructor getter"); return Object } });
class NamedByGetter { static get name() { hit("static name getter"); return "N" } }
class LoudError extends Error { get message() { hit("error message getter"); return "m" } get stack() { hit("error stack getter"); return "s" } get name() { hit("error name getter"); return "LoudError" } }
const loudError = new LoudError();
const arrayWithGetter = [1, 2]; Object.defineProperty(arrayWithGetter, 0, { get() { hit("index getter"); return 1 } });
const thenable = { get then() { hit("then getter"); return undefined } };
const all = { getterObj, conversions, proxy, fnProxy, arrayProxy, iterable, myMap, patchedSet, instance, withConstructorGetter, NamedByGetter, loudError, arrayWithGetter, thenable };
`;

describe("17. observer effect", () => {
  it("never runs user code while recording locals", () => {
    const r = differential(
      `${TRAPS}
function holdLocals() {
  const a = getterObj, b = conversions, c = proxy, d = fnProxy, e = arrayProxy, f = iterable, g = myMap, h = patchedSet;
  let i = instance, j = withConstructorGetter, k = NamedByGetter, l = loudError, m = arrayWithGetter, n = thenable;
  const nested = { a, b, c, d, e, f, g, h, i, j, k, l, m, n };
  const list = [a, b, c, d, e, f, g, h, i, j, k, l, m, n];
  let step = 1;
  step = 2;
  return step;
}
holdLocals();
report("locals:");
`,
    );
    expect(r.plain.stdout).toBe("locals: untouched\n");
  });

  it("never runs user code while recording arguments and return values", () => {
    const r = differential(
      `${TRAPS}
function takes(a, b, c, d, e, f, g, h, ...rest) { return rest.length }
takes(getterObj, conversions, proxy, fnProxy, arrayProxy, iterable, myMap, patchedSet, instance, withConstructorGetter, NamedByGetter, loudError, arrayWithGetter, thenable);
function destructures({ plain }, [first], { inside }) { return plain + first + inside }
destructures(getterObj, arrayProxy, proxy);
report("after args:");
for (const [name, value] of Object.entries(all)) {
  const give = () => value;
  give();
}
const arrowReturns = () => proxy;
arrowReturns();
report("after returns:");
`,
    );
    // destructuring the proxies in the parameter list runs their traps in both runs, and nothing else does
    expect(r.plain.stdout).toMatch(/^after args: .*proxy get:inside/);
  });

  it("never runs user code while recording thrown values", () => {
    const r = differential(
      `${TRAPS}
function throwsIt(v) { throw v }
for (const value of Object.values(all)) { try { throwsIt(value) } catch (e) { if (e !== value) console.log("different!") } }
report("after throws:");
`,
    );
    expect(r.plain.stdout).toBe("after throws: untouched\n");
  });

  it("never runs user code while recording yielded and awaited values", () => {
    const r = differential(
      `${TRAPS}
function* yields() { for (const value of Object.values(all)) { if (value !== thenable) yield value } }
for (const v of yields()) {}
report("after yields:");
async function awaits() { for (const value of [getterObj, conversions, myMap, patchedSet, instance, loudError, arrayWithGetter, iterable]) await value; return conversions }
awaits().then(() => report("after awaits:"));
`,
    );
    expect(r.plain.stdout).toBe("after yields: untouched\nafter awaits: untouched\n");
  });

  it("runs a thenable's then exactly as often as the plain run does", () => {
    const r = differential(
      `let thens = 0;
const thenable = { get then() { thens++; return (resolve) => resolve("resolved") } };
async function f() { const v = await thenable; return v }
f().then((v) => console.log(v, thens));
`,
    );
    expect(r.plain.stdout).toBe("resolved 1\n");
  });

  it("never runs user code for values captured at line steps in loops and closures", () => {
    const r = differential(
      `${TRAPS}
function loop() {
  let total = 0;
  for (const key in proxy) total++;
  for (let i = 0; i < 3; i++) { const holder = { conversions, proxy }; total += i }
  const entries = [...myMap.keys()];
  return total + entries.length;
}
loop();
report("loop:");
`,
    );
    expect(r.plain.stdout).toContain("loop:");
  });
});

describe("17. observer effect: patched built-ins and awkward values", () => {
  it("never calls patched prototype conversions or iterators while recording built-in values", () => {
    // the patches live in a file that is not instrumented, so that calls to them are only counted, not recorded
    const patches = `export const hits = [];
let armed = false;
export const arm = (on) => { armed = on };
const patch = (proto, key, label) => {
  const original = proto[key];
  Object.defineProperty(proto, key, { configurable: true, writable: true, value: function (...args) { if (armed) hits.push(label); return original.apply(this, args) } });
};
patch(Object.prototype, "toString", "Object#toString");
patch(Object.prototype, "valueOf", "Object#valueOf");
patch(Error.prototype, "toString", "Error#toString");
patch(Date.prototype, "toISOString", "Date#toISOString");
patch(Date.prototype, "toJSON", "Date#toJSON");
patch(Date.prototype, "toString", "Date#toString");
patch(Date.prototype, "valueOf", "Date#valueOf");
patch(Date.prototype, Symbol.toPrimitive, "Date#toPrimitive");
patch(RegExp.prototype, "toString", "RegExp#toString");
patch(Function.prototype, "toString", "Function#toString");
patch(Number.prototype, "toString", "Number#toString");
patch(Symbol.prototype, "toString", "Symbol#toString");
patch(BigInt.prototype, "toString", "BigInt#toString");
patch(Array.prototype, Symbol.iterator, "Array#iterator");
patch(Array.prototype, "values", "Array#values");
patch(Map.prototype, Symbol.iterator, "Map#iterator");
patch(Map.prototype, "entries", "Map#entries");
patch(Map.prototype, "forEach", "Map#forEach");
patch(Set.prototype, Symbol.iterator, "Set#iterator");
patch(Set.prototype, "values", "Set#values");
patch(Set.prototype, "forEach", "Set#forEach");
`;
    const r = differential(
      `import { arm, hits } from "./patches.mjs";
// built before arming: constructing Maps, Sets and typed arrays from arrays iterates them
const values = {
  date: new Date(0), re: /x/g, err: new TypeError("t"), fn: function named() {}, sym: Symbol("s"), big: 10n ** 20n,
  arr: [1, [2, 3]], map: new Map([[1, { k: "v" }]]), set: new Set(["a"]), plain: { n: 1, s: "x" },
  typed: new Uint8Array([1, 2]), nullProto: Object.create(null), boxed: new Number(5),
};
values.nullProto.k = 1;
function hold(date, re, err, fn, sym, big, arr, map, set, plain, typed, nullProto, boxed) {
  const copy = date, again = map, third = set;
  let done = true;
  return done;
}
const v = values;
arm(true);
hold(v.date, v.re, v.err, v.fn, v.sym, v.big, v.arr, v.map, v.set, v.plain, v.typed, v.nullProto, v.boxed);
arm(false);
const counts = {};
for (let i = 0; i < hits.length; i++) counts[hits[i]] = (counts[hits[i]] || 0) + 1;
console.log(hits.length === 0 ? "untouched" : JSON.stringify(counts));
`,
      { files: { "patches.mjs": patches }, plainFiles: ["patches.mjs"] },
    );
    expect(r.plain.stdout).toBe("untouched\n");
  });

  it("records cyclic, deep, huge and exotic values without changing the program", () => {
    const r = differential(
      `function hold() {
  const cyclic = { name: "c" }; cyclic.self = cyclic; cyclic.list = [cyclic];
  const deep = JSON.parse('{"next":'.repeat(2000) + "0" + "}".repeat(2000));
  const deepArray = JSON.parse("[".repeat(2000) + "]".repeat(2000));
  const huge = new Array(200000).fill(7);
  const longString = "x".repeat(1_000_000);
  const sparse = [1, , 3]; sparse[100] = 4;
  const special = [NaN, -0, Infinity, -Infinity, 2 ** 53 + 2, 1e300, 5e-324, -(2n ** 70n), null, undefined, true];
  const lone = "\\ud800 lone surrogate \\udfff";
  const symbolKeys = { [Symbol("k")]: 1, regular: 2 };
  const frozen = Object.freeze({ f: 1 });
  const weak = new WeakMap([[cyclic, 1]]);
  const promise = Promise.resolve(1);
  const bound = hold.bind(null);
  const args = (function () { return arguments })(1, 2);
  let marker = "end";
  return marker;
}
console.log(hold());
`,
    );
    expect(r.plain.stdout).toBe("end\n");
  });
});
