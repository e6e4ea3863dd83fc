/**
 * The locals oracle (test/helpers/locals-oracle.ts) on hand-written event lists: each rule of
 * CodeTracer's loading and `load_locals` it models, so that a wrong oracle fails here before it
 * blesses or blames a recording.
 */
import { describe, expect, it } from "vitest";
import { compareLocals, LocalsOracle, type OracleEvent } from "../helpers/locals-oracle.js";
import type { ValueRecord } from "../helpers/trace-facts.js";

/** Builds an event list with interned paths, functions, names and types, as a recorder would. */
class TraceBuilder {
  readonly events: OracleEvent[] = [];
  private readonly names = new Map<string, number>();
  private readonly typeIds = new Map<string, number>();
  private readonly functionIds = new Map<string, number>();
  private pathId = -1;

  constructor(path: string, private readonly typeOrder: string[] = []) {
    for (const t of typeOrder) this.type(t);
    this.path(path);
  }

  path(path: string): this {
    this.events.push({ Path: path });
    this.pathId++;
    return this;
  }

  /** `kind lang`, e.g. "7 number" (Int) or "8 number" (Float). */
  type(key: string): number {
    let id = this.typeIds.get(key);
    if (id === undefined) {
      const [kind, lang] = key.split(" ");
      id = this.typeIds.size;
      this.typeIds.set(key, id);
      this.events.push({ Type: { kind: Number(kind), lang_type: lang!, specific_info: { kind: "None" } } });
    }
    return id;
  }

  value(v: number | string): ValueRecord {
    if (typeof v === "string") return { kind: "String", text: v, type_id: this.type("9 string") };
    return Number.isInteger(v) ? { kind: "Int", i: v, type_id: this.type("7 number") } : { kind: "Float", f: String(v), type_id: this.type("8 number") };
  }

  variable(name: string): number {
    let id = this.names.get(name);
    if (id === undefined) {
      id = this.names.size;
      this.names.set(name, id);
      this.events.push({ VariableName: name });
    }
    return id;
  }

  records(values: Record<string, number | string>): Array<{ variable_id: number; value: ValueRecord }> {
    return Object.entries(values).map(([name, v]) => ({ value: this.value(v), variable_id: this.variable(name) }));
  }

  step(line: number, values: Record<string, number | string> = {}): this {
    this.events.push({ Step: { path_id: this.pathId, line } });
    return this.values(values);
  }

  values(values: Record<string, number | string>): this {
    for (const record of this.records(values)) this.events.push({ Value: record });
    return this;
  }

  call(name: string, args: Record<string, number | string> = {}): this {
    let id = this.functionIds.get(`${this.pathId}:${name}`);
    if (id === undefined) {
      id = this.functionIds.size;
      this.functionIds.set(`${this.pathId}:${name}`, id);
      this.events.push({ Function: { path_id: this.pathId, line: 1, name } });
    }
    this.events.push({ Call: { function_id: id, args: this.records(args) } });
    return this;
  }

  /** A function's entry step (its definition line) and its Call, the way ctjs writes one. */
  enter(name: string, args: Record<string, number | string> = {}): this {
    return this.step(1).call(name, args);
  }

  ret(value: number | string = 0): this {
    this.events.push({ Return: { return_value: this.value(value) } });
    return this;
  }
}

/** The panel at every step as plain `{ name: shown value }` objects (`text`, `i` or `f`). */
function panels(events: OracleEvent[]): Array<Record<string, unknown>> {
  return [...new LocalsOracle(events).views()].map((view) =>
    Object.fromEntries([...view.locals].map(([name, v]) => [name, v.text ?? (v.i !== undefined ? Number(v.i) : Number(v.f))])));
}

