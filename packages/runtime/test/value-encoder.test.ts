import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TypeTable } from "../src/type-registry.js";
import type { TypeRecord, ValueRecord } from "../src/trace-events.js";
import { createValueEncoder, resolveLimits, type EncoderLimits } from "../src/value-encoder.js";

function setup(limits?: Partial<EncoderLimits>) {
  const types: TypeRecord[] = [];
  const table = new TypeTable((t) => types.push(t));
  const encoder = createValueEncoder(table, limits);
  const encode = (v: unknown) => {
    const record = encoder.encode(v);
    checkTypes(record, types);
    return record;
  };
  return { encode, types, lang: (r: ValueRecord) => types[r.type_id]!.lang_type };
}

/** Every type_id in a record points at a registered type. */
function checkTypes(record: ValueRecord, types: TypeRecord[]): void {
  expect(types[record.type_id], `type ${record.type_id}`).toBeDefined();
  const children = "elements" in record ? record.elements : "field_values" in record ? record.field_values : "contents" in record ? [record.contents] : [];
  for (const child of children) checkTypes(child, types);
}

function jsonDepth(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Object.values(value as object);
  return 1 + (children.length ? Math.max(...children.map(jsonDepth)) : 0);
}

describe("primitives", () => {
  it("numbers: safe integers as Int, the rest as Float strings", () => {
    const { encode } = setup();
    expect(encode(42)).toMatchObject({ kind: "Int", i: 42 });
    expect(encode(-7)).toMatchObject({ kind: "Int", i: -7 });
    expect(encode(2.5)).toMatchObject({ kind: "Float", f: "2.5" });
    expect(encode(2 ** 60)).toMatchObject({ kind: "Float" });
    expect(encode(NaN)).toMatchObject({ kind: "Float", f: "NaN" });
    expect(encode(Infinity)).toMatchObject({ kind: "Float", f: "Infinity" });
    expect(encode(-Infinity)).toMatchObject({ kind: "Float", f: "-Infinity" });
    expect(encode(-0)).toMatchObject({ kind: "Float", f: "-0" });
  });

  it("bigint as BigInt: base64 of the big-endian magnitude, with its sign", () => {
    const { encode } = setup();
    expect(encode(0n)).toMatchObject({ kind: "BigInt", b: "AA==", negative: false });
    expect(encode(256n)).toMatchObject({ kind: "BigInt", b: Buffer.from([1, 0]).toString("base64"), negative: false });
    expect(encode(-(2n ** 70n))).toMatchObject({ kind: "BigInt", negative: true });
  });

  it("strings (truncated past the limit, keeping the length), booleans, undefined and null", () => {
    const { encode, lang } = setup({ maxStringLength: 5 });
    expect(encode("hey")).toMatchObject({ kind: "String", text: "hey" });
    expect(encode("abcdefgh")).toMatchObject({ kind: "String", text: "abcde… (8 chars)" });
    expect(encode(true)).toMatchObject({ kind: "Bool", b: true });
    const u = encode(undefined);
    const n = encode(null);
    expect(u.kind).toBe("None");
    expect(n.kind).toBe("None");
    expect(lang(u)).toBe("undefined");
    expect(lang(n)).toBe("null");
    expect(u.type_id).not.toBe(n.type_id);
  });

  it("symbols and functions by name only", () => {
    const { encode } = setup();
    expect(encode(Symbol("tag"))).toMatchObject({ kind: "Raw", r: "Symbol(tag)" });
    function add() {}
    expect(encode(add)).toMatchObject({ kind: "Raw", r: "function add" });
    expect(encode(class Point {})).toMatchObject({ kind: "Raw", r: "class Point" });
    expect(encode(async function load() {})).toMatchObject({ kind: "Raw", r: "async function load" });
    expect(encode(function* gen() {})).toMatchObject({ kind: "Raw", r: "function* gen" });
    expect(encode((() => () => {})())).toMatchObject({ kind: "Raw", r: "[anonymous function]" });
  });
});

