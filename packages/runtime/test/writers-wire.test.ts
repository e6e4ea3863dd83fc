import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../src/trace-events.js";
import { decodeBatch, encodeBatch } from "../src/writers/index.js";
import { TYPE, minimalTrace, richBody } from "./helpers/trace-events.js";

describe("msgpack wire batches", () => {
  it("round-trips a batch of every event kind exactly, bigints included", () => {
    const events = minimalTrace(richBody());
    const bytes = encodeBatch(events);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(decodeBatch(bytes)).toEqual(events);
  });

  it("keeps bigint Int values bigints and numbers numbers, at every size", () => {
    const ints: (number | bigint)[] = [
      0, 1, -1, 255, 65536, -65537, 2 ** 31, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER,
      0n, 5n, -5n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 100n, -(2n ** 100n),
    ];
    const events: TraceEvent[] = ints.map((i) => ({ Value: { variable_id: 0, value: { kind: "Int", i, type_id: TYPE.Int } } }));
    const back = decodeBatch(encodeBatch(events));
    const values = back.map((e) => ("Value" in e && e.Value.value.kind === "Int" ? e.Value.value.i : undefined));
    expect(values).toEqual(ints);
    for (let k = 0; k < ints.length; k++) expect(typeof values[k]).toBe(typeof ints[k]);
  });

  it("round-trips strings exactly, and makes lone surrogates U+FFFD as the writers do", () => {
    const texts = ["", "ascii", "ünïcødé", "日本語", "😀 emoji", "x".repeat(70_000), "nul\u0000byte", "a\ud83d\ude00b"];
    const events: TraceEvent[] = texts.map((text) => ({ Value: { variable_id: 0, value: { kind: "String", text, type_id: TYPE.String } } }));
    events.push({ VariableName: "lone\ud800" }, { Event: { kind: 0, metadata: "\udc00", content: `${"y".repeat(100)}\ud800` } });
    const back = decodeBatch(encodeBatch(events));
    expect(back.slice(0, texts.length)).toEqual(events.slice(0, texts.length));
    expect(back.slice(texts.length)).toEqual([
      { VariableName: "lone\ufffd" },
      { Event: { kind: 0, metadata: "\ufffd", content: `${"y".repeat(100)}\ufffd` } },
    ]);
    // The caller's events are left untouched.
    expect(events[texts.length]).toEqual({ VariableName: "lone\ud800" });
  });

  it("decodes every batch on its own, whatever was encoded before", () => {
    const first = encodeBatch(minimalTrace());
    const second = encodeBatch([{ Step: { path_id: 0, line: 9 } }]);
    expect(decodeBatch(second)).toEqual([{ Step: { path_id: 0, line: 9 } }]);
    expect(decodeBatch(first)).toEqual(minimalTrace());
  });

  it("refuses bytes that are not a batch", () => {
    expect(() => decodeBatch(encodeBatch([]).subarray(0, 0))).toThrow();
    expect(() => decodeBatch(Uint8Array.of(0x01))).toThrow(/array/);
  });
});