describe("a JavaScript frame accumulates its call's values", () => {
  it("a variable not re-sent shows its latest earlier value in the same call, over the call's args", () => {
    const t = new TraceBuilder("/app/main.js").call("<module>").step(1).enter("f", { x: 1 }).step(2, { y: 10 }).step(3).step(4, { y: 20, x: 2 }).step(5).ret().ret();
    expect(panels(t.events)).toEqual([{}, { x: 1 }, { x: 1, y: 10 }, { x: 1, y: 10 }, { x: 2, y: 20 }, { x: 2, y: 20 }]);
  });

  it.each([".js", ".mjs", ".cjs", ".ts", ".tsx"])("for a function in a %s file", (ext) => {
    const t = new TraceBuilder(`/app/main${ext}`).call("<module>").step(1, { a: 1 }).step(2).ret();
    expect(panels(t.events)).toEqual([{ a: 1 }, { a: 1 }]);
  });

  it("the frame kind follows the function's path, not the step's", () => {
    // a function of main.jsx whose steps are in helper.js: exact-step panel
    const t = new TraceBuilder("/app/main.jsx").call("<module>").path("/app/helper.js").step(1, { a: 1 }).step(2).ret();
    expect(panels(t.events)).toEqual([{ a: 1 }, {}]);
  });
});

describe("other paths show the values of exactly the step", () => {
  it.each([".jsx", ".mts", ".cts", ".py", ".js.map"])("a %s frame shows nothing at a step that wrote nothing", (ext) => {
    const t = new TraceBuilder(`/app/main${ext}`).call("<module>").step(1, { a: 1 }).step(2).step(3, { b: 2 }).ret();
    expect(panels(t.events)).toEqual([{ a: 1 }, {}, { b: 2 }]);
  });

  it("a call's args show at the step the call starts on only", () => {
    const t = new TraceBuilder("/app/main.mts").call("<module>").step(1).enter("f", { x: 1 }).step(2, { y: 2 }).step(3).ret().ret();
    expect(panels(t.events)).toEqual([{}, { x: 1 }, { y: 2 }, {}]);
  });

  it("of two values of one name at one step, the first is shown (stable sort, then dedup)", () => {
    const t = new TraceBuilder("/app/main.cts").call("<module>").step(1, { a: 1 }).values({ a: 2 }).ret();
    expect(panels(t.events)).toEqual([{ a: 1 }]);
  });
});

describe("which call a step belongs to", () => {
  it("a child call's steps are not part of the caller's panel, and the caller's values come back after the return", () => {
    const t = new TraceBuilder("/app/main.js").call("<module>")
      .step(10, { a: 1 }).enter("g", { a: 99 }).step(2, { a: 100, inner: 5 }).ret()
      .step(11).ret();
    const views = panels(t.events);
    expect(views[2]).toEqual({ a: 100, inner: 5 });
    expect(views[3]).toEqual({ a: 1 });
  });

  it("the step right before a Call is the callee's, with whatever the caller wrote there", () => {
    // no entry step: the caller's line-10 step and its value b go to g
    const t = new TraceBuilder("/app/main.js").call("<module>").step(9, { a: 1 }).step(10, { b: 5 }).call("g", { p: 1 }).step(2).ret().step(11).ret();
    const oracle = new LocalsOracle(t.events);
    expect(oracle.describeStep(1)).toMatchObject({ line: 10, function: "g" });
    expect(panels(t.events)).toEqual([{ a: 1 }, { b: 5, p: 1 }, { b: 5, p: 1 }, { a: 1 }]);
  });

  it("the latest step before a Call is the callee's even when a Return came between", () => {
    // f's last step, then f returns and g is called with no step between: g takes f's last step
    const t = new TraceBuilder("/app/main.js").call("<module>").step(9).enter("f").step(2, { v: 1 }).ret().call("g", { p: 2 }).step(3).ret().ret();
    const oracle = new LocalsOracle(t.events);
    expect(oracle.describeStep(2)).toMatchObject({ line: 2, function: "g" });
    expect(panels(t.events)[2]).toEqual({ v: 1, p: 2 });
  });

  it("values written after a Return and before the next step belong to the callee's last step", () => {
    const t = new TraceBuilder("/app/main.js").call("<module>").step(9).enter("f").step(2).ret().values({ late: 1 }).step(10).ret();
    expect(panels(t.events)).toEqual([{}, {}, { late: 1 }, {}]);
  });

  it("step 0 stays with its call even when a Call follows it", () => {
    const t = new TraceBuilder("/app/main.js").call("<module>").step(1, { a: 1 }).call("f", { x: 1 }).step(2).ret().step(3).ret();
    const oracle = new LocalsOracle(t.events);
    expect(oracle.describeStep(0).function).toBe("<module>");
    expect(oracle.calls[1]!.stepId).toBe(0);
    // f's panel starts from its args: step 0 (with a and x) is not f's
    expect(panels(t.events)).toEqual([{ a: 1, x: 1 }, { x: 1 }, { a: 1, x: 1 }]);
  });

  it("steps before any Call belong to a synthetic top-level call of the first step's path", () => {
    const t = new TraceBuilder("/app/main.js").step(1, { a: 1 }).step(2);
    const oracle = new LocalsOracle(t.events);
    expect(oracle.describeStep(1).function).toBe("<top-level>");
    expect(panels(t.events)).toEqual([{ a: 1 }, { a: 1 }]);
  });

  it("after the outermost Return, later steps stay with the call that returned", () => {
    const t = new TraceBuilder("/app/main.js").call("<module>").step(1, { a: 1 }).ret().step(2);
    expect(panels(t.events)).toEqual([{ a: 1 }, { a: 1 }]);
  });
});