describe("containers", () => {
  it("arrays as Sequences with holes shown, and limits on items", () => {
    const { encode } = setup({ maxItems: 3 });
    // eslint-disable-next-line no-sparse-arrays
    const r = encode([1, , "x"]) as Extract<ValueRecord, { kind: "Sequence" }>;
    expect(r.elements.map((e) => e.kind)).toEqual(["Int", "Raw", "String"]);
    expect(r.elements[1]).toMatchObject({ r: "<empty>" });
    const long = encode([1, 2, 3, 4, 5]) as Extract<ValueRecord, { kind: "Sequence" }>;
    expect(long.elements).toHaveLength(4);
    expect(long.elements[3]).toMatchObject({ kind: "Raw", r: "… 2 more" });
  });

  it("typed arrays, Map and Set", () => {
    const { encode, lang } = setup();
    const ta = encode(new Uint8Array([1, 2]));
    expect(lang(ta)).toBe("Uint8Array");
    expect(ta).toMatchObject({ kind: "Sequence", elements: [{ i: 1 }, { i: 2 }] });
    const m = encode(new Map([["a", 1]]));
    expect(lang(m)).toBe("Map");
    expect(m).toMatchObject({ kind: "Sequence", elements: [{ kind: "Tuple", elements: [{ text: "a" }, { i: 1 }] }] });
    expect(encode(new Set([true]))).toMatchObject({ kind: "Sequence", elements: [{ kind: "Bool", b: true }] });
  });

  it("objects and class instances as Structs typed by class name, own enumerable data fields", () => {
    const { encode, lang, types } = setup();
    class Point {
      constructor(public x: number, public y: number) {}
    }
    const p = encode(new Point(1, 2));
    expect(lang(p)).toBe("Point");
    expect(types[p.type_id]!.specific_info).toMatchObject({ kind: "Struct", fields: [{ name: "x" }, { name: "y" }] });
    expect(p).toMatchObject({ kind: "Struct", field_values: [{ i: 1 }, { i: 2 }] });
    expect(lang(encode({ a: 1 }))).toBe("Object");
    expect(lang(encode(Object.create(null)))).toBe("Object (null prototype)");
    const hidden = {};
    Object.defineProperty(hidden, "secret", { value: 1, enumerable: false });
    expect(encode(hidden)).toMatchObject({ kind: "Struct", field_values: [] });
  });

  it("Date, RegExp, Error, Promise, weak collections, boxed primitives, ArrayBuffer", () => {
    const { encode, lang } = setup();
    expect(encode(new Date(0))).toMatchObject({ kind: "Raw", r: "1970-01-01T00:00:00.000Z" });
    expect(encode(new Date(NaN))).toMatchObject({ kind: "Raw", r: "Invalid Date" });
    expect(encode(/a+b/gi)).toMatchObject({ kind: "Raw", r: "/a+b/gi" });
    const e = encode(new RangeError("bad"));
    expect(lang(e)).toBe("RangeError");
    expect(e).toMatchObject({ kind: "Struct", field_values: [{ text: "RangeError" }, { text: "bad" }] });
    expect(encode(Promise.resolve(1))).toMatchObject({ kind: "Raw", r: "Promise" });
    expect(encode(new WeakMap())).toMatchObject({ kind: "Raw", r: "WeakMap" });
    expect(encode(new WeakSet())).toMatchObject({ kind: "Raw", r: "WeakSet" });
    expect(encode(Object(5))).toMatchObject({ kind: "Int", i: 5 });
    expect(encode(Object("s"))).toMatchObject({ kind: "String", text: "s" });
    expect(encode(new ArrayBuffer(8))).toMatchObject({ kind: "Raw", r: "ArrayBuffer(8)" });
  });

  it("module namespace objects as Structs of their exports, TDZ bindings shown as uninitialized", () => {
    // vitest wraps namespaces in proxies: use a real Node ESM namespace in a child process
    const dist = pathToFileURL(path.resolve(__dirname, "../dist")).href;
    const script = `
      import { TypeTable } from "${dist}/type-registry.js";
      import { createValueEncoder } from "${dist}/value-encoder.js";
      const types = [];
      const encoder = createValueEncoder(new TypeTable((t) => types.push(t)));
      const ns = await import("data:text/javascript,export const a = 1; export function f() {}");
      const r = encoder.encode(ns);
      console.log(JSON.stringify({ lang: types[r.type_id].lang_type, fields: types[r.type_id].specific_info.fields.map((f) => f.name), r }));
    `;
    const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.lang).toBe("Module");
    expect(result.fields).toEqual(["a", "f"]);
    expect(result.r.field_values[0]).toMatchObject({ kind: "Int", i: 1 });
  });

  it("cycles end in [Circular]; depth, items and total size are bounded", () => {
    const { encode } = setup({ maxDepth: 30, maxTotalNodes: 100 });
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(JSON.stringify(encode(a))).toContain("[Circular]");
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 200; i++) deep = deep.next = {};
    const r = encode(root);
    expect(jsonDepth(r)).toBeLessThan(128);
    const wide = setup({ maxTotalNodes: 10, maxItems: 1000 }).encode(Array.from({ length: 500 }, (_, i) => ({ i })));
    expect(JSON.stringify(wide).length).toBeLessThan(20_000);
  });

  it("validates its limits, naming the bad one", () => {
    expect(() => resolveLimits({ maxDepth: 31 })).toThrow(/maxDepth .* 31/);
    expect(() => resolveLimits({ maxItems: -1 })).toThrow(/maxItems/);
    expect(() => resolveLimits({ depth: 1 } as never)).toThrow(/"depth"/);
  });
});

