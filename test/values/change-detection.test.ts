/**
 * Values on change against programs written to defeat change detection: state changed behind
 * the frame's back (callees, aliases, closures, native methods), values that look alike, scopes
 * that come and go, frames that resume. Each program runs as a differential run, so its
 * CTJS_VALUES=changed and =full recordings must show the same locals panel at every step
 * (test/helpers/locals-oracle.ts); each test also checks one thing the panel must show in the
 * changed recording, so that two recordings wrong in the same way still fail.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { differential, lineOf, type DifferentialResult } from "../helpers/differential.js";
import { compareLocals, LocalsOracle } from "../helpers/locals-oracle.js";
import { Raw, traceFacts, type ValueRecord } from "../helpers/trace-facts.js";

interface Panel {
  line: number;
  function: string;
  /** What the panel shows, decoded to plain values (see TraceFacts.decode). */
  locals: Record<string, unknown>;
  /** The type each variable is shown with ("Struct B {…}", "Int number"). */
  types: Record<string, string>;
}

/** The locals panel of the changed recording at every step of the snippet (or of `file` beside it). */
function panels(r: DifferentialResult, file?: string): Panel[] {
  const shownPath = file === undefined ? r.snippetPath : path.join(path.dirname(r.snippetPath), file);
  const oracle = new LocalsOracle(r.events);
  const facts = traceFacts(r.events);
  const result: Panel[] = [];
  for (const [step, locals] of oracle.rawViews()) {
    const where = oracle.describeStep(step);
    if (where.path !== shownPath) continue;
    const entries = [...locals];
    result.push({
      line: where.line,
      function: where.function,
      locals: Object.fromEntries(entries.map(([name, v]) => [name, facts.decode(v as ValueRecord)])),
      types: Object.fromEntries(entries.map(([name, v]) => [name, oracle.describeType(v.type_id)])),
    });
  }
  return result;
}

/**
 * The panels at the line marked `marker` (optionally in calls of `fn`), one per time it ran. A
 * line's step comes before the line runs: it shows what the lines before it did.
 */
function shownAt(r: DifferentialResult, source: string, marker: string, fn?: string): Panel[] {
  const line = lineOf(source, marker);
  const found = panels(r).filter((p) => p.line === line && (fn === undefined || p.function === fn));
  expect(found.length, `no step at ${marker} (line ${line})${fn ? ` in ${fn}` : ""}`).toBeGreaterThan(0);
  return found;
}

/** What the panel shows for `variable` each time the marked line ran. */
function valuesAt(r: DifferentialResult, source: string, marker: string, variable: string, fn?: string): unknown[] {
  return shownAt(r, source, marker, fn).map((p) => p.locals[variable]);
}