describe("a resumption is a new call", () => {
  it("accumulation restarts: what was sent before the suspension is not shown after it", () => {
    const t = new TraceBuilder("/app/main.js").call("<module>").step(1)
      .enter("gen", { n: 3 }).step(2, { i: 0 }).ret("<suspended>")
      .step(5, { it: "x" })
      .step(2).call("gen").step(3).step(4, { i: 1 }).ret().ret();
    expect(panels(t.events)).toEqual([{}, { n: 3 }, { n: 3, i: 0 }, { it: "x" }, {}, {}, { i: 1 }]);
  });

  it("two calls of one function start from their own args", () => {
    const t = new TraceBuilder("/app/main.js").call("<module>").step(1)
      .enter("f", { x: 1 }).step(2, { y: 1 }).ret()
      .step(2).enter("f", { x: 2 }).step(3).ret().ret();
    const views = panels(t.events);
    expect(views[5]).toEqual({ x: 2 });
  });
});

describe("views computed incrementally match load_locals computed per step", () => {
  // a seeded xorshift: the same random traces every run
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 2 ** 32;
    };
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("random trace %i", (seed) => {
    const next = random(seed * 7919);
    const t = new TraceBuilder(seed % 2 ? "/app/a.js" : "/app/a.jsx").call("<module>");
    let depth = 1;
    for (let n = 0; n < 300; n++) {
      const r = next();
      const name = ["a", "b", "c", "d"][Math.floor(next() * 4)]!;
      if (r < 0.5) t.step(Math.floor(next() * 20), next() < 0.6 ? { [name]: Math.floor(next() * 5) } : {});
      else if (r < 0.65) t.values({ [name]: Math.floor(next() * 5) });
      else if (r < 0.8) {
        if (next() < 0.5) t.step(1);
        t.call(["f", "g"][Math.floor(next() * 2)]!, next() < 0.5 ? { [name]: 7 } : {});
        depth++;
      } else if (depth > 1) {
        t.ret();
        depth--;
      }
    }
    const oracle = new LocalsOracle(t.events);
    expect(oracle.steps.length).toBeGreaterThan(100);
    const incremental = [...oracle.views()].map((v) => [...v.locals]);
    const direct = oracle.steps.map((_, i) => [...oracle.localsAt(i)]);
    expect(incremental).toEqual(direct);
  });
});

