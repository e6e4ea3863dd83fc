/**
 * Checklist items 7 (`return` overridden by `finally`), 8 (exceptions), 18 (hoisting), 19 (labels
 * and loop heads) and, from "Also:", `switch` with `let` in cases, destructuring defaults that
 * throw and comma expressions in `for` heads.
 */
import { describe, expect, it } from "vitest";
import { differential } from "../helpers/differential.js";
import { Thrown, traceFacts } from "../helpers/trace-facts.js";

describe("7. return overridden by finally", () => {
  it("returns and records the finally's value", () => {
    const r = differential(
      `function f() { try { return 1 } finally { return 2 } }
function g() { try { throw new Error("x") } finally { return 3 } }
function h() { let i = 0; try { return i } finally { i = 5 } }
function k() { for (const x of [1, 2]) { try { return x } finally { continue } } return "end" }
function m() { try { return "try" } finally { console.log("fin") } }
function n() { outer: try { return 1 } finally { break outer } return 9 }
function p() { try { return "p" } catch (e) { return "catch" } finally { } }
console.log(f(), g(), h(), k(), m(), n(), p());
`,
    );
    expect(r.plain.stdout).toBe("fin\n2 3 0 end try 9 p\n");
    const facts = traceFacts(r.events);
    const returned = (name: string) => facts.callsOf(name).map((c) => c.returned);
    expect(returned("f")).toEqual([2]);
    expect(returned("g")).toEqual([3]);
    expect(returned("h")).toEqual([0]);
    expect(returned("k")).toEqual(["end"]);
    expect(returned("n")).toEqual([9]);
  });

  it("records an exit by exception when a finally throws over a pending return", () => {
    const r = differential(
      `function f() { try { return 1 } finally { throw new Error("from finally") } }
function g() { for (const x of [1]) { try { return x } finally { break } } throw new RangeError("after loop") }
try { f() } catch (e) { console.log(e.message) }
try { g() } catch (e) { console.log(e.message) }
`,
    );
    expect(r.plain.stdout).toBe("from finally\nafter loop\n");
    const facts = traceFacts(r.events);
    expect(facts.callsOf("f")[0]!.returned, "f threw, it did not return 1").toBeInstanceOf(Thrown);
    expect(facts.callsOf("g")[0]!.returned, "g threw, it did not return 1").toBeInstanceOf(Thrown);
  });
});

describe("code that runs after a return", () => {
  it("records it inside the returning frame: an iterator's closing, a finally, a catch around the return", () => {
    const r = differential(
      `function* items() { try { yield 1; yield 2 } finally { console.log("closed") } }
function first() { for (const x of items()) { return x } }
function viaFinally() { try { return "v" } finally { console.log("cleanup") } }
function caught() { try { return JSON.parse("{") } catch (e) { return e.name } }
function thrower(n) { if (n > 1) throw new TypeError("n")
  return n }
console.log(first(), viaFinally(), caught());
try { thrower(2) } catch (e) { console.log(e.message) }
console.log(thrower(1));
`,
    );
    expect(r.plain.stdout).toBe("closed\ncleanup\n1 v SyntaxError\nn\n1\n");
    const facts = traceFacts(r.events);
    const outline = facts.outline((e) => e.kind === "call" || e.kind === "return" || e.kind === "output");
    const firstCall = outline.indexOf("call first");
    expect(outline.slice(firstCall, firstCall + 6)).toEqual(["call first", "call items", "return items", "call items", "out closed", "return items"]);
    expect(outline[firstCall + 6]).toBe("return first");
    expect(outline.indexOf("out cleanup")).toBeLessThan(outline.indexOf("return viaFinally"));
    expect(facts.callsOf("first")[0]!.returned).toBe(1);
    expect(facts.callsOf("caught")[0]!.returned).toBe("SyntaxError");
    expect(facts.callsOf("thrower").map((c) => c.returned)).toEqual([expect.any(Thrown), 1]);
  });
});

