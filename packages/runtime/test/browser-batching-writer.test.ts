import { describe, expect, it } from "vitest";
import { BatchingTraceWriter } from "../src/browser/batching-writer.js";
import type { TraceEvent } from "../src/trace-events.js";
import { decodeBatch } from "../src/writers/wire.js";

function collector() {
  const sent: Uint8Array[] = [];
  return { sent, send: (batch: Uint8Array) => sent.push(batch), events: () => sent.flatMap((batch) => decodeBatch(batch)) };
}

const steps = (n: number, text = ""): TraceEvent[] =>
  Array.from({ length: n }, (_, i) => (text ? { Event: { kind: 0, metadata: "", content: `${text}${i}` } } : { Step: { path_id: 0, line: i + 1 } }));

describe("browser batching writer", () => {
  it("sends a batch each time enough events have gathered, and the rest on flush", () => {
    const out = collector();
    const writer = new BatchingTraceWriter(out.send, { format: "json", file: "/__ctjs/trace/t/events", maxEvents: 3, flushDelayMs: 60_000 });
    const events = steps(7);
    for (const event of events) writer.write(event);
    expect(out.sent).toHaveLength(2);
    writer.flush();
    expect(out.sent).toHaveLength(3);
    expect(out.events()).toEqual(events);
    expect(writer.eventCount).toBe(7);
    expect(writer.bytesOnDisk).toBe(out.sent.reduce((sum, batch) => sum + batch.byteLength, 0));
    writer.close();
  });

  it("splits a batch whose encoding exceeds the byte limit, keeping the order", () => {
    const out = collector();
    const writer = new BatchingTraceWriter(out.send, { format: "binary", file: "f", maxBytes: 1000, flushDelayMs: 60_000 });
    const events = steps(40, "x".repeat(120));
    for (const event of events) writer.write(event);
    writer.close();
    expect(out.sent.length).toBeGreaterThan(4);
    for (const batch of out.sent) expect(batch.byteLength).toBeLessThanOrEqual(1000);
    expect(out.events()).toEqual(events);
  });

  it("sends an event larger than the limit on its own rather than dropping it", () => {
    const out = collector();
    const writer = new BatchingTraceWriter(out.send, { format: "json", file: "f", maxBytes: 100, flushDelayMs: 60_000 });
    const big = steps(1, "y".repeat(5000));
    writer.write(big[0]!);
    writer.flush();
    expect(out.events()).toEqual(big);
  });

  it("sends a lone event shortly after it was written", async () => {
    const out = collector();
    const writer = new BatchingTraceWriter(out.send, { format: "json", file: "f", flushDelayMs: 5 });
    writer.write({ Path: "/app/main.js" });
    expect(out.sent).toHaveLength(0);
    await expect.poll(() => out.sent.length).toBe(1);
    expect(out.events()).toEqual([{ Path: "/app/main.js" }]);
    writer.close();
  });

  it("encodes and hands over batches inside the unrecorded wrapper", () => {
    const log: string[] = [];
    const writer = new BatchingTraceWriter(() => log.push("send"), {
      format: "json",
      file: "f",
      maxEvents: 2,
      flushDelayMs: 60_000,
      unrecorded: (work) => {
        log.push("pause");
        work();
        log.push("resume");
      },
    });
    writer.write({ Path: "/a.js" });
    writer.write({ Path: "/b.js" });
    writer.write({ Path: "/c.js" });
    writer.close();
    expect(log).toEqual(["pause", "send", "resume", "pause", "send", "resume"]);
  });

  it("refuses events once closed, and cuts batches smaller on request", () => {
    const out = collector();
    const writer = new BatchingTraceWriter(out.send, { format: "json", file: "f", flushDelayMs: 60_000 });
    writer.limitBatchBytes(300);
    for (const event of steps(30, "z".repeat(50))) writer.write(event);
    writer.close();
    for (const batch of out.sent) expect(batch.byteLength).toBeLessThanOrEqual(300);
    expect(() => writer.write({ Path: "/late.js" })).toThrow(/closed/);
    expect(() => new BatchingTraceWriter(out.send, { format: "json", file: "f", maxEvents: 0 })).toThrow(RangeError);
  });
});
