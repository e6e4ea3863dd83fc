import { readFileSync, statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { TraceEvent } from "../src/trace-events.js";
import { readTraceEvents } from "../src/trace-reader/index.js";
import { BinaryTraceWriter, JsonTraceWriter, compressionStatus, createTraceWriter, type TraceWriterOptions } from "../src/writers/index.js";
import { makeTempDir, writeSidecars } from "./helpers/trace-dir.js";
import { TEST_PROGRAM, TYPE, epilogue, minimalTrace, prologue, richBody } from "./helpers/trace-events.js";
import { validateTrace } from "./helpers/validate.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function traceDir(): string {
  const { dir, cleanup } = makeTempDir("ctjs-writers-");
  cleanups.push(cleanup);
  writeSidecars(dir, { paths: [TEST_PROGRAM], files: { [TEST_PROGRAM]: "// a test program\n" } });
  return dir;
}

/** Fails with the validator's own words when the trace in `dir` does not pass. */
function expectValid(dir: string, extraArgs: string[] = [], requireBalanced = true): void {
  const check = validateTrace(dir, extraArgs, { requireBalanced });
  expect(check.ok, check.output).toBe(true);
}

function writeAll(format: "json" | "binary", events: TraceEvent[], options?: TraceWriterOptions): string {
  const dir = traceDir();
  const writer = createTraceWriter(format, dir, options);
  for (const event of events) writer.write(event);
  writer.close();
  return dir;
}

/** What the reader gives back: Int values as numbers when safe, bigints otherwise. */
function normalized(events: TraceEvent[]): TraceEvent[] {
  return JSON.parse(
    JSON.stringify(events, (_key, value: unknown) =>
      typeof value === "bigint" ? (Number.isSafeInteger(Number(value)) ? Number(value) : `bigint:${value}`) : value,
    ),
    (_key, value: unknown) => (typeof value === "string" && value.startsWith("bigint:") ? BigInt(value.slice(7)) : value),
  ) as TraceEvent[];
}

/** The binary writer compressing on its worker thread from the first batch on. */
const THREAD: TraceWriterOptions = { compressionThread: true, compressionThreadAfterBytes: 0 };