describe("8. exceptions", () => {
  it("propagate the same error object and record exactly one exit per frame", () => {
    const r = differential(
      `const err = new Error("boom");
function thrower() { throw err }
function mid() { thrower() }
function top() { try { mid() } catch (e) { console.log("top caught same:", e === err); throw e } }
try { top() } catch (e) { console.log("outer caught same:", e === err) }
try { null.x } catch { console.log("caught without binding") }
const o = { get bad() { throw new TypeError("from getter") } };
function readBad() { return o.bad }
try { readBad() } catch (e) { console.log(e.name, e.message) }
function nonError() { throw 42 }
try { nonError() } catch (e) { console.log("caught", e) }
function rethrowOther() { try { throw new Error("first") } catch { throw new SyntaxError("second") } }
try { rethrowOther() } catch (e) { console.log(e.name, e.message) }
console.log(err.stack.split("\\n")[0]);
`,
    );
    const facts = traceFacts(r.events);
    const outline = facts.outline((e) => (e.kind === "call" || e.kind === "return") && ["top", "mid", "thrower"].includes(e.name));
    expect(outline).toEqual(["call top", "call mid", "call thrower", "return thrower", "return mid", "return top"]);
    for (const name of ["thrower", "mid", "top", "readBad", "nonError", "rethrowOther"]) {
      const calls = facts.callsOf(name);
      expect(calls, name).toHaveLength(1);
      expect(calls[0]!.returned, name).toBeInstanceOf(Thrown);
    }
    expect((facts.callsOf("nonError")[0]!.returned as Thrown).value).toBe(42);
  });

  it("records the exception a frame really threw after one was caught by uninstrumented code", () => {
    const r = differential(
      `new Promise(() => { throw new Error("in executor") }).catch(() => {});
function nativeThrow() { return null.x }
try { nativeThrow() } catch (e) { console.log(e.name) }
`,
    );
    expect(r.plain.stdout).toBe("TypeError\n");
    const thrown = traceFacts(r.events).callsOf("nativeThrow")[0]!.returned;
    expect(thrown).toBeInstanceOf(Thrown);
    expect(JSON.stringify((thrown as Thrown).value), "nativeThrow threw a TypeError, not the executor's error").not.toContain("in executor");
  });

  it("survives a stack overflow and keeps recording afterwards", () => {
    const r = differential(
      `function recurse(n) { return recurse(n + 1) + 1 }
try { recurse(0) } catch (e) { console.log(e instanceof RangeError, e.message) }
function after(x) { return x * 2 }
console.log(after(21));
`,
      // the depth at which the stack overflows differs from run to run
      { variesBetweenRuns: true },
    );
    expect(r.plain.stdout).toBe("true Maximum call stack size exceeded\n42\n");
    expect(traceFacts(r.events).callsOf("after").map((c) => c.returned)).toEqual([42]);
  });

  it("ends with the same uncaught error, stderr and exit code", () => {
    const r = differential(
      `function fail(x) { if (x > 1) throw new RangeError("too big: " + x); return x }
console.log(fail(1));
fail(2);
console.log("unreachable");
`,
    );
    expect(r.plain.status).toBe(1);
    const facts = traceFacts(r.events);
    expect(facts.callsOf("fail")).toHaveLength(2);
    expect(facts.callsOf("fail")[1]!.returned).toBeInstanceOf(Thrown);
    const last = r.events[r.events.length - 1]!;
    expect("Event" in last && last.Event.kind).toBe(11);
  });

  it("keeps termination by a signal and user signal handlers", () => {
    const killed = differential(`console.log("before");\nsetTimeout(() => console.log("never"), 1000);\nprocess.kill(process.pid, "SIGTERM");\n`);
    expect(killed.plain.signal).toBe("SIGTERM");
    differential(
      `process.on("SIGINT", () => { console.log("handled SIGINT"); setTimeout(() => console.log("still running"), 10) });
process.kill(process.pid, "SIGINT");
`,
    );
  });

  it("keeps process.exitCode and process.exit codes", () => {
    differential(`process.exitCode = 3; console.log("set")\n`);
    differential(`function quit() { console.log("bye"); process.exit(4) }\nquit();\nconsole.log("never");\n`);
  });

  it("keeps errors thrown while evaluating destructuring defaults", () => {
    const r = differential(
      `const thrower = () => { throw new Error("default threw") };
function params({ a = thrower() } = {}) { return a }
try { params() } catch (e) { console.log("params:", e.message) }
console.log(params({ a: 1 }));
function body() { const { b = thrower() } = {}; return b }
try { body() } catch (e) { console.log("body:", e.message) }
try { const [x = thrower()] = []; } catch (e) { console.log("array:", e.message) }
try { const { nope: { deep } } = {}; } catch (e) { console.log(e.name, e.message) }
`,
    );
    const facts = traceFacts(r.events);
    expect(facts.callsOf("body")[0]!.returned).toBeInstanceOf(Thrown);
  });
});

