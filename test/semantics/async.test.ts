/**
 * Checklist items 9 (async/await), 10 (generators) and 11 (async generators and `for await`).
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { instrumentSource } from "../../packages/babel-plugin/src/transform.js";
import { differential } from "../helpers/differential.js";
import { Thrown, traceFacts } from "../helpers/trace-facts.js";

describe("9. async/await", () => {
  it("suspends at await and lets the caller continue first", () => {
    const source = `const log = [];
async function f(x) {
  log.push("f start");
  const v = await x;
  log.push("f resumed " + v);
  return v * 2;
}
const p = f(Promise.resolve(21));
log.push("caller continues");
p.then((v) => { log.push("then " + v); console.log(log.join(", ")) });
`;
    const r = differential(source);
    expect(r.plain.stdout).toBe("f start, caller continues, f resumed 21, then 42\n");
    const facts = traceFacts(r.events);
    const fCalls = facts.callsOf("f");
    expect(fCalls, "one segment before the await, one after").toHaveLength(2);
    expect(fCalls[0]!.returnAt).toBeGreaterThan(0);
    expect(fCalls[1]!.returned).toBe(42);
    // the caller's line 9 runs between the suspension and the resumption
    const callerStep = facts.events.findIndex((e, i) => i > fCalls[0]!.returnAt && "Step" in e && e.Step.line === 9);
    expect(callerStep).toBeGreaterThan(fCalls[0]!.returnAt);
    expect(callerStep).toBeLessThan(fCalls[1]!.callAt);
  });

  it("keeps microtask ordering of interleaved async functions and promise chains", () => {
    const r = differential(
      `const log = [];
async function a() { await null; log.push("a1"); await null; log.push("a2"); await null; log.push("a3") }
async function b() { await undefined; log.push("b1"); await Promise.resolve(); log.push("b2") }
async function returnsPromise() { return Promise.resolve("rp") }
async function returnsAwait() { return await Promise.resolve("ra") }
async function returnsThenable() { return { then(res) { log.push("thenable then"); res("rt") } } }
a(); b();
returnsPromise().then((v) => log.push(v));
returnsAwait().then((v) => log.push(v));
returnsThenable().then((v) => log.push(v));
Promise.resolve().then(() => log.push("p1")).then(() => log.push("p2")).then(() => log.push("p3")).then(() => log.push("p4"));
queueMicrotask(() => log.push("qm"));
setTimeout(() => console.log(log.join(",")));
`,
    );
    expect(r.plain.stdout.split(",").length).toBeGreaterThan(10);
  });

  it("turns throws into rejections and keeps await in try/catch/finally", () => {
    const r = differential(
      `async function rejects() { throw new Error("rejected") }
async function rejectsLater() { await null; throw new TypeError("later") }
async function catches() { try { await rejectsLater() } catch (e) { return "caught " + e.name } finally { await null; console.log("finally ran") } }
const p = rejects();
console.log(p instanceof Promise);
p.catch((e) => console.log("rejection:", e.message));
catches().then((v) => console.log(v));
async function awaitsRejected() { try { await Promise.reject(new Error("awaited rejection")) } catch (e) { return e.message } }
awaitsRejected().then(console.log);
`,
    );
    const facts = traceFacts(r.events);
    expect(facts.callsOf("rejects")).toHaveLength(1);
  });

  it("ends with the same unhandled rejection", () => {
    const r = differential(
      `async function main() { await null; throw new Error("unhandled async failure") }
main();
`,
    );
    expect(r.plain.status).toBe(1);
  });

  it("keeps `await` in a parameter default a syntax error", () => {
    const source = `async function f(a = await 1) { return a }\nconsole.log("parsed");\n`;
    expect(() => instrumentSource(source, { filename: "/tmp/ctjs-await-default/snippet.mjs", warnings: false })).toThrow(/await/i);
    const plain = spawnSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8" });
    expect(plain.status).toBe(1);
    expect(plain.stderr).toContain("SyntaxError");
    // generated code that evals the same text at run time still sees the syntax error
    differential(
      `try { eval("async function g(a = await 1) {}") } catch (e) { console.log(e.name) }
try { new Function("async function h(b = await 1) {}") } catch (e) { console.log(e.name) }
async function ok(a = () => 1) { return (await a)() }
ok().then(console.log);
`,
    );
  });
});

describe("10. generators", () => {
  it("run the body at the first next(), suspend at yield and resume into finally", () => {
    const source = `const log = [];
function* gen(a) {
  log.push("start " + a);
  try {
    const x = yield 1;
    log.push("got " + x);
    yield 2;
    yield 3;
  } finally {
    log.push("finally");
  }
}
const it = gen(7);
log.push("created");
const results = [it.next("ignored"), it.next("X"), it.return(9), it.next()];
console.log(JSON.stringify(results));
const it2 = gen(8); it2.next();
try { it2.throw(new Error("t")) } catch (e) { log.push("thrown " + e.message) }
const it4 = gen(0);
console.log(JSON.stringify(it4.return(5)), log.includes("start 0"));
console.log(log.join(","));
console.log(gen.length, gen.name, Object.getPrototypeOf(gen) === Object.getPrototypeOf(function* () {}), typeof it[Symbol.iterator]);
`;
    const r = differential(source);
    expect(r.plain.stdout.split("\n")[0]).toBe('[{"value":1,"done":false},{"value":2,"done":false},{"value":9,"done":true},{"done":true}]');
    const facts = traceFacts(r.events);
    const firstGenCall = facts.calls.find((c) => c.name === "gen")!;
    expect(firstGenCall.args).toEqual({ a: 7 });
    // the body starts after line 14 ("created") ran, i.e. at the first next()
    const createdStep = facts.events.findIndex((e) => "Step" in e && e.Step.line === 14);
    expect(createdStep).toBeGreaterThan(0);
    expect(firstGenCall.callAt).toBeGreaterThan(createdStep);
    // gen(0) was returned before it started: its body never ran
    expect(facts.callsOf("gen").some((c) => c.args.a === 0)).toBe(false);
    // it.return(9) and it2.throw(...) both resume the frame at its yield from outside: with no
    // catch in the generated code the two look alike, so both end as "closed", never as a made-up exception
    const closed = facts.callsOf("gen").filter((c) => JSON.stringify(c.returnRecord).includes("<closed by return() or throw()>"));
    expect(closed).toHaveLength(2);
    expect(facts.callsOf("gen").filter((c) => c.returned instanceof Thrown)).toEqual([]);
  });

  it("keeps yield* delegation, sent values and return values", () => {
    const r = differential(
      `function* inner() { const r = yield "i1"; yield "i2:" + r; return "inner ret" }
function* outer() { const v = yield* inner(); yield "outer got " + v; return "outer ret" }
console.log([...outer()].join("|"));
const it = outer();
console.log(JSON.stringify([it.next("a"), it.next("S"), it.next(), it.next(), it.next()]));
function* delegatesToArray() { yield* [1, 2]; yield* "ab" }
console.log([...delegatesToArray()].join());
function* catches() { try { yield 1 } catch (e) { yield "caught " + e } }
const c = catches(); c.next();
console.log(JSON.stringify(c.throw("boom")), JSON.stringify(c.next()));
const obj = { *m() { yield this === obj } };
console.log(obj.m().next().value);
class K { static *s(n) { for (let i = 0; i < n; i++) yield i * i } }
console.log([...K.s(4)].join());
`,
    );
    const facts = traceFacts(r.events);
    expect(facts.callsOf("inner").length).toBeGreaterThan(1);
  });
});

describe("11. async generators and for await", () => {
  it("keep their protocol, early exit and ordering", () => {
    const r = differential(
      `const log = [];
async function* ag(tag) {
  try { yield tag + 1; await null; yield tag + 2 } finally { log.push(tag + " finally") }
}
(async () => {
  for await (const v of ag("a")) log.push("v " + v);
  for await (const v of [Promise.resolve("p"), "plain"]) log.push(v);
  for await (const v of ag("b")) { log.push("early " + v); break }
  const it = ag("c");
  log.push(JSON.stringify(await it.next()), JSON.stringify(await it.return(7)), JSON.stringify(await it.next()));
  const sync = { *[Symbol.iterator]() { yield 1; yield 2 } };
  for await (const s of sync) log.push("sync " + s);
  try { for await (const v of ag("d")) { throw new Error("in loop " + v) } } catch (e) { log.push(e.message) }
  console.log(log.join("\\n"));
})();
Promise.resolve().then(() => log.push("interleaved 1")).then(() => log.push("interleaved 2"));
`,
    );
    const facts = traceFacts(r.events);
    expect(facts.callsOf("ag").length).toBeGreaterThan(3);
    // every ag() ends by a return: completion, break (.return()), it.return(7), a throw in the loop body (.return())
    expect(facts.callsOf("ag").filter((c) => c.returned instanceof Thrown)).toEqual([]);
  });
});