describe.each([
  ["json", "json", {}],
  ["binary", "binary", {}],
  ["binary with compression thread", "binary", THREAD],
] as const)("%s writer", (_name, format, writerOptions: TraceWriterOptions) => {
  it("round-trips every event and value kind through the reader", () => {
    const events = minimalTrace(richBody());
    const dir = writeAll(format, events, writerOptions);
    const check = validateTrace(dir);
    expect(check.output).toMatch(/OK events=/);
    expect(check.ok).toBe(true);
    expect(readTraceEvents(dir)).toEqual(normalized(events));
  });

  it("writes a bigint that fits i64 as a plain integer and reads it back exactly", () => {
    const events = minimalTrace([
      { VariableName: "big" },
      { Step: { path_id: 0, line: 2 } },
      { Value: { variable_id: 0, value: { kind: "Int", i: 12n, type_id: TYPE.Int } } },
      { Value: { variable_id: 0, value: { kind: "Int", i: 2n ** 62n + 1n, type_id: TYPE.Int } } },
      { Value: { variable_id: 0, value: { kind: "Int", i: -(2n ** 63n), type_id: TYPE.Int } } },
    ]);
    const dir = writeAll(format, events, writerOptions);
    expectValid(dir);
    if (format === "json") {
      const text = readFileSync(`${dir}/trace.json`, "utf8");
      expect(text).toContain('"i":12,');
      expect(text).toContain('"i":4611686018427387905,');
      expect(text).toContain('"i":-9223372036854775808,');
    }
    const values = readTraceEvents(dir).flatMap((e) => ("Value" in e ? [e.Value.value] : []));
    expect(values.map((v) => (v.kind === "Int" ? v.i : undefined))).toEqual([12, 2n ** 62n + 1n, -(2n ** 63n)]);
  });

  it("replaces lone surrogates with U+FFFD in every string", () => {
    const events = minimalTrace([
      { VariableName: "lone\ud800name" },
      { Step: { path_id: 0, line: 2 } },
      { Value: { variable_id: 0, value: { kind: "String", text: "a\udc00b\ud83d\ude00c\ud83d", type_id: TYPE.String } } },
      { Value: { variable_id: 0, value: { kind: "String", text: "\\ud800 is only text", type_id: TYPE.String } } },
      { Event: { kind: 0, metadata: "", content: "out\udfff\n" } },
    ]);
    const dir = writeAll(format, events, writerOptions);
    const check = validateTrace(dir);
    expect(check.output).not.toMatch(/surrogate/);
    expect(check.ok).toBe(true);
    const back = readTraceEvents(dir);
    expect(back).toContainEqual({ VariableName: "lone\ufffdname" });
    expect(back).toContainEqual({
      Value: { variable_id: 0, value: { kind: "String", text: "a\ufffdb\ud83d\ude00c\ufffd", type_id: TYPE.String } },
    });
    expect(back).toContainEqual({
      Value: { variable_id: 0, value: { kind: "String", text: "\\ud800 is only text", type_id: TYPE.String } },
    });
    expect(back).toContainEqual({ Event: { kind: 0, metadata: "", content: "out\ufffd\n" } });
  });

  it("leaves a complete, valid trace on disk after every flush", () => {
    const dir = traceDir();
    const writer = createTraceWriter(format, dir, writerOptions);
    expect(readTraceEvents(dir)).toEqual([]);
    const written: TraceEvent[] = [];
    const emit = (event: TraceEvent): void => {
      writer.write(event);
      written.push(event);
    };
    for (const event of prologue().slice(0, -2)) emit(event); // registrations only, no call yet
    writer.flush();
    expectValid(dir);
    for (let round = 0; round < 5; round++) {
      // One complete top-level call per round, so every flushed state is balanced.
      emit({ Call: { function_id: 0, args: [] } });
      for (let line = 2; line < 50; line++) emit({ Step: { path_id: 0, line } });
      for (const event of epilogue()) emit(event);
      writer.flush();
      expect(writer.bytesOnDisk).toBe(statSync(writer.file).size);
      expectValid(dir);
      expect(readTraceEvents(dir)).toHaveLength(written.length);
    }
    writer.close();
    writer.close(); // idempotent
    expect(writer.eventCount).toBe(written.length);
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(written);
    expect(() => writer.write({ Step: { path_id: 0, line: 1 } })).toThrow(/closed/);
  });

  it("flushes on its own when the batch passes batchBytes, and each batch leaves the file valid", () => {
    const dir = traceDir();
    const writer = createTraceWriter(format, dir, { ...writerOptions, batchBytes: 512 });
    for (const event of prologue()) writer.write(event);
    const sizes = new Set<number>();
    for (let line = 2; line < 2000; line++) {
      writer.write({ Step: { path_id: 0, line } });
      if (line % 400 === 0) {
        sizes.add(writer.bytesOnDisk);
        // Cut inside the top-level call: valid, with that one call still open.
        expectValid(dir, ["--max-end-depth", "1", "--quiet"], false);
      }
    }
    expect(sizes.size).toBeGreaterThan(3); // it flushed between the checks without being asked
    for (const event of epilogue()) writer.write(event);
    writer.close();
    expectValid(dir);
    expect(readTraceEvents(dir)).toHaveLength(writer.eventCount);
  });

  it("handles an event far larger than the batch size", () => {
    const huge = "y".repeat(3_000_000) + "é";
    const events = minimalTrace([
      { VariableName: "s" },
      { Step: { path_id: 0, line: 2 } },
      { Value: { variable_id: 0, value: { kind: "String", text: huge, type_id: TYPE.String } } },
      { Step: { path_id: 0, line: 3 } },
    ]);
    const dir = writeAll(format, events, { ...writerOptions, batchBytes: 4096 });
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(events);
  });
});