describe("18. hoisting", () => {
  it("keeps function declarations, block functions and var redeclarations as they were", () => {
    differential(
      `console.log(early(), typeof inBlock, typeof inIf, typeof later);
function early() { return "early" }
{ function inBlock() { return "block" } }
console.log(typeof inBlock, inBlock());
if (true) function inIf() { return "if" }
console.log(typeof inIf);
switch (1) { case 1: function sw() { return "sw" } }
console.log(sw());
var v = 1; var v; console.log(v); var v = 2; console.log(v);
function dup() { return 1 } function dup() { return 2 }
console.log(dup());
var same = 1; function same() {} console.log(typeof same);
function inner() { return typeof hoisted; var hoisted = 1 }
function beforeBlock() { const t = typeof blockFn; { function blockFn() {} } return t + "/" + typeof blockFn }
function callsLater() { return later2(); function later2() { return "later2" } }
function paramShadow(a) { function a() {} return typeof a }
function varAndFn() { var x = 1; function x() {} return typeof x }
label: function labelled() { return "labelled" }
console.log(inner(), beforeBlock(), callsLater(), paramShadow(1), varAndFn(), labelled());
function later() {}
`,
      { ext: ".cjs" },
    );
  });

  it("lets function declarations see the let, const and class bindings of their enclosing body", () => {
    const r = differential(
      `function outer() {
  const k = 1;
  let m = 2;
  class Helper { static v = 3 }
  function inner() { return k + m + Helper.v }
  return inner();
}
function callsFirst() { const early = helper(); const base = 10; function helper() { try { return base } catch (e) { return e.name } } return early + "/" + helper() }
class WithStaticBlock { static { const secret = "static"; function reveal() { return secret } WithStaticBlock.revealed = reveal() } }
console.log(outer(), callsFirst(), WithStaticBlock.revealed);
`,
    );
    expect(r.plain.stdout).toBe("6 ReferenceError/10 static\n");
  });

  it("keeps strict-mode block scoping of function declarations", () => {
    differential(
      `{ function blockOnly() { return 1 } console.log(blockOnly()) }
console.log(typeof blockOnly);
function f() { if (true) { function g() { return "g" } } return typeof g }
console.log(f());
`,
    );
  });
});

describe("19. labels and loop heads", () => {
  it("keeps labels on loops and blocks", () => {
    const r = differential(
      `const out = [];
outer: for (let i = 0; i < 3; i++) {
  for (let j = 0; j < 3; j++) {
    if (j === 1) continue outer;
    if (i === 2) break outer;
    out.push(\`\${i}\${j}\`);
  }
}
blk: { out.push("in block"); if (out.length) break blk; out.push("never") }
let n = 0;
dw: do { n++; if (n < 3) continue dw; out.push("n" + n) } while (n < 5);
w: while (true) { for (const x of [1, 2]) { if (x === 2) break w; out.push("x" + x) } }
a: b: for (;;) { out.push("ab"); break a }
fi: for (const k in { p: 1, q: 2 }) { if (k === "p") continue fi; out.push(k) }
sw: switch (1) { case 1: for (;;) { out.push("sw"); break sw } }
console.log(out.join(","));
`,
    );
    expect(r.plain.stdout).toBe("00,10,in block,n3,n4,n5,x1,ab,q,sw\n");
  });

  it("keeps per-iteration let bindings and closures", () => {
    const r = differential(
      `const fns = [];
for (let i = 0; i < 3; i++) fns.push(() => i);
const fns2 = [];
for (let i = 0; i < 3; i++) { fns2.push(() => i); i += 0 }
const fns3 = [];
for (let i = 0, f = () => i; i < 2; i++) fns3.push(f);
const fns4 = [];
for (let i = 0; fns4.push(() => i), i < 2; i++) {}
const fns5 = [];
for (const k in { a: 1, b: 2 }) fns5.push(() => k);
const fns6 = [];
for (const [v, w = v * 10] of [[1], [2]]) fns6.push(() => v + ":" + w);
const fns7 = [];
for (let i = 0; i < 3; fns7.push(() => i), i++) {}
let m = 0; const fns8 = [];
for (let i = 0; i < 2; i++) { let j = i * 2; fns8.push(() => j); m += j }
console.log([fns, fns2, fns3, fns4, fns5, fns6, fns7, fns8].map((a) => a.map((f) => f()).join("")).join(" "), m);
`,
    );
    expect(r.plain.stdout).toBe("012 012 00 012 ab 1:102:20 123 02 2\n");
  });

  it("keeps comma expressions in for heads", () => {
    const r = differential(
      `const log = [];
const t = (s, v) => (log.push(s), v);
for (let i = 0, j = 4; i < j; i++, j--) log.push(i + "-" + j);
let a, b;
for (a = t("init1", 0), b = t("init2", 3); t("test", a < b), a < b; t("update", 0), a++, b--) log.push("body");
console.log(log.join(","), a, b);
`,
    );
    const facts = traceFacts(r.events);
    expect(facts.callsOf("t").length).toBe(r.plain.stdout.split(",").filter((s) => /^(init|test|update)/.test(s)).length);
  });
});

describe("Also: switch with let in cases", () => {
  it("keeps the TDZ of case-scoped lets", () => {
    const r = differential(
      `function sw(n) {
  switch (n) {
    case 0: let a = "zero"; return a;
    case 1: { let b = "one"; return b }
    case 2: a = "two?"; return a;
    case 3: const c = n * 2; return c;
    default: return typeof c === "number" ? "num" : "other";
  }
}
console.log(sw(0), sw(1), sw(3));
for (const n of [2, 4]) { try { console.log(sw(n)) } catch (e) { console.log(e.name, e.message) } }
`,
    );
    expect(r.plain.stdout).toContain("ReferenceError");
    const facts = traceFacts(r.events);
    expect(facts.callsOf("sw").map((c) => c.returned).slice(0, 3)).toEqual(["zero", "one", 6]);
  });
});
