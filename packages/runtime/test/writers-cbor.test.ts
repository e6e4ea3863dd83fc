import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../src/trace-events.js";
import { decodeCborSequence } from "../src/trace-reader/index.js";
import { CborEncoder, writeTraceEvent } from "../src/writers/index.js";
import { encodeSequence } from "../src/writers/cbor.js";
import { EncodedById } from "../src/writers/encoded-by-id.js";
import { minimalTrace, richBody } from "./helpers/trace-events.js";

function hex(write: (encoder: CborEncoder) => void, initialCapacity?: number): string {
  const encoder = new CborEncoder(initialCapacity);
  write(encoder);
  return Buffer.from(encoder.toBytes()).toString("hex");
}

const value = (v: unknown): string => hex((e) => e.writeValue(v));

describe("CBOR integers", () => {
  it.each([
    [0, "00"],
    [23, "17"],
    [24, "1818"],
    [255, "18ff"],
    [256, "190100"],
    [65535, "19ffff"],
    [65536, "1a00010000"],
    [4294967295, "1affffffff"],
    [4294967296, "1b0000000100000000"],
    [Number.MAX_SAFE_INTEGER, "1b001fffffffffffff"],
    [2 ** 60, "1b1000000000000000"],
    [-1, "20"],
    [-24, "37"],
    [-25, "3818"],
    [-256, "38ff"],
    [-257, "390100"],
    [-4294967296, "3affffffff"],
    [-4294967297, "3b0000000100000000"],
    [-Number.MAX_SAFE_INTEGER, "3b001ffffffffffffe"],
    [-(2 ** 53), "3b001fffffffffffff"],
    [-(2 ** 63), "3b7fffffffffffffff"],
  ])("number %d", (n, expected) => {
    expect(value(n)).toBe(expected);
    expect(decodeCborSequence(Buffer.from(expected, "hex"))).toEqual([Number.isSafeInteger(n) ? n : BigInt(n)]);
  });

  it.each([
    [0n, "00"],
    [23n, "17"],
    [-1n, "20"],
    [4294967295n, "1affffffff"],
    [4294967296n, "1b0000000100000000"],
    [9223372036854775807n, "1b7fffffffffffffff"],
    [-9223372036854775808n, "3b7fffffffffffffff"],
    [18446744073709551615n, "1bffffffffffffffff"],
    [-18446744073709551616n, "3bffffffffffffffff"],
  ])("bigint %s", (n, expected) => {
    expect(value(n)).toBe(expected);
    const back = decodeCborSequence(Buffer.from(expected, "hex"))[0];
    expect(BigInt(back as number | bigint)).toBe(n);
    expect(typeof back).toBe(Number.isSafeInteger(Number(n)) ? "number" : "bigint");
  });

  it("writes integers beyond 64 bits, and non-integers, as text (never a CBOR float)", () => {
    expect(decodeCborSequence(hexBytes(value(2n ** 64n)))).toEqual(["18446744073709551616"]);
    expect(decodeCborSequence(hexBytes(value(-(2n ** 64n) - 1n)))).toEqual(["-18446744073709551617"]);
    expect(value(1.5)).toBe(Buffer.from([0x63, ...Buffer.from("1.5")]).toString("hex"));
    expect(decodeCborSequence(hexBytes(value(NaN)))).toEqual(["NaN"]);
    expect(decodeCborSequence(hexBytes(value(-Infinity)))).toEqual(["-Infinity"]);
  });
});

function hexBytes(h: string): Buffer {
  return Buffer.from(h, "hex");
}