describe("state changed behind the frame's back", () => {
  it("a callee mutating the caller's object between two of the caller's steps", () => {
    const source = `function addItem(list, item) {
  list.items.push(item);
  list.count++;
}
const cart = { items: [], count: 0 };
addItem(cart, "apple");
addItem(cart, "pear"); // @second
console.log(cart.count); // @after
`;
    const r = differential(source);
    expect(valuesAt(r, source, "@second", "cart")).toEqual([{ items: ["apple"], count: 1 }]);
    expect(valuesAt(r, source, "@after", "cart")).toEqual([{ items: ["apple", "pear"], count: 2 }]);
  });

  it("a callee that throws after mutating, caught by the caller", () => {
    const source = `function fill(box) {
  box.v = 1;
  throw new Error("late");
}
const box = { v: 0 };
try { fill(box) } catch (e) {
  console.log(box.v); // @caught
}
`;
    const r = differential(source);
    expect(valuesAt(r, source, "@caught", "box")).toEqual([{ v: 1 }]);
  });

  it("aliases: a write through one name shows under the other", () => {
    const source = `const a = { x: 0 };
const b = a;
const holder = [a];
b.x = 1;
console.log(a.x); // @afterB
holder[0].x = 2;
console.log(a.x); // @afterHolder
`;
    const r = differential(source);
    expect(shownAt(r, source, "@afterB").map((p) => [p.locals.a, p.locals.b, p.locals.holder])).toEqual([[{ x: 1 }, { x: 1 }, [{ x: 1 }]]]);
    expect(shownAt(r, source, "@afterHolder").map((p) => [p.locals.a, p.locals.b, p.locals.holder])).toEqual([[{ x: 2 }, { x: 2 }, [{ x: 2 }]]]);
  });

  it("closures assigning outer variables, called directly and by native code", () => {
    const source = `let counter = 0;
const inc = () => { counter += 1; };
inc();
inc(); // @between
console.log(counter); // @after
function outer() {
  let total = 0;
  [1, 2, 3].forEach((n) => { total += n; });
  return total; // @ret
}
console.log(outer());
`;
    const r = differential(source);
    expect(valuesAt(r, source, "@between", "counter")).toEqual([1]);
    expect(valuesAt(r, source, "@after", "counter")).toEqual([2]);
    expect(valuesAt(r, source, "@ret", "total", "outer")).toEqual([6]);
  });

  it("objects shared between frames: recursion with a shared accumulator", () => {
    const source = `function collect(node, acc) {
  acc.push(node.v);
  for (const kid of node.kids) collect(kid, acc);
  return acc.length; // @len
}
const tree = { v: 1, kids: [{ v: 2, kids: [] }, { v: 3, kids: [{ v: 4, kids: [] }] }] };
const out = [];
collect(tree, out);
console.log(out.join()); // @after
`;
    const r = differential(source);
    // each frame returns after its subtree: the outermost one last, having seen every push
    expect(valuesAt(r, source, "@len", "acc", "collect")).toEqual([[1, 2], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]);
    expect(valuesAt(r, source, "@after", "out")).toEqual([[1, 2, 3, 4]]);
  });

  it("a parameter changed through the sloppy-mode arguments object", () => {
    const source = `function f(a) {
  arguments[0] = 5;
  return a; // @ret
}
console.log(f(1));
`;
    const r = differential(source, { ext: ".cjs" });
    expect(r.plain.stdout).toBe("5\n");
    expect(valuesAt(r, source, "@ret", "a", "f")).toEqual([5]);
  });
});

describe("built-in containers changed by their methods", () => {
  it("array methods: push, sort, splice, reverse, fill, copyWithin, length = 0", () => {
    const source = `const a = [3, 1, 2];
a.push(5);
a.sort(); // @sort
a.splice(1, 1); // @splice
a.reverse(); // @reverse
a.fill(0, 1); // @fill
a.copyWithin(0, 1); // @copyWithin
a.length = 0; // @length
console.log(a.length); // @end
`;
    const r = differential(source);
    const at = (marker: string) => valuesAt(r, source, marker, "a")[0];
    expect(at("@sort")).toEqual([3, 1, 2, 5]);
    expect(at("@splice")).toEqual([1, 2, 3, 5]);
    expect(at("@reverse")).toEqual([1, 3, 5]);
    expect(at("@fill")).toEqual([5, 3, 1]);
    expect(at("@copyWithin")).toEqual([5, 0, 0]);
    expect(at("@length")).toEqual([0, 0, 0]);
    expect(at("@end")).toEqual([]);
  });

  it("Map and Set: set, add, delete, clear, and an object inside a Map", () => {
    const source = `const m = new Map([["a", 1]]);
const s = new Set([1]);
m.set("a", 2); // @setA
m.set("b", []); // @setB
m.get("b").push(7); // @push
s.add(2); // @add
s.delete(1); // @delete
m.delete("a"); // @mapDelete
m.clear(); // @mapClear
s.clear(); // @setClear
console.log(m.size, s.size); // @end
`;
    const r = differential(source);
    const at = (marker: string) => shownAt(r, source, marker).map((p) => [p.locals.m, p.locals.s])[0];
    expect(at("@setA")).toEqual([[["a", 1]], [1]]);
    expect(at("@setB")).toEqual([[["a", 2]], [1]]);
    expect(at("@push")).toEqual([[["a", 2], ["b", []]], [1]]);
    expect(at("@add")).toEqual([[["a", 2], ["b", [7]]], [1]]);
    expect(at("@delete")).toEqual([[["a", 2], ["b", [7]]], [1, 2]]);
    expect(at("@mapDelete")).toEqual([[["a", 2], ["b", [7]]], [2]]);
    expect(at("@mapClear")).toEqual([[["b", [7]]], [2]]);
    expect(at("@setClear")).toEqual([[], [2]]);
    expect(at("@end")).toEqual([[], []]);
  });

  it("Date setters", () => {
    const source = `const d = new Date(0);
d.setUTCFullYear(2001); // @setYear
d.setTime(86400000); // @setTime
console.log(d.getTime()); // @end
`;
    const r = differential(source);
    const at = (marker: string) => String((valuesAt(r, source, marker, "d")[0] as Raw).text);
    expect(at("@setYear")).toContain("1970-01-01");
    expect(at("@setTime")).toContain("2001-01-01");
    expect(at("@end")).toContain("1970-01-02");
  });

  it("typed array writes, directly, by set() and through a DataView on the same buffer", () => {
    const source = `const t = new Uint8Array(4);
const view = new DataView(t.buffer);
t[0] = 7; // @index
t.set([1, 2], 2); // @set
view.setUint8(1, 9); // @dataView
const f = new Float64Array(2); // @newFloat
f[1] = 0.5; // @floatWrite
console.log(t.join(), f.join()); // @end
`;
    const r = differential(source);
    expect(valuesAt(r, source, "@index", "t")).toEqual([[0, 0, 0, 0]]);
    expect(valuesAt(r, source, "@set", "t")).toEqual([[7, 0, 0, 0]]);
    expect(valuesAt(r, source, "@dataView", "t")).toEqual([[7, 0, 1, 2]]);
    expect(valuesAt(r, source, "@newFloat", "t")).toEqual([[7, 9, 1, 2]]);
    expect(valuesAt(r, source, "@floatWrite", "f")).toEqual([[0, 0]]);
    expect(valuesAt(r, source, "@end", "f")).toEqual([[0, 0.5]]);
  });

  it("Object.assign into an existing object", () => {
    const source = `const target = { a: 0 };
Object.assign(target, { a: 1, b: 2 });
console.log(Object.keys(target).length); // @after
`;
    const r = differential(source);
    expect(valuesAt(r, source, "@after", "target")).toEqual([{ a: 1, b: 2 }]);
  });

  it("a property deleted and added again (same keys, other order)", () => {
    const source = `const o = { a: 1, b: 2 };
delete o.a;
o.a = 1;
console.log(Object.keys(o).join()); // @after
`;
    const r = differential(source);
    expect(Object.keys(valuesAt(r, source, "@after", "o")[0] as object)).toEqual(["b", "a"]);
  });
});

