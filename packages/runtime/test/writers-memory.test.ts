import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../src/trace-events.js";
import { iterateTraceEvents } from "../src/trace-reader/index.js";
import { createTraceWriter, type TraceWriterOptions } from "../src/writers/index.js";
import { makeTempDir, writeSidecars } from "./helpers/trace-dir.js";
import { TEST_PROGRAM, TYPE, epilogue, prologue } from "./helpers/trace-events.js";
import { validateTrace } from "./helpers/validate.js";

/**
 * Writers stream: memory must not grow with the number of events. Millions of small events are
 * written; the heap (and Buffer memory, which lives outside it) after 1M events is compared with
 * the heap after 3M, each measured after a full garbage collection.
 */

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const MiB = 1024 * 1024;
const cleanups: (() => void)[] = [];
afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

function memoryAfterGc(): { heap: number; buffers: number } {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}

/** Small events: mostly steps, every fourth one a value. */
function writeEvents(write: (event: TraceEvent) => void, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (i % 4 === 3) write({ Value: { variable_id: 0, value: { kind: "Int", i, type_id: TYPE.Int } } });
    else write({ Step: { path_id: 0, line: 2 + (i % 97) } });
  }
}

describe.each([
  ["json", "json", {}],
  ["binary", "binary", {}],
  // the worker and its shared slots start with the first batch, before the first measurement
  ["binary with compression thread", "binary", { compressionThread: true, compressionThreadAfterBytes: 0 }],
] as const)("%s writer memory", (_name, format, writerOptions: TraceWriterOptions) => {
  it("does not grow between 1M and 3M events", { timeout: 180_000 }, () => {
    const { dir, cleanup } = makeTempDir("ctjs-memory-");
    cleanups.push(cleanup);
    writeSidecars(dir, { paths: [TEST_PROGRAM] });
    const writer = createTraceWriter(format, dir, writerOptions);
    const write = (event: TraceEvent): void => writer.write(event);
    for (const event of prologue()) write(event);
    write({ VariableName: "i" });

    writeEvents(write, 0, 1_000_000);
    writer.flush();
    const atOneMillion = memoryAfterGc();
    writeEvents(write, 1_000_000, 3_000_000);
    writer.flush();
    const atThreeMillion = memoryAfterGc();

    for (const event of epilogue()) write(event);
    writer.close();
    const heapGrowth = atThreeMillion.heap - atOneMillion.heap;
    const bufferGrowth = atThreeMillion.buffers - atOneMillion.buffers;
    expect(heapGrowth, `heap grew by ${(heapGrowth / MiB).toFixed(1)} MiB`).toBeLessThan(8 * MiB);
    expect(bufferGrowth, `buffers grew by ${(bufferGrowth / MiB).toFixed(1)} MiB`).toBeLessThan(8 * MiB);

    const check = validateTrace(dir, ["--quiet"]);
    expect(check.ok, check.output).toBe(true);
    let count = 0;
    for (const _event of iterateTraceEvents(dir)) count++;
    expect(count).toBe(writer.eventCount);
    expect(count).toBe(3_000_000 + prologue().length + 1 + epilogue().length);
  });
});
