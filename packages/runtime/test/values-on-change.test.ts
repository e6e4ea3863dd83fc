import { Frame, type FileTable, type SiteEntry } from "@ctjs/monitoring";
import { describe, expect, it } from "vitest";
import { RuntimeTracer } from "../src/runtime-tracer.js";
import { accumulatesValues, ShownValues } from "../src/shown-values.js";
import type { TraceEvent, TraceWriter, ValueRecord } from "../src/trace-events.js";
import { TypeTable } from "../src/type-registry.js";
import { createValueEncoder, type EncoderLimits } from "../src/value-encoder.js";
import { sameValueRecord } from "../src/value-record-equality.js";
import type { ValuesMode } from "../src/values-mode.js";

/** A writer that keeps the events in memory. */
function memoryWriter(): TraceWriter & { events: TraceEvent[] } {
  const events: TraceEvent[] = [];
  return {
    events,
    format: "json",
    file: "<memory>",
    get eventCount() {
      return events.length;
    },
    bytesOnDisk: 0,
    write: (event) => void events.push(event),
    flush: () => {},
    close: () => {},
  } as TraceWriter & { events: TraceEvent[] };
}

/** One file with one function `f(p)` whose site 0 passes `names` (and site 1 `this` with private fields). */
function fileTable(path: string, names: string[], extra: Partial<FileTable> = {}): FileTable {
  const sites: SiteEntry[] = [[2, 0, names.map((_, i) => i + 1)], [3, 0, [names.length + 1], 0, [names.length + 2, names.length + 3]]];
  return { ctjs: 1, path, names: ["p", ...names, "this", "#count", "#gone"], fns: [["f", 1, 0, [0], 0]], sites, ...extra };
}

interface Recording {
  tracer: RuntimeTracer;
  writer: ReturnType<typeof memoryWriter>;
  file: FileTable;
  /** Values written by the latest step, by variable name. */
  lastStep(): Map<string, ValueRecord>;
}

function record(options: { path?: string; names?: string[]; values?: ValuesMode; limits?: Partial<EncoderLimits>; table?: Partial<FileTable> } = {}): Recording {
  const writer = memoryWriter();
  const names = options.names ?? ["a", "b"];
  const file = fileTable(options.path ?? "/app/f.js", names, options.table);
  const tracer = new RuntimeTracer({ writer, activation: { isActive: true, enter: () => true }, program: "/app/main.js", values: options.values, limits: options.limits });
  const lastStep = () => {
    const variableNames = writer.events.flatMap((e) => ("VariableName" in e ? [e.VariableName] : []));
    const at = writer.events.map((e) => "Step" in e).lastIndexOf(true);
    const shown = new Map<string, ValueRecord>();
    for (const e of writer.events.slice(at + 1)) if ("Value" in e) shown.set(variableNames[e.Value.variable_id]!, e.Value.value);
    return shown;
  };
  return { tracer, writer, file, lastStep };
}

function enter(r: Recording, ...args: unknown[]): Frame {
  const frame = new Frame(r.file, 0);
  frame.args = args;
  r.tracer.onStart(frame, args);
  return frame;
}