describe("comparing two recordings", () => {
  const program = (b: TraceBuilder, everyStep: boolean) => {
    b.call("<module>").step(1, { a: 1, b: 2 });
    b.step(2, everyStep ? { a: 1, b: 3 } : { b: 3 });
    b.step(3, everyStep ? { a: 1, b: 3 } : {});
    return b.ret().events;
  };

  it("the same panels with fewer Value events compare equal, and the counts are reported", () => {
    const comparison = compareLocals(program(new TraceBuilder("/app/x.js"), false), program(new TraceBuilder("/app/x.js"), true), ["changed", "full"]);
    expect(comparison.difference).toBeUndefined();
    expect(comparison.valueEvents).toEqual([3, 6]);
    expect(comparison.steps).toBe(3);
  });

  it("type ids numbered differently compare equal; a different type does not", () => {
    const ints = new TraceBuilder("/app/x.js", ["9 string", "8 number", "7 number"]).call("<module>").step(1, { a: 1 }).ret();
    const other = new TraceBuilder("/app/x.js").call("<module>").step(1, { a: 1 }).ret();
    expect(compareLocals(ints.events, other.events).difference).toBeUndefined();
    const floats = new TraceBuilder("/app/x.js").call("<module>").step(1, { a: 1.5 }).ret();
    expect(compareLocals(floats.events, other.events).difference).toMatch(/step 0 \(\/app\/x\.js:1 in <module>\), variable a/);
  });

  it("on a non-JS path the changed-only trace shows less, and the difference names the step, place, variable and both values", () => {
    const changed = program(new TraceBuilder("/app/x.mts"), false);
    const full = program(new TraceBuilder("/app/x.mts"), true);
    const { difference } = compareLocals(changed, full, ["changed", "full"]);
    expect(difference).toContain("step 1 (/app/x.mts:2 in <module>), variable a:");
    expect(difference).toContain("changed: (not shown)");
    expect(difference).toMatch(/full: \{"i":"1","kind":"Int","type":"Int number"\}/);
  });

  it("a value that differs is reported at the first step it shows", () => {
    const x = new TraceBuilder("/app/x.js").call("<module>").step(1, { a: 1 }).step(2).step(3, { a: 2 }).ret();
    const y = new TraceBuilder("/app/x.js").call("<module>").step(1, { a: 1 }).step(2, { a: 5 }).step(3, { a: 2 }).ret();
    expect(compareLocals(x.events, y.events).difference).toMatch(/^step 1 .*variable a:/);
  });

  it("compact oracles (a digest per value) find the same differences, and show a preview of each value", () => {
    const x = new TraceBuilder("/app/x.js").call("<module>").step(1, { a: 1 }).step(2).step(3, { a: 2 }).ret();
    const y = new TraceBuilder("/app/x.js").call("<module>").step(1, { a: 1 }).step(2, { a: 5 }).step(3, { a: 2 }).ret();
    const same = new TraceBuilder("/app/x.js", ["9 string"]).call("<module>").step(1, { a: 1 }).step(2, { a: 1 }).step(3, { a: 2 }).ret();
    const { difference } = compareLocals(x.events, y.events, ["x", "y"], { compact: true });
    expect(difference).toMatch(/^step 1 .*variable a:\n  x: \{"i":"1","kind":"Int","type":"Int number"\}\n  y: \{"i":"5",/);
    expect(compareLocals(x.events, same.events, ["x", "same"], { compact: true }).difference).toBeUndefined();
    expect(() => compareLocals(new LocalsOracle(x.events, { compact: true }), new LocalsOracle(y.events))).toThrow(/compact/);
  });

  it("return values are not compared (the panel does not show them; a timer's may hold timestamps)", () => {
    const x = new TraceBuilder("/app/x.js").call("<module>").step(1).enter("f").step(2).ret(1).ret();
    const y = new TraceBuilder("/app/x.js").call("<module>").step(1).enter("f").step(2).ret(2).ret();
    expect(compareLocals(x.events, y.events).difference).toBeUndefined();
  });

  it("different steps or calls are differences, whatever the values", () => {
    const base = new TraceBuilder("/app/x.js").call("<module>").step(1).step(2).ret();
    const otherLine = new TraceBuilder("/app/x.js").call("<module>").step(1).step(3).ret();
    const moreSteps = new TraceBuilder("/app/x.js").call("<module>").step(1).step(2).step(2).ret();
    const otherCall = new TraceBuilder("/app/x.js").call("main").step(1).step(2).ret();
    expect(compareLocals(base.events, otherLine.events).difference).toMatch(/^step 1 differs/);
    expect(compareLocals(base.events, moreSteps.events).difference).toMatch(/2 steps, .* 3/);
    expect(compareLocals(base.events, otherCall.events).difference).toMatch(/^call #0 differs/);
  });
});