describe("classes, getters and prototypes", () => {
  it("class fields changed by a method, seen from the caller and from inside the method", () => {
    const source = `class Counter {
  count = 0;
  #secret = 10;
  inc() {
    this.count++;
    this.#secret++;
    return this.count; // @inMethod
  }
}
const c = new Counter();
c.inc();
c.inc(); // @afterFirst
console.log(c.count); // @afterSecond
`;
    const r = differential(source);
    expect(valuesAt(r, source, "@afterFirst", "c")).toEqual([{ count: 1 }]);
    expect(valuesAt(r, source, "@afterSecond", "c")).toEqual([{ count: 2 }]);
    expect(shownAt(r, source, "@inMethod", "Counter#inc").map((p) => p.locals.this)).toEqual([
      { count: 1, "#secret": 11 },
      { count: 2, "#secret": 12 },
    ]);
  });

  it("getters and Proxy traps are never invoked while values are recorded (counted by the program)", () => {
    const source = `let invocations = 0;
const o = { get g() { invocations++; return invocations; }, x: 1 };
class WithGetter { get area() { invocations++; return 1; } }
const w = new WithGetter();
const p = new Proxy({ y: 1 }, { get(t, k) { invocations++; return t[k]; }, ownKeys(t) { invocations++; return Reflect.ownKeys(t); } });
o.x = 2;
o.x = 3; // @x2
w.extra = 1; // @x3
console.log(invocations); // @end
`;
    const r = differential(source);
    expect(r.plain.stdout).toBe("0\n");
    expect(valuesAt(r, source, "@x2", "o")).toEqual([{ g: new Raw("[getter]"), x: 2 }]);
    expect((valuesAt(r, source, "@x3", "o")[0] as { x: number }).x).toBe(3);
    expect(valuesAt(r, source, "@end", "w")).toEqual([{ extra: 1 }]);
  });

  it("Object.setPrototypeOf changes the class name shown", () => {
    const source = `class A {}
class B {}
const o = new A();
o.v = 1;
Object.setPrototypeOf(o, B.prototype);
console.log(o instanceof B); // @after
`;
    const r = differential(source);
    const before = shownAt(r, source, "Object.setPrototypeOf")[0]!.types.o!;
    const after = shownAt(r, source, "@after")[0]!.types.o!;
    expect(before).toMatch(/^Struct A\b/);
    expect(after).toMatch(/^Struct B\b/);
  });
});