describe("values written on change", () => {
  it("a primitive that stays the same is written once per call; a new one is written", () => {
    const r = record();
    const frame = enter(r, 1);
    r.tracer.onLine(r.file, frame, 0, [5, "x"]);
    expect([...r.lastStep().keys()]).toEqual(["a", "b"]);
    r.tracer.onLine(r.file, frame, 0, [5, "x"]);
    expect(r.lastStep().size).toBe(0);
    r.tracer.onLine(r.file, frame, 0, [6, "x"]);
    expect([...r.lastStep().keys()]).toEqual(["a"]);
  });

  it("an object is compared by what it shows, not by identity: mutation is written, no mutation is not", () => {
    const r = record();
    const frame = enter(r, 1);
    const list = [1, 2];
    r.tracer.onLine(r.file, frame, 0, [list, 0]);
    r.tracer.onLine(r.file, frame, 0, [list, 0]);
    expect(r.lastStep().size).toBe(0);
    list.push(3);
    r.tracer.onLine(r.file, frame, 0, [list, 0]);
    expect(r.lastStep().get("a")).toMatchObject({ kind: "Sequence", elements: [{ i: 1 }, { i: 2 }, { i: 3 }] });
    // a different object showing the same thing needs no write
    r.tracer.onLine(r.file, frame, 0, [[1, 2, 3], 0]);
    expect(r.lastStep().size).toBe(0);
  });

  it("a parameter passed in the Call is not written again until it changes", () => {
    const r = record({ names: ["p"] });
    const frame = enter(r, 7);
    r.tracer.onLine(r.file, frame, 0, [7]);
    expect(r.lastStep().size).toBe(0);
    r.tracer.onLine(r.file, frame, 0, [8]);
    expect(r.lastStep().get("p")).toMatchObject({ kind: "Int", i: 8 });
  });

  it("a resumption is a new Call: every variable is written again at its first step", () => {
    const r = record();
    const frame = enter(r, 1);
    r.tracer.onLine(r.file, frame, 0, [5, "x"]);
    r.tracer.onYield(frame, undefined);
    r.tracer.onResume(frame, undefined);
    r.tracer.onLine(r.file, frame, 0, [5, "x"]);
    expect([...r.lastStep().keys()]).toEqual(["a", "b"]);
  });

  it("each call has its own view: a callee's writes do not stand for the caller's", () => {
    const r = record();
    const outer = enter(r, 1);
    r.tracer.onLine(r.file, outer, 0, [5, "x"]);
    const inner = enter(r, 2);
    r.tracer.onLine(r.file, inner, 0, [5, "x"]);
    expect(r.lastStep().size).toBe(2);
    r.tracer.onReturn(inner, undefined);
    r.tracer.onLine(r.file, outer, 0, [5, "x"]);
    expect(r.lastStep().size).toBe(0);
  });

  it("frames of paths CodeTracer does not accumulate for (.jsx, .mts, .cts) write every variable at every step", () => {
    for (const path of ["/app/f.jsx", "/app/f.mts", "/app/f.cts"]) {
      expect(accumulatesValues(path)).toBe(false);
      const r = record({ path });
      const frame = enter(r, 1);
      r.tracer.onLine(r.file, frame, 0, [5, "x"]);
      r.tracer.onLine(r.file, frame, 0, [5, "x"]);
      expect([...r.lastStep().keys()]).toEqual(["a", "b"]);
    }
    for (const path of ["/a.js", "/a.mjs", "/a.cjs", "/a.ts", "/a.tsx"]) expect(accumulatesValues(path)).toBe(true);
  });

  it('a file instrumented with values "full", and the "full" mode, write every variable at every step', () => {
    for (const r of [record({ table: { values: "full" } }), record({ values: "full" })]) {
      const frame = enter(r, 1);
      r.tracer.onLine(r.file, frame, 0, [5, "x"]);
      r.tracer.onLine(r.file, frame, 0, [5, "x"]);
      expect([...r.lastStep().keys()]).toEqual(["a", "b"]);
    }
  });
});

describe("the step's record budget", () => {
  const big = () => Array.from({ length: 30 }, (_, i) => ({ i }));

  it("is shared by the values of one step: later objects are cut once it is spent, in both modes alike", () => {
    for (const values of ["changed", "full"] as const) {
      const r = record({ values, limits: { maxStepNodes: 40, maxItems: 100 } });
      const frame = enter(r, 1);
      r.tracer.onLine(r.file, frame, 0, [big(), big()]);
      const shown = r.lastStep();
      const first = shown.get("a") as Extract<ValueRecord, { kind: "Sequence" }>;
      expect(first.kind).toBe("Sequence");
      expect(first.elements.at(-1)).toMatchObject({ kind: "Raw", r: expect.stringMatching(/^… \d+ more$/) });
      expect(shown.get("b")).toMatchObject({ kind: "Raw", r: "Array {…}" });
    }
  });

  it("primitives cost nothing against it, so skipping unchanged ones leaves the objects' share as it was", () => {
    const r = record({ names: ["s", "a"], limits: { maxStepNodes: 3 } });
    const frame = enter(r, 1);
    r.tracer.onLine(r.file, frame, 0, ["text", [1, 2]]);
    expect(r.lastStep().get("a")).toMatchObject({ kind: "Sequence", elements: [{ i: 1 }, { i: 2 }] });
  });
});

