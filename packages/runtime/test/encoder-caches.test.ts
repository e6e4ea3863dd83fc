import { describe, expect, it } from "vitest";
import { objectKind, OBJECT_KIND } from "../src/builtin-kinds.js";
import { ClassNames } from "../src/class-names.js";
import { TYPE_KIND, type FieldType, type TypeRecord, type ValueRecord } from "../src/trace-events.js";
import { TypeTable } from "../src/type-registry.js";
import { createValueEncoder } from "../src/value-encoder.js";

/** The struct type identity before the shape trie: one key string per field list. */
function referenceKey(langType: string, fields: FieldType[]): string {
  let key = `${TYPE_KIND.Struct}:${langType}{`;
  for (const field of fields) key += `${field.name.length}:${field.name}=${field.type_id};`;
  return key;
}

describe("struct type ids from the shape trie", () => {
  it("match the ids that one key string per field list gave, in registration order", () => {
    const table = new TypeTable(() => {});
    const reference = new Map<string, number>();
    let referenceCount = 0;
    const names = ["a", "b", "a:1=2;", "1", "", "…", "b=3"];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 2000; round++) {
      const langType = ["P", "Q", "P{"][random(3)]!;
      const fields: FieldType[] = [];
      for (let i = random(5); i > 0; i--) fields.push({ name: names[random(names.length)]!, type_id: random(4) });
      // plain types interleave with struct types, as in a recording
      if (random(4) === 0) {
        const id = table.plainTypeId(TYPE_KIND.Raw, `raw${random(3)}`);
        const key = `raw:${id}`;
        if (!reference.has(key)) reference.set(key, referenceCount++);
        continue;
      }
      const key = referenceKey(langType, fields);
      let expected = reference.get(key);
      if (expected === undefined) reference.set(key, (expected = referenceCount++));
      let shape = table.structShape(langType);
      for (const field of fields) shape = shape.field(field.name, field.type_id);
      expect(table.structTypeId(shape)).toBe(expected);
      expect(table.typeId(TYPE_KIND.Struct, langType, { kind: "Struct", fields })).toBe(expected);
    }
    expect(table.size).toBe(referenceCount);
  });

  it("register each struct type once, with its fields in order", () => {
    const seen: TypeRecord[] = [];
    const table = new TypeTable((t) => seen.push(t));
    const ab = table.structTypeId(table.structShape("P").field("a", 0).field("b", 1));
    const a = table.structTypeId(table.structShape("P").field("a", 0));
    const aOther = table.structTypeId(table.structShape("P").field("a", 2));
    expect(new Set([ab, a, aOther]).size).toBe(3);
    expect(table.structTypeId(table.structShape("P").field("a", 0).field("b", 1))).toBe(ab);
    expect(seen.map((t) => t.specific_info)).toEqual([
      { kind: "Struct", fields: [{ name: "a", type_id: 0 }, { name: "b", type_id: 1 }] },
      { kind: "Struct", fields: [{ name: "a", type_id: 0 }] },
      { kind: "Struct", fields: [{ name: "a", type_id: 2 }] },
    ]);
  });
});

describe("object kinds, kept per object", () => {
  it("come from internal slots: look-alikes are plain, a re-parented built-in stays what it is", () => {
    const lookAlike = Object.create(Map.prototype) as object;
    expect(objectKind(lookAlike)).toBe(OBJECT_KIND.Plain);
    const map = new Map([[1, 2]]);
    expect(objectKind(map)).toBe(OBJECT_KIND.Map);
    Object.setPrototypeOf(map, Object.prototype);
    expect(objectKind(map)).toBe(OBJECT_KIND.Map);
    expect(objectKind(new WeakRef({}))).toBe(OBJECT_KIND.WeakRef);
    expect(objectKind(Object.create(WeakRef.prototype) as object)).toBe(OBJECT_KIND.Plain);
    expect(objectKind(new Proxy({}, {}))).toBe(OBJECT_KIND.Proxy);
    expect(objectKind(Object(1n) as object)).toBe(OBJECT_KIND.Boxed);
    expect(objectKind([])).toBe(OBJECT_KIND.Array);
  });

  it("a re-parented Map is still recorded as a Map, twice alike", () => {
    const types: TypeRecord[] = [];
    const encoder = createValueEncoder(new TypeTable((t) => types.push(t)));
    const map = new Map([["k", 1]]);
    const before = encoder.encode(map);
    Object.setPrototypeOf(map, null);
    expect(encoder.encode(map)).toEqual(before);
    expect(before).toMatchObject({ kind: "Sequence" });
  });
});