describe("values that look alike", () => {
  it("a variable that changes type: number, object, undefined, string of the same digits", () => {
    const source = `let v = 1;
v = { k: 1 }; // @number
v = undefined; // @object
v = "1"; // @undefined
v = 1; // @string
v = -0; // @one
console.log(Object.is(v, -0)); // @minusZero
`;
    const r = differential(source);
    const at = (marker: string) => shownAt(r, source, marker)[0]!;
    expect(at("@number").locals.v).toBe(1);
    expect(at("@object").locals.v).toEqual({ k: 1 });
    expect(at("@undefined").locals.v).toBeUndefined();
    expect(at("@undefined").types.v).toBe("None undefined");
    expect(at("@string").locals.v).toBe("1");
    expect(at("@one").types.v).toBe("Int number");
    expect(Object.is(at("@minusZero").locals.v, -0)).toBe(true);
  });

  it("shadowing: the same name in nested blocks and functions with different values", () => {
    const source = `let x = 1;
{
  let x = 2;
  console.log(x); // @inner
}
console.log(x); // @outer
function f(x) {
  {
    const x = "inner";
    console.log(x); // @fInner
  }
  return x; // @fOuter
}
f(3);
`;
    const r = differential(source);
    expect(valuesAt(r, source, "@inner", "x")).toEqual([2]);
    expect(valuesAt(r, source, "@outer", "x")).toEqual([1]);
    expect(valuesAt(r, source, "@fInner", "x", "f")).toEqual(["inner"]);
    expect(valuesAt(r, source, "@fOuter", "x", "f")).toEqual([3]);
  });

  it("a variable re-declared at each loop iteration, and one that keeps its value", () => {
    const source = `for (let i = 0; i < 3; i++) {
  const square = i * i;
  const same = "s";
  console.log(square, same); // @use
}
console.log("done");
`;
    const r = differential(source);
    expect(shownAt(r, source, "@use").map((p) => [p.locals.i, p.locals.square, p.locals.same])).toEqual([[0, 0, "s"], [1, 1, "s"], [2, 4, "s"]]);
  });

  it("a second call of a function does not show the first call's values", () => {
    const source = `function f(flag) {
  let y = 0;
  if (flag) y = 5;
  return y; // @ret
}
f(true);
f(false);
`;
    const r = differential(source);
    expect(valuesAt(r, source, "@ret", "y", "f")).toEqual([5, 0]);
    expect(valuesAt(r, source, "@ret", "flag", "f")).toEqual([true, false]);
  });

  it("a string changed within and beyond the length shown", () => {
    const source = `let s = "a".repeat(1200);
s = "b" + s.slice(1);
s = s.slice(0, 1100) + "c".repeat(100); // @head
console.log(s.length); // @tail
`;
    const r = differential(source);
    expect(String(valuesAt(r, source, "@head", "s")[0]).startsWith("ba")).toBe(true);
    // past the shown prefix: the text shown may stay the same, and both recordings agree on it
    expect(String(valuesAt(r, source, "@tail", "s")[0]).startsWith("ba")).toBe(true);
  });
});