describe("never runs user code", () => {
  it("does not fire getters, Proxy traps, toString, toJSON, valueOf, toPrimitive or iterators", () => {
    let calls = 0;
    const spy = () => {
      calls++;
      return 1;
    };
    const { encode } = setup();
    const withGetter = { get g() { return spy(); }, set s(_v: unknown) { spy(); } };
    const handler: ProxyHandler<object> = {};
    for (const trap of ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "apply", "construct", "defineProperty", "set", "deleteProperty", "isExtensible", "preventExtensions", "setPrototypeOf"] as const) {
      (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
        calls++;
        return (Reflect as unknown as Record<string, (...a: unknown[]) => unknown>)[trap]!(...args);
      };
    }
    const tricky = {
      toString: spy, toJSON: spy, valueOf: spy, [Symbol.toPrimitive]: spy, [Symbol.iterator]: spy,
      get [Symbol.toStringTag]() { return String(spy()); },
    };
    class Accessors {
      get computed() { return spy(); }
    }
    const instance = new Accessors();
    Object.defineProperty(instance, "own", { get: spy, enumerable: true });
    const arrayWithGetter: unknown[] = [1];
    Object.defineProperty(arrayWithGetter, 0, { get: spy, enumerable: true });
    const values = [
      withGetter, new Proxy({ a: 1 }, handler), new Proxy([1, 2], handler), new Proxy(function f() {}, handler), tricky, instance, arrayWithGetter,
      { nested: new Proxy({}, handler) }, new Map([[tricky, withGetter]]), new Set([tricky]),
    ];
    for (const v of values) expect(() => encode(v)).not.toThrow();
    expect(JSON.stringify(encode(withGetter))).toContain("[getter]");
    expect(JSON.stringify(encode(new Proxy({}, handler)))).toContain("Proxy");
    expect(calls).toBe(0);
  });

  it("reads Map and Set through intrinsics even when their prototypes are patched", () => {
    const saved = { entries: Map.prototype.entries, values: Set.prototype.values, iter: Map.prototype[Symbol.iterator], size: Object.getOwnPropertyDescriptor(Map.prototype, "size")! };
    let calls = 0;
    const { encode } = setup();
    try {
      Map.prototype.entries = function () { calls++; return saved.entries.call(this); };
      Set.prototype.values = function () { calls++; return saved.values.call(this); };
      Map.prototype[Symbol.iterator] = function () { calls++; return saved.iter.call(this); };
      Object.defineProperty(Map.prototype, "size", { get() { calls++; return 0; }, configurable: true });
      const r = encode(new Map([[1, 2]]));
      expect(r).toMatchObject({ kind: "Sequence", elements: [{ kind: "Tuple" }] });
      encode(new Set([1]));
    } finally {
      Map.prototype.entries = saved.entries;
      Set.prototype.values = saved.values;
      Map.prototype[Symbol.iterator] = saved.iter;
      Object.defineProperty(Map.prototype, "size", saved.size);
    }
    expect(calls).toBe(0);
  });
});

describe("type table", () => {
  it("registers each type once, in order, and tells Struct shapes apart", () => {
    const seen: TypeRecord[] = [];
    const table = new TypeTable((t) => seen.push(t));
    expect(table.typeId(7, "number")).toBe(0);
    expect(table.typeId(7, "number")).toBe(0);
    expect(table.typeId(9, "string")).toBe(1);
    const a = table.typeId(6, "P", { kind: "Struct", fields: [{ name: "x", type_id: 0 }] });
    const b = table.typeId(6, "P", { kind: "Struct", fields: [{ name: "y", type_id: 0 }] });
    expect(a).not.toBe(b);
    expect(seen.map((t) => t.lang_type)).toEqual(["number", "string", "P", "P"]);
  });
});