describe("names that can change are read at every encoding", () => {
  function setup() {
    const types: TypeRecord[] = [];
    const encoder = createValueEncoder(new TypeTable((t) => types.push(t)));
    return { encode: (v: unknown) => encoder.encode(v), lang: (r: ValueRecord) => types[r.type_id]!.lang_type };
  }

  it("a class instance's type follows its prototype's constructor and that constructor's name", () => {
    const { encode, lang } = setup();
    class Point {
      x = 1;
    }
    const p = new Point();
    expect(lang(encode(p))).toBe("Point");
    Object.defineProperty(Point, "name", { value: "Renamed" });
    expect(lang(encode(p))).toBe("Renamed");
    class Other {}
    Object.defineProperty(Point.prototype, "constructor", { value: Other });
    expect(lang(encode(p))).toBe("Other");
    Object.defineProperty(Point.prototype, "constructor", { get: () => Point });
    expect(lang(encode(p))).toBe("Object");
  });

  it("a function's label follows its name; what kind of function it is stays", () => {
    const { encode } = setup();
    const f = async function first() {};
    expect(encode(f)).toMatchObject({ kind: "Raw", r: "async function first" });
    Object.defineProperty(f, "name", { value: "second" });
    expect(encode(f)).toMatchObject({ kind: "Raw", r: "async function second" });
    class C {}
    expect(encode(C)).toMatchObject({ kind: "Raw", r: "class C" });
    Object.defineProperty(C, "name", { value: "" });
    expect(encode(C)).toMatchObject({ kind: "Raw", r: "[anonymous class]" });
  });
});

describe("class names remembered per prototype for one moment", () => {
  it("are read again after forget(), so a changed constructor or name shows", () => {
    const names = new ClassNames();
    class A {}
    class B {}
    const a = new A();
    expect(names.of(a)).toBe("A");
    Object.defineProperty(A.prototype, "constructor", { value: B });
    // same moment: by contract nothing changed, the name is remembered
    expect(names.of(a)).toBe("A");
    names.forget();
    expect(names.of(a)).toBe("B");
    Object.defineProperty(B, "name", { value: "Bee" });
    names.forget();
    expect(names.of(a)).toBe("Bee");
    expect(names.of(Object.create(null) as object)).toBe("Object (null prototype)");
    expect(names.of(Object.create(new Proxy({}, {})) as object)).toBe("Object");
  });

  it("each encode() starts a new moment; encodeMore() continues the last one", () => {
    const types: TypeRecord[] = [];
    const encoder = createValueEncoder(new TypeTable((t) => types.push(t)));
    const lang = (r: ValueRecord) => types[r.type_id]!.lang_type;
    class Point {
      x = 1;
    }
    const p = new Point();
    expect(lang(encoder.encode(p))).toBe("Point");
    Object.defineProperty(Point, "name", { value: "Moved" });
    expect(lang(encoder.encodeMore(p))).toBe("Point");
    expect(lang(encoder.encode(p))).toBe("Moved");
  });
});

describe("struct fields", () => {
  it("are the own enumerable string keys in property order, accessors shown but never called", () => {
    const types: TypeRecord[] = [];
    const encoder = createValueEncoder(new TypeTable((t) => types.push(t)));
    let getterCalls = 0;
    const object: Record<string | symbol, unknown> = { b: 1, 2: "two", a: 2, 1: "one" };
    object[Symbol("s")] = 3;
    Object.defineProperty(object, "hidden", { value: 4, enumerable: false });
    Object.defineProperty(object, "lazy", { enumerable: true, get: () => ++getterCalls });
    object.last = 5;
    const record = encoder.encode(object);
    const info = types[record.type_id]!.specific_info as { fields: FieldType[] };
    expect(info.fields.map((f) => f.name)).toEqual(Reflect.ownKeys(object).filter((k) => typeof k === "string" && Object.getOwnPropertyDescriptor(object, k)!.enumerable));
    expect(info.fields.map((f) => f.name)).toEqual(["1", "2", "b", "a", "lazy", "last"]);
    expect(record).toMatchObject({ kind: "Struct", field_values: [{ text: "one" }, { text: "two" }, { i: 1 }, { i: 2 }, { kind: "Raw", r: "[getter]" }, { i: 5 }] });
    expect(getterCalls).toBe(0);
  });
});