describe("binary writer frames", () => {
  it("splits a large batch into frames of at most maxFrameBytes, on event boundaries", () => {
    const dir = traceDir();
    const writer = new BinaryTraceWriter(dir, { batchBytes: 1 << 20, maxFrameBytes: 4096, compression: "none" });
    const events = minimalTrace(Array.from({ length: 5000 }, (_, i) => ({ Step: { path_id: 0, line: 2 + (i % 300) } })));
    for (const event of events) writer.write(event);
    writer.close();
    const check = validateTrace(dir, ["--json-summary"]);
    expect(check.ok).toBe(true);
    const summary = JSON.parse(check.output.slice(check.output.indexOf("{"), check.output.lastIndexOf("}") + 1)) as {
      frames?: number;
    };
    expect(JSON.stringify(summary)).toMatch(/"frames": ?([2-9]\d|\d{3,})/);
    expect(readTraceEvents(dir)).toEqual(events);
  });

  it("stores raw-block frames that the zstd CLI decodes when compression is off", () => {
    const events = minimalTrace(Array.from({ length: 100_000 }, (_, i) => ({ Step: { path_id: 0, line: 2 + (i % 50) } })));
    const dir = traceDir();
    const writer = new BinaryTraceWriter(dir, { compression: "none" });
    expect(writer.compressed).toBe(false);
    for (const event of events) writer.write(event);
    writer.close();
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(events);
  });

  it("compresses frames when the zstd library loads", () => {
    const status = compressionStatus();
    const events = minimalTrace(Array.from({ length: 100_000 }, (_, i) => ({ Step: { path_id: 0, line: 2 + (i % 50) } })));
    const raw = traceDir();
    const packed = traceDir();
    for (const [dir, compression] of [[raw, "none"], [packed, "auto"]] as const) {
      const writer = new BinaryTraceWriter(dir, { compression });
      expect(writer.compressed).toBe(compression === "auto" && status.available);
      for (const event of events) writer.write(event);
      writer.close();
      expectValid(dir);
      expect(readTraceEvents(dir)).toEqual(events);
    }
    if (status.available) {
      expect(statSync(`${packed}/trace.bin`).size).toBeLessThan(statSync(`${raw}/trace.bin`).size / 10);
    }
  });

  it("reports the zstd library as available in this workspace", () => {
    expect(compressionStatus()).toMatchObject({ available: true });
  });
});

describe("json writer layout", () => {
  it("writes one event per line inside a JSON array", () => {
    const dir = traceDir();
    const writer = new JsonTraceWriter(dir);
    expect(readFileSync(writer.file, "utf8")).toBe("[\n]\n");
    for (const event of minimalTrace()) writer.write(event);
    writer.close();
    const text = readFileSync(writer.file, "utf8");
    expect(text.startsWith('[\n{"Path":')).toBe(true);
    expect(text.endsWith('{"Return":{"return_value":{"kind":"None","type_id":0}}}\n]\n')).toBe(true);
    expect(text.split("\n")).toHaveLength(minimalTrace().length + 3);
    expect(JSON.parse(text)).toEqual(minimalTrace());
  });
});

describe("events that cannot be encoded", () => {
  it.each(["json", "binary"] as const)("%s: are refused whole, leaving the stream intact", (format) => {
    const dir = traceDir();
    const writer = createTraceWriter(format, dir);
    // a Variant containing itself: whichever path encodes it, generic or fast, never ends
    const cyclic: Record<string, unknown> = { kind: "Variant", discriminator: "x", type_id: TYPE.String };
    cyclic.contents = cyclic;
    const events = minimalTrace();
    for (const event of events.slice(0, -1)) writer.write(event);
    expect(() => writer.write({ Value: { variable_id: 0, value: cyclic as never } })).toThrow();
    writer.write(events.at(-1)!);
    writer.close();
    expect(writer.eventCount).toBe(events.length);
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(events);
  });
});

describe("the Step and Value shortcuts", () => {
  it("binary: step() and value() write what write() writes for the same events", () => {
    const events = minimalTrace(richBody());
    const dir = traceDir();
    const writer = new BinaryTraceWriter(dir, { batchBytes: 4096 });
    for (const event of events) {
      if ("Step" in event) writer.step(event.Step.path_id, event.Step.line);
      else if ("Value" in event) writer.value(event.Value.variable_id, event.Value.value);
      else writer.write(event);
    }
    writer.close();
    expect(writer.eventCount).toBe(events.length);
    expectValid(dir);
    expect(readTraceEvents(dir)).toEqual(readTraceEvents(writeAll("binary", events, { batchBytes: 4096 })));
  });
});