describe("CBOR text", () => {
  it.each([
    ["", "60"],
    ["a", "6161"],
    ["é", "62c3a9"],
    ["😀", "64f09f9880"],
    ["日本", "66e697a5e69cac"],
  ])("%j", (s, expected) => {
    expect(value(s)).toBe(expected);
  });

  it("picks the shortest head at every length boundary, ASCII or not", () => {
    for (const length of [0, 1, 23, 24, 25, 63, 64, 65, 255, 256, 257, 65535, 65536, 70000]) {
      for (const unit of ["a", "é", "日", "😀"]) {
        const s = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        const bytes = Buffer.from(s, "utf8");
        const encoded = hexBytes(value(s));
        const n = bytes.length;
        const headLength = n < 24 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5;
        expect(encoded.length).toBe(headLength + n);
        expect(encoded[0]! >> 5).toBe(3);
        expect(encoded.subarray(headLength).equals(bytes)).toBe(true);
        expect(decodeCborSequence(encoded)).toEqual([Buffer.from(s, "utf8").toString("utf8")]);
      }
    }
  });

  it("shrinks the reserved head when UTF-8 is shorter than the worst case", () => {
    // 8 × "é": 3 × 8 = 24 reserves a 2-byte head, but the 16 UTF-8 bytes take a 1-byte head.
    expect(value("é".repeat(8))).toBe(`70${"c3a9".repeat(8)}`);
  });

  it("replaces lone surrogates with U+FFFD, short and long strings alike", () => {
    expect(value("\ud800")).toBe("63efbfbd");
    expect(value("a\udc00")).toBe("6461efbfbd");
    expect(value("\ud83d\ude00\ud83d")).toBe("67f09f9880efbfbd");
    const long = `${"x".repeat(100)}\udfff${"y".repeat(100)}\ud800`;
    expect(decodeCborSequence(hexBytes(value(long)))).toEqual([`${"x".repeat(100)}\ufffd${"y".repeat(100)}\ufffd`]);
  });

  it("encodes short mixed text by hand exactly as Buffer's UTF-8 encoder does", () => {
    const units = ["a", "\u007f", "\u0080", "é", "\u07ff", "\u0800", "日", "\uffff", "😀", "\ud800", "\udfff", "…"];
    let seed = 11;
    for (let round = 0; round < 3000; round++) {
      let s = "";
      const length = round % 70;
      while (s.length < length) s += units[(seed = (seed * 16807) % 2147483647) % units.length];
      const bytes = Buffer.from(s, "utf8");
      const head = bytes.length < 24 ? Buffer.from([0x60 | bytes.length]) : Buffer.from([0x78, bytes.length]);
      if (bytes.length < 256) expect(value(s), JSON.stringify(s)).toBe(Buffer.concat([head, bytes]).toString("hex"));
    }
  });

  it("encodes long strings from a tiny initial buffer", () => {
    const s = "long text ".repeat(50_000);
    const encoded = hexBytes(hex((e) => e.writeText(s), 1));
    expect(encoded.subarray(0, 5).toString("hex")).toBe("7a0007a120");
    expect(decodeCborSequence(encoded)).toEqual([s]);
  });
});

describe("CBOR structures", () => {
  it("encodes maps with text keys, skipping undefined entries like JSON.stringify", () => {
    expect(value({ a: 1, b: undefined, c: [true, false, null], d: () => 0 })).toBe("a2616101616383f5f4f6");
    expect(decodeCborSequence(hexBytes(value({ __proto__x: 1, nested: { deep: [[]] } })))).toEqual([
      { __proto__x: 1, nested: { deep: [[]] } },
    ]);
  });

  it("decodes a __proto__ key as an own property, not a prototype", () => {
    const [decoded] = decodeCborSequence(hexBytes("a1695f5f70726f746f5f5f01")) as [Record<string, unknown>];
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(["__proto__"]);
  });

  it("writes the fast-path events as the generic encoder would (containers may order their keys as the reader's structs do)", () => {
    const events: TraceEvent[] = minimalTrace(richBody());
    for (const event of events) {
      const fast = hex((e) => writeTraceEvent(e, event), 16);
      const generic = hex((e) => e.writeValue(event), 16);
      const label = JSON.stringify(event, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)).slice(0, 200);
      expect(decodeCborSequence(Buffer.from(fast, "hex")), label).toEqual(decodeCborSequence(Buffer.from(generic, "hex")));
      // records built as the value encoder builds them (kind first, type_id last) come out byte for byte
      if (!/"(Struct|Sequence)"/.test(label)) expect(fast, label).toBe(generic);
    }
  });

  it("encodes a Step as a one-entry map with integer fields", () => {
    // {"Step": {"path_id": 0, "line": 300}}
    const expected = Buffer.concat([
      Buffer.from([0xa1, 0x64]),
      Buffer.from("Step"),
      Buffer.from([0xa2, 0x67]),
      Buffer.from("path_id"),
      Buffer.from([0x00, 0x64]),
      Buffer.from("line"),
      Buffer.from([0x19, 0x01, 0x2c]),
    ]);
    expect(hex((e) => writeTraceEvent(e, { Step: { path_id: 0, line: 300 } }))).toBe(expected.toString("hex"));
  });

  it("keeps many events back to back and decodes them as a sequence", () => {
    const encoder = new CborEncoder(64);
    const events = minimalTrace(richBody());
    for (const event of events) writeTraceEvent(encoder, event);
    const decoded = decodeCborSequence(encoder.toBytes());
    expect(decoded).toHaveLength(events.length);
    expect(decoded[0]).toEqual({ Path: "/tmp/ctjs-test/main.js" });
  });

  it("releases an oversized buffer on reset, keeping memory bounded", () => {
    const encoder = new CborEncoder(1024, 4096);
    encoder.writeText("z".repeat(100_000));
    expect(encoder.bytes.length).toBeGreaterThan(100_000);
    encoder.reset();
    expect(encoder.length).toBe(0);
    expect(encoder.bytes.length).toBe(1024);
  });
});