describe("this with private fields", () => {
  /** Stands for the plugin's reader of a class with fields #count and #gone: `#gone in o` fails. */
  const readerOf = (count: () => number) => (o: unknown, absent: unknown) => (typeof o === "object" && o !== null ? [count(), absent] : []);

  it("shows the fields the class's reader finds as fields named #x; one it marks absent is left out", () => {
    const r = record();
    const frame = enter(r, 1);
    const self = { open: 1 };
    let count = 41;
    const reader = readerOf(() => count);
    r.tracer.onLine(r.file, frame, 1, [self, reader]);
    const shown = r.lastStep().get("this") as Extract<ValueRecord, { kind: "Struct" }>;
    expect(shown.field_values.map((v) => (v as { i?: number }).i)).toEqual([1, 41]);
    const typeFields = r.writer.events.flatMap((e) => ("Type" in e && e.Type.specific_info.kind === "Struct" ? [e.Type.specific_info.fields.map((f) => f.name)] : []));
    expect(typeFields).toContainEqual(["open", "#count"]);
    // a private field that changes is a change of `this`
    r.tracer.onLine(r.file, frame, 1, [self, reader]);
    expect(r.lastStep().size).toBe(0);
    count = 42;
    r.tracer.onLine(r.file, frame, 1, [self, reader]);
    expect(r.lastStep().has("this")).toBe(true);
  });

  it("shows `this` alone when the reader slot holds no function, the reader throws or `this` is no object", () => {
    const r = record();
    const frame = enter(r, 1);
    /** How many fields the step shows in `this`, or the kind of record it shows instead. */
    const fieldsShown = (reader: unknown, self: unknown) => {
      r.tracer.onLine(r.file, frame, 1, [self, reader]);
      const shown = r.lastStep().get("this");
      return shown?.kind === "Struct" ? shown.field_values.length : shown?.kind;
    };
    expect(fieldsShown(readerOf(() => 1), { open: 1 })).toBe(2);
    expect(fieldsShown(undefined, { open: 2 })).toBe(1);
    expect(fieldsShown(() => {
      throw new Error("no");
    }, { open: 3 })).toBe(1);
    expect(fieldsShown({ notAFunction: true }, { open: 4 })).toBe(1);
    let calls = 0;
    expect(fieldsShown(() => ++calls, 5)).toBe("Int");
    expect(calls).toBe(0);
  });
});

describe("ShownValues and record equality", () => {
  const encoder = createValueEncoder(new TypeTable(() => {}));

  it("records of equal values are equal; any difference in a leaf, a kind or a type is not", () => {
    const same = (a: unknown, b: unknown) => sameValueRecord(encoder.encode(a), encoder.encode(b));
    expect(same({ x: [1, "a", null] }, { x: [1, "a", null] })).toBe(true);
    expect(same({ x: [1, "a", null] }, { x: [1, "b", null] })).toBe(false);
    expect(same({ x: 1 }, { y: 1 })).toBe(false);
    expect(same(1, 1.5)).toBe(false);
    expect(same(0, -0)).toBe(false);
    expect(same(NaN, NaN)).toBe(true);
    expect(same(new Map([[1, 2]]), new Map([[1, 3]]))).toBe(false);
    expect(same(10n, -10n)).toBe(false);
  });

  it("knows a primitive is shown by identity, never an object", () => {
    const shown = ShownValues.ofArguments([{ variable_id: 0, value: encoder.encode("s") }], ["s"]);
    expect(shown.showsPrimitive(0, "s")).toBe(true);
    expect(shown.showsPrimitive(0, "t")).toBe(false);
    const object = {};
    expect(shown.differs(1, encoder.encode(object))).toBe(true);
    shown.set(1, object, encoder.encode(object));
    expect(shown.showsPrimitive(1, object)).toBe(false);
    expect(shown.differs(1, encoder.encode(object))).toBe(false);
  });
});
