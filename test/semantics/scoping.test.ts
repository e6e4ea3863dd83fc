/**
 * Checklist items 12 (temporal dead zone), 13 (`typeof undeclared`), 15 (direct `eval` and `with`)
 * and, from "Also:", user code that shadows the runtime's identifiers.
 */
import { describe, expect, it } from "vitest";
import { differential } from "../helpers/differential.js";
import { traceFacts } from "../helpers/trace-facts.js";

describe("12. temporal dead zone", () => {
  it("still throws for reads before the declaration", () => {
    const r = differential(
      `function f() { try { x } catch (e) { console.log(e.name, e.message) } let x = 1; return x }
console.log(f());
try { C } catch (e) { console.log(e.message) }
class C {}
function g() { const read = () => y; try { read() } catch (e) { console.log(e.message) } const y = 2; return read() }
console.log(g());
let z = (() => { try { return z } catch (e) { return e.message } })();
console.log(z);
{ try { typeof t } catch (e) { console.log("typeof:", e.message) } let t; }
function defaults(a = b, b = 1) { return a }
try { defaults() } catch (e) { console.log("param:", e.message) }
try { class X extends X {} } catch (e) { console.log("heritage:", e.message) }
try { for (let i = (() => { try { return i } catch (e) { return -1 } })(); i < 0; i++) {} } catch (e) { console.log(e.message) }
`,
    );
    expect(r.plain.stdout).toContain("Cannot access 'x' before initialization");
  });

  it("keeps the TDZ error of a const read by a function declaration called early", () => {
    const r = differential(
      `function lateConst() { later(); const k = "k"; function later() { try { return k } catch (e) { console.log("late:", e.message) } } return later() }
console.log(lateConst());
`,
    );
    expect(r.plain.stdout).toBe("late: Cannot access 'k' before initialization\nk\n");
  });

  it("does not read a shadowing let in its TDZ when capturing the shadowed variable", () => {
    const r = differential(
      `function f(x) {
  {
    console.log("block starts");
    let x = 2;
    return x;
  }
}
function g() {
  let y = "outer";
  for (const item of [1]) {
    console.log("item", item);
    let y = item;
  }
  return y;
}
for (const z of [1]) { console.log("loop"); let z2 = z; { console.log("inner"); const z = 3; } }
try { console.log(f(1), g()) } catch (e) { console.log(e.name, e.message) }
`,
    );
    expect(r.plain.stdout).toContain("block starts");
  });

  it("never reads bindings in their TDZ while capturing values", () => {
    const source = `function outer() {
  const inner = () => captured;
  let result;
  try { result = inner() } catch (e) { result = e.name }
  let captured = "ready";
  return result + "/" + inner();
}
function loopTdz() {
  const fns = [];
  for (let i = 0; i < 2; i++) { fns.push(() => later); }
  let later = "L";
  return fns.map((f) => f()).join();
}
function switchTdz(n) {
  switch (n) { case 1: let s = "one"; return s; case 2: return typeof n; }
}
console.log(outer(), loopTdz(), switchTdz(1), switchTdz(2));
`;
    const r = differential(source);
    expect(r.plain.stdout).toBe("ReferenceError/ready L,L one number\n");
    const facts = traceFacts(r.events);
    expect(facts.callsOf("outer")[0]!.returned).toBe("ReferenceError/ready");
  });
});

describe("13. typeof undeclared", () => {
  it("never turns reads of undeclared globals into ReferenceErrors, and keeps them otherwise", () => {
    differential(
      `console.log(typeof notDeclared, typeof notDeclared === "undefined");
function f() { return typeof alsoNotDeclared }
console.log(f());
if (typeof window === "undefined") console.log("not a browser");
globalThis.laterGlobal = 1;
console.log(typeof laterGlobal, laterGlobal);
try { undeclaredRead } catch (e) { console.log(e.name, e.message) }
function sloppyAssign() { implicitGlobal = 5; return typeof implicitGlobal }
console.log(sloppyAssign(), globalThis.implicitGlobal);
console.log(typeof require, typeof module, typeof exports, typeof __filename.length);
`,
      { ext: ".cjs" },
    );
  });
});

