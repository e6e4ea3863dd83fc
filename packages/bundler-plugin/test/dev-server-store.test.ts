/**
 * The trace store without HTTP: batches in any order are written once and in sequence; a trace
 * is finalised by its page's end, by the same tab starting again, or by the server closing; and
 * whatever was lost, the finalised trace is balanced and passes the validator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readTraceEvents, type TraceEvent } from "@ctjs/runtime";
import type { StartRequest } from "@ctjs/runtime/dev-protocol";
import { afterAll, describe, expect, it } from "vitest";
import { validateTrace } from "../../../test/helpers/differential.js";
import { HttpError } from "../src/dev-server/http-replies.js";
import { TraceStore } from "../src/dev-server/trace-store.js";
import { sampleBatches, writeAppRoot } from "./dev-server-fixtures.js";

const scratch = mkdtempSync(path.join(tmpdir(), "ctjs-dev-store-"));
const appRoot = path.join(scratch, "app");
const source = writeAppRoot(appRoot);
const batches = sampleBatches(source);
const allEvents = batches.flat();
let stores = 0;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function newStore(): TraceStore {
  return new TraceStore({ traceRoot: path.join(scratch, `traces-${++stores}`), format: "json", sourceRoot: appRoot, endGraceMs: 100 });
}

const request = (client: string): StartRequest => ({ client, program: path.join(appRoot, "index.html"), page: "http://localhost/" });

function expectValid(dir: string): void {
  const validation = validateTrace(dir);
  expect(validation.ok, validation.output).toBe(true);
}

function eventsOf(dir: string): TraceEvent[] {
  return readTraceEvents(dir);
}

function thrownStatus(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
  return undefined;
}

describe("trace store", () => {
  it("writes batches in sequence order, each once, whatever order they arrive in", async () => {
    const store = newStore();
    const { dir } = store.start("shuffled", request("tab-1"));
    expect(store.events("shuffled", 2, batches[2]!)).toBe("held");
    expect(store.events("shuffled", 2, batches[2]!)).toBe("duplicate");
    expect(store.events("shuffled", 0, batches[0]!)).toBe("written");
    expect(store.events("shuffled", 0, batches[0]!)).toBe("duplicate");
    expect(store.events("shuffled", 1, batches[1]!)).toBe("written");
    const result = await store.end("shuffled", 3, "stop");
    expect(result).toMatchObject({ complete: true, endedBy: "stop", events: allEvents.length });
    expect(eventsOf(dir)).toEqual(allEvents);
    expectValid(dir);
  });

  it("finishes when the end (an unload beacon) overtakes the last batches", async () => {
    const store = newStore();
    const { dir } = store.start("overtaken", request("tab-1"));
    store.events("overtaken", 0, batches[0]!);
    const ended = store.end("overtaken", 3, "unload");
    store.events("overtaken", 2, batches[2]!);
    store.events("overtaken", 1, batches[1]!);
    expect(await ended).toMatchObject({ complete: true, endedBy: "unload" });
    expect(eventsOf(dir)).toEqual(allEvents);
  });

  it("takes requests that overtake the start and writes them once it arrives", async () => {
    const store = newStore();
    expect(store.events("early", 1, batches[1]!)).toBe("held");
    expect(await store.end("early", 3, "unload")).toBeUndefined();
    expect(store.events("early", 0, batches[0]!)).toBe("held");
    const { dir } = store.start("early", request("tab-1"));
    store.events("early", 2, batches[2]!);
    expect(store.openTraces).toEqual([]);
    expect(eventsOf(dir)).toEqual(allEvents);
    expectValid(dir);
  });

  it("closes the calls left open when a batch never arrives, after the grace period", async () => {
    const store = newStore();
    const { dir } = store.start("lost-batch", request("tab-1"));
    store.events("lost-batch", 0, batches[0]!);
    store.events("lost-batch", 2, batches[2]!);
    const result = await store.end("lost-batch", 3, "unload");
    expect(result).toMatchObject({ complete: false, endedBy: "unload, batches missing" });
    const events = eventsOf(dir);
    // batch 0 as sent, then the two open calls closed by the server and a note of what happened
    expect(events.slice(0, batches[0]!.length)).toEqual(batches[0]);
    const closing = events.slice(batches[0]!.length);
    expect(closing.filter((e) => "Return" in e)).toHaveLength(2);
    expect(closing.at(-1)).toMatchObject({ Event: { kind: 11, content: expect.stringContaining("open calls were closed by the dev server") } });
    expectValid(dir);
  });

  it("finalises a tab's open recording when the same tab starts another", () => {
    const store = newStore();
    const first = store.start("first", request("tab-1"));
    store.events("first", 0, batches[0]!);
    const other = store.start("other-tab", request("tab-2"));
    store.start("second", request("tab-1"));
    expect(store.openTraces.sort()).toEqual(["other-tab", "second"]);
    expectValid(first.dir);
    expect(eventsOf(first.dir).slice(-1)[0]).toMatchObject({ Event: { content: expect.stringContaining("replaced by a new recording from the same tab") } });
    // the other tab's recording goes on
    expect(store.events("other-tab", 0, batches[0]!)).toBe("written");
    expect(other.dir).toBe(path.join(store.traceRoot, "other-tab"));
  });

  it("answers a resent start from the same tab and refuses the name to another", () => {
    const store = newStore();
    const started = store.start("named", request("tab-1"));
    expect(store.start("named", request("tab-1"))).toEqual(started);
    expect(thrownStatus(() => store.start("named", request("tab-2")))).toBe(409);
  });

  it("finalises every open recording when the server closes", () => {
    const store = newStore();
    const a = store.start("a", request("tab-1"));
    const b = store.start("b", request("tab-2"));
    store.events("a", 0, batches[0]!);
    store.events("a", 1, batches[1]!);
    const results = store.closeAll("the dev server closed");
    expect(results.map((r) => [r.trace, r.complete, r.endedBy])).toEqual([
      ["a", false, "the dev server closed"],
      ["b", false, "the dev server closed"],
    ]);
    expect(store.openTraces).toEqual([]);
    expectValid(a.dir);
    expectValid(b.dir);
    expect(eventsOf(b.dir)).toEqual([]);
    expect(thrownStatus(() => store.events("a", 2, batches[2]!))).toBe(409);
  });

  it("refuses to reuse a directory that already holds files", () => {
    const store = newStore();
    const { dir } = store.start("taken", request("tab-1"));
    store.closeAll("done");
    const fresh = new TraceStore({ traceRoot: path.dirname(dir), format: "json", sourceRoot: appRoot });
    expect(thrownStatus(() => fresh.start("taken", request("tab-1")))).toBe(409);
  });
});
