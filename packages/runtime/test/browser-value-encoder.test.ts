/**
 * Browsers have no util.types: the value encoder then recognises built-ins by their prototype
 * chain and an internal-slot check. It must encode exactly what it encodes under Node, run no
 * program code, and not trip over objects that only look like built-ins.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TypeRecord, ValueRecord } from "../src/trace-events.js";
import { TypeTable } from "../src/type-registry.js";
import * as nodeEncoder from "../src/value-encoder.js";

type EncoderModule = typeof nodeEncoder;
let browserEncoder: EncoderModule;

beforeAll(async () => {
  const saved = process.getBuiltinModule;
  vi.resetModules();
  (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
  try {
    browserEncoder = (await import("../src/value-encoder.js")) as EncoderModule;
  } finally {
    process.getBuiltinModule = saved;
  }
});

afterAll(() => vi.resetModules());

function encodeWith(module: EncoderModule, value: unknown): { record: ValueRecord; types: TypeRecord[] } {
  const types: TypeRecord[] = [];
  const encoder = module.createValueEncoder(new TypeTable((type) => types.push(type)));
  return { record: encoder.encode(value), types };
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const VALUES: Array<[string, () => unknown]> = [
  ["Map", () => new Map<unknown, unknown>([[1, "a"], ["k", { v: true }]])],
  ["Set", () => new Set([1, "two"])],
  ["Date", () => new Date(86_400_000)],
  ["RegExp", () => /a+b/giu],
  ["Error", () => new RangeError("out of range")],
  ["Promise", () => Promise.resolve(1)],
  ["WeakMap", () => new WeakMap()],
  ["WeakSet", () => new WeakSet()],
  ["Uint8Array", () => new Uint8Array([1, 2, 3])],
  ["ArrayBuffer", () => new ArrayBuffer(8)],
  ["DataView", () => new DataView(new ArrayBuffer(4))],
  ["boxed number", () => new Number(3)],
  ["boxed string", () => new String("s")],
  ["boxed boolean", () => new Boolean(false)],
  ["boxed bigint", () => Object(5n)],
  ["boxed symbol", () => Object(Symbol("q"))],
  ["plain object", () => ({ a: 1, nested: [1, "x", null] })],
  ["class instance", () => new Point(1, 2)],
  ["Map look-alike", () => Object.create(Map.prototype)],
  ["Date look-alike", () => Object.create(Date.prototype)],
  ["typed array look-alike", () => Object.create(Uint8Array.prototype)],
  ["Number look-alike", () => Object.create(Number.prototype)],
  ["RegExp.prototype", () => RegExp.prototype],
];

describe("value encoder without util.types (the browser)", () => {
  it.each(VALUES)("encodes a %s exactly as under Node", (_what, make) => {
    const value = make();
    expect(encodeWith(browserEncoder, value)).toEqual(encodeWith(nodeEncoder, value));
  });

  it("recognises built-ins without calling a Symbol.hasInstance the program installed", () => {
    let ran = 0;
    const map = new Map([[1, 2]]);
    Object.defineProperty(Map, Symbol.hasInstance, { value: () => (ran++, false), configurable: true });
    let encoded: ReturnType<typeof encodeWith>;
    try {
      encoded = encodeWith(browserEncoder, map);
    } finally {
      delete (Map as { [Symbol.hasInstance]?: unknown })[Symbol.hasInstance];
    }
    // counted before any assertion: the test framework's own equality checks use instanceof
    expect(ran).toBe(0);
    expect(encoded).toEqual(encodeWith(nodeEncoder, map));
    expect(encoded.record).toMatchObject({ kind: "Sequence" });
  });

  it("runs no getter of the objects it encodes", () => {
    let ran = 0;
    const object = Object.defineProperty({ plain: 1 }, "computed", { get: () => ran++, enumerable: true });
    encodeWith(browserEncoder, object);
    encodeWith(browserEncoder, Object.create(Map.prototype, { size: { get: () => ran++ } }));
    expect(ran).toBe(0);
  });
});