describe("CBOR decoder", () => {
  it("reads floats, tags, byte strings and indefinite lengths that other writers may produce", () => {
    expect(decodeCborSequence(hexBytes("f93e00"))).toEqual([1.5]);
    expect(decodeCborSequence(hexBytes("fa47c35000"))).toEqual([100000]);
    expect(decodeCborSequence(hexBytes("fb3ff199999999999a"))).toEqual([1.1]);
    expect(decodeCborSequence(hexBytes("c11a514b67b0"))).toEqual([1363896240]);
    expect(decodeCborSequence(hexBytes("4401020304"))).toEqual([Uint8Array.of(1, 2, 3, 4)]);
    expect(decodeCborSequence(hexBytes("7f657374726561646d696e67ff"))).toEqual(["streaming"]);
    expect(decodeCborSequence(hexBytes("9f018202039f0405ffff"))).toEqual([[1, [2, 3], [4, 5]]]);
    expect(decodeCborSequence(hexBytes("bf6346756ef563416d7421ff"))).toEqual([{ Fun: true, Amt: -2 }]);
  });

  it("rejects malformed input with a clear error", () => {
    expect(() => decodeCborSequence(hexBytes("1c"))).toThrow(/reserved additional information/);
    expect(() => decodeCborSequence(hexBytes("ff"))).toThrow(/break/);
    expect(() => decodeCborSequence(hexBytes("6361"))).toThrow(/truncated/);
  });
});

describe("bytes cached per id", () => {
  it("are the bytes of prefix, id and suffix encoded afresh, for cached and uncached ids alike", () => {
    const prefix = encodeSequence((e) => e.writeText("head"));
    const suffix = encodeSequence((e) => e.writeText("tail"));
    const cached = new EncodedById(prefix, suffix);
    for (const id of [0, 23, 24, 255, 256, 4095, 4096, 70_000, 2 ** 40, -1, 1.5, 24, 0, 4095]) {
      const expected = hex((e) => {
        e.writeEncoded(prefix);
        e.writeNumber(id);
        e.writeEncoded(suffix);
      });
      expect(hex((e) => cached.write(e, id)), String(id)).toBe(expected);
    }
  });

  it("give Step, Call, Value and type_id entries that decode to the events, ids of every head size", () => {
    for (const id of [0, 23, 24, 300, 5000, 70_000]) {
      const events: TraceEvent[] = [
        { Step: { path_id: id, line: id + 1 } },
        { Call: { function_id: id, args: [{ variable_id: id, value: { kind: "None", type_id: id } }] } },
        { Value: { variable_id: id, value: { kind: "Int", i: id, type_id: id } } },
      ];
      for (const event of events) {
        expect(decodeCborSequence(Buffer.from(hex((e) => writeTraceEvent(e, event)), "hex"))).toEqual([event]);
      }
    }
  });
});