describe("15. direct eval and with", () => {
  it("keeps eval direct and sees local bindings", () => {
    const r = differential(
      `var gx = "global-ish";
function f() { const x = 42; return eval("x") }
function g() { var y = 1; eval("var y = 2"); return y }
function h() { eval("var z = 3"); return z }
function ind() { const gx = "local"; return (0, eval)("typeof gx") }
function defines() { eval("function inner() { return 'inner' }"); return inner() }
function strictEval() { "use strict"; eval("var q = 1"); return typeof q }
const o = { m() { return eval("this") === o } };
function args(a) { return eval("arguments.length + ':' + a") }
function newTarget() { return eval("new.target") === newTarget }
console.log(f(), g(), h(), ind(), defines(), strictEval(), o.m(), args(1, 2), new newTarget() instanceof newTarget);
`,
      { ext: ".cjs" },
    );
    expect(r.plain.stdout).toBe("42 2 3 undefined inner undefined true 2:1 true\n");
  });

  it("keeps with() lookups and this for calls inside with", () => {
    const r = differential(
      `function w() { const o = { m() { return this === o }, val: 5 }; with (o) { return [m(), val, typeof toString] } }
function w2(o) { with (o) { return (function () { return typeof inside + ":" + inside })() } }
function w3() { let val = "outer"; const o = { val: "object" }; with (o) { var declared = val } return declared }
console.log(JSON.stringify(w()), w2({ inside: 1 }), w3());
`,
      { ext: ".cjs" },
    );
    expect(r.plain.stdout).toBe('[true,5,"function"] number:1 object\n');
  });

  it("does not make with() look up the instrumentation's names", () => {
    const r = differential(
      `const seen = [];
const scope = new Proxy({}, { has(target, key) { if (typeof key === "string") seen.push(key); return false } });
function run() {
  with (scope) {
    const r = (function inner(a) { return a + 1 })(1);
    [1, 2].map((x) => x * 2);
    return r;
  }
}
console.log(run(), seen.join(","));
`,
      { ext: ".cjs" },
    );
    expect(r.plain.stdout).toBe("2 \n");
  });
});

describe("Also: user code that shadows the runtime's identifiers", () => {
  it("works when user code uses the generated names", () => {
    const r = differential(
      `const _ct = "user _ct", _c = "user _c", _ctf = "user _ctf", _ctr = "user _ctr", _ctt = "user _ctt", _ctF = "user _ctF", _ctI = "user _ctI";
function f(_c, _ctf) { const _ctr = _c + _ctf; return _ctr }
function g() { var _ct = 1, _c2 = 2; return _ct + _c2 }
console.log(f("a", "b"), g(), _ct, _c, _ctf, _ctr, _ctt, _ctF, _ctI);
`,
    );
    expect(traceFacts(r.events).callsOf("f")[0]!.args).toEqual({ _c: "a", _ctf: "b" });
  });

  it("works when user code shadows globalThis, Symbol or Object", () => {
    differential(
      `const globalThis = { fake: true };
const Symbol = { for() { return "not a symbol" } };
const Object = { keys() { return ["fake"] } };
function f(x) { return x + 1 }
console.log(f(1), globalThis.fake, Symbol.for("x"), Object.keys({ a: 1 }).join());
`,
    );
  });

  it("works when a function's own locals shadow globalThis and Symbol", () => {
    differential(
      `function f() { const globalThis = 1, Symbol = 2; return (function inner() { return globalThis + Symbol })() }
console.log(f());
`,
    );
  });

  it("leaves the probes slot alone for user code reading it", () => {
    differential(
      `const key = Symbol.for("ctjs.probes");
console.log(typeof globalThis[key] === "object" || typeof globalThis[key] === "undefined");
function f(a) { return a * 2 }
console.log(f(21));
`,
    );
  });
});