describe("nesting and size limits", () => {
  it("a change at the deepest level shown shows; one below it need not", () => {
    // the default depth limit shows 4 levels of containers: o, o.a, o.a.b, o.a.b.c
    const source = `const o = { a: { b: { c: { leaf: 1, d: { e: 1 } } } } };
o.a.b.c.leaf = 2;
o.a.b.c.d.e = 2; // @shown
console.log(o.a.b.c.d.e); // @below
`;
    const r = differential(source);
    const shown = valuesAt(r, source, "@shown", "o")[0] as { a: { b: { c: { leaf: number } } } };
    expect(shown.a.b.c.leaf).toBe(2);
    const below = valuesAt(r, source, "@below", "o")[0] as { a: { b: { c: { leaf: number; d: unknown } } } };
    expect(below.a.b.c.leaf).toBe(2);
    expect(below.a.b.c.d).toEqual(new Raw("Object {…}"));
  });

  it("an array longer than the items shown, changed inside and past the part shown", () => {
    const source = `const big = Array.from({ length: 60 }, (_, i) => i);
big[3] = -3;
big[55] = -55; // @inside
console.log(big[55]); // @past
`;
    const r = differential(source);
    expect((valuesAt(r, source, "@inside", "big")[0] as number[])[3]).toBe(-3);
  });

  it("a step with more large values than the per-step node budget allows", () => {
    // four 40×40 arrays: about 1640 records each, more than the step budget of 4000 holds together
    // primitives first: whether a step writes them or not must not move where the budget ends
    const source = `const rows = (n) => Array.from({ length: 40 }, () => new Array(40).fill(n));
const label = "rows", big = 2n ** 70n, flag = true, none = null, sym = Symbol("s");
const a = rows(1);
const b = rows(2);
const c = rows(3);
const d = rows(4);
for (let k = 0; k < 3; k++) {
  a[0][0] = k;
  d[0][0] = k;
  console.log(a[0][0] + b[0][0] + c[0][0] + d[0][0], label, big, flag, none, sym.description); // @use
}
`;
    const r = differential(source);
    const shown = shownAt(r, source, "@use");
    expect(shown.map((p) => (p.locals.a as number[][])[0]![0])).toEqual([0, 1, 2]);
    // what the budget left out stays out in both recordings, changed or not
    expect(shown.map((p) => p.locals.d)).toEqual([new Raw("Array {…}"), new Raw("Array {…}"), new Raw("Array {…}")]);
  });
});

describe("frames of files CodeTracer accumulates and files it does not, calling each other", () => {
  it("a .mts function mutating a .mjs frame's object, and calling back into it", () => {
    const helper = `export function addAll(target: { items: number[] }, values: number[], each: (n: number) => void): number {
  let count = 0;
  for (const v of values) {
    target.items.push(v);
    each(v);
    count++;
  }
  return count; // @helperRet
}
`;
    const source = `import { addAll } from "./helper.mjs";
const box = { items: [] };
let seen = 0;
const n = addAll(box, [1, 2], (v) => { seen += v; });
console.log(n, seen, box.items.join()); // @after
`;
    const r = differential(source, { files: { "helper.mts": helper } });
    expect(shownAt(r, source, "@after").map((p) => [p.locals.box, p.locals.seen, p.locals.n])).toEqual([[{ items: [1, 2] }, 3, 2]]);
    // the .mts frame's step carries its variables itself
    const helperPath = path.join(path.dirname(r.snippetPath), "helper.mts");
    const exact = traceFacts(r.events).steps.filter((s) => s.path === helperPath && s.line === lineOf(helper, "@helperRet")).map((s) => s.written);
    expect(exact.map((v) => [v.count, v.target])).toEqual([[2, { items: [1, 2] }]]);
  });
});

describe("writes cut short", () => {
  // Known limit: in the frame that catches a RangeError at the stack limit, the Step fits in the
  // stack left but the Value's write does not, at every step of that frame alike (its stack
  // depth does not change), so no later step can repair it; the view keeps the value before.
  // A value lost this way is never shown as written (the view is updated only after a write),
  // but it is missing. Kept as a record of the case until the writers need less stack.
  it.skip("a value whose write a stack overflow cut short is written again at the frame's next step", () => {
    // Near the stack limit a probe can run out of stack halfway: the frame that catches the
    // RangeError runs its next lines with just enough stack for some of the probe's work. Two
    // frame sizes put that frame at two different distances from the limit.
    const source = `function small(n) {
  let v = 0;
  try { small(n + 1); } catch {}
  v = n;
  v = n;
  return v; // @ret
}
function wide(n, a, b, c) {
  let v = 0;
  try { wide(n + 1, a, b, c); } catch {}
  v = n;
  v = n;
  return v; // @retWide
}
small(0);
wide(0, 1, 2, 3);
console.log("ok");
`;
    // how deep the recursion gets differs from run to run: the recordings are checked one by one
    const r = differential(source, { variesBetweenRuns: true });
    const returnLines = new Set([lineOf(source, "@ret"), lineOf(source, "@retWide")]);
    const stale = { changed: [] as string[], full: [] as string[] };
    for (const [label, events] of [["changed", r.events], ["full", r.full!.events]] as const) {
      const oracle = new LocalsOracle(events);
      const facts = traceFacts(events);
      for (const [step, locals] of oracle.rawViews()) {
        const where = oracle.describeStep(step);
        if (!returnLines.has(where.line) || where.path !== r.snippetPath) continue;
        const [n, v] = [locals.get("n"), locals.get("v")].map((x) => (x === undefined ? "(not shown)" : facts.decode(x as ValueRecord)));
        if (n !== v) stale[label].push(`step ${step} in ${where.function}: n = ${String(n)}, v = ${String(v)}`);
      }
    }
    expect(stale, "frames whose return shows a v other than their n").toEqual({ changed: [], full: [] });
  });
});

describe("frames that resume", () => {
  it("a generator resumed after yield shows its variables again", () => {
    const source = `function* gen() {
  let a = 1;
  const b = [1];
  yield a;
  b.push(2); // @resumed
  yield b.length;
}
const it = gen();
it.next();
it.next();
console.log(it.next().done);
`;
    const r = differential(source);
    expect(shownAt(r, source, "@resumed", "gen").map((p) => [p.locals.a, p.locals.b])).toEqual([[1, [1]]]);
  });

  it("an async function resumed after await shows its variables again, including what changed while it waited", () => {
    const source = `const shared = { n: 0 };
async function work(label) {
  const mine = [label];
  const seen = shared;
  await null;
  mine.push(seen.n); // @resumed
  return mine;
}
const p = work("w");
shared.n = 1;
p.then((v) => console.log(v.join()));
`;
    const r = differential(source);
    expect(shownAt(r, source, "@resumed", "work").map((p) => [p.locals.label, p.locals.mine, p.locals.seen])).toEqual([["w", ["w"], { n: 1 }]]);
  });
});

describe("frames CodeTracer shows step by step (no accumulation)", () => {
  // TS_EXTENSIONS in the differential helper: .mts runs as .mjs and .cts as .cjs after type
  // stripping; the trace names the original file, whose ending CodeTracer does not accumulate
  const source = `let total: number = 0;
const names: string[] = ["a"];
for (let i = 0; i < 3; i++) {
  total += i;
  console.log(total, names.length); // @loop
}
function f(p: number) {
  const q = p + 1;
  return q; // @ret
}
console.log(f(total));
`;
  /** The values written at exactly each step of the `@loop` line of `file`. */
  const loopSteps = (r: DifferentialResult, file: string) =>
    traceFacts(r.events).steps.filter((s) => s.path === file && s.line === lineOf(source, "@loop")).map((s) => [s.written.total, s.written.names, s.written.i]);

  it.each([".mts", ".cts"])("every step of a %s file carries every visible variable", (ext) => {
    const r = differential(source, { ext });
    expect(loopSteps(r, r.snippetPath)).toEqual([[0, ["a"], 0], [1, ["a"], 1], [3, ["a"], 2]]);
    expect(valuesAt(r, source, "@ret", "p", "f")).toEqual([3]);
    expect(valuesAt(r, source, "@ret", "q", "f")).toEqual([4]);
  });

  it("and of a .jsx file (required from CommonJS, which loads an unknown ending as JavaScript)", () => {
    const r = differential(`require("./lib.jsx");\n`, { ext: ".cjs", files: { "lib.jsx": source.replace(/: number|: string\[\]/g, "") } });
    expect(loopSteps(r, path.join(path.dirname(r.snippetPath), "lib.jsx"))).toEqual([[0, ["a"], 0], [1, ["a"], 1], [3, ["a"], 2]]);
    expect(panels(r, "lib.jsx").filter((p) => p.function === "f").map((p) => p.locals.q)).toContain(4);
  });
});

it("a long loop that changes one variable of ten writes far fewer Values than the full recording", () => {
  const source = `let a0 = 0, a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6, a7 = 7, a8 = "eight", a9 = [9];
let changing = 0;
for (let i = 0; i < 1000; i++) {
  changing += a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8.length + a9.length;
}
console.log(changing);
`;
  const r = differential(source);
  const { valueEvents: [changed, full] } = compareLocals(r.events, r.full!.events);
  // the full recording writes the eleven loop variables at every step, the changed one about two
  expect(full).toBeGreaterThan(10_000);
  expect(changed * 4).toBeLessThan(full);
});
