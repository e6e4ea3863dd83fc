import {
  apply, arrayBufferByteLength, dateGetTime, getOwn, getProto, is, mapSize, objectKind, OBJECT_KIND, regexpSource, setSize, typedArrayProto, typedArrayTag, unboxed, weakMapGet, weakMapSet,
} from "./builtin-kinds.js";
import { ClassNames } from "./class-names.js";
import { TYPE_KIND, type ValueRecord } from "./trace-events.js";
import type { StructShape, TypeTable } from "./type-registry.js";

/**
 * JS value → CodeTracer ValueRecord, bounded, and without running any user code: no getters,
 * Proxy traps, toString/toJSON/valueOf/Symbol.toPrimitive, and no user iterators. Built-ins are
 * captured when this module loads, so later monkey-patching by the program cannot reach us.
 */
export interface EncoderLimits {
  /** Nesting levels of containers shown (each costs two levels of the reader's ~128). Max 30. */
  maxDepth: number;
  /** Elements or fields shown per container; the rest is summarized by one Raw element. */
  maxItems: number;
  /** Characters of a string kept; longer strings end with "… (N chars)". */
  maxStringLength: number;
  /** Records produced for one value at most. */
  maxTotalNodes: number;
  /**
   * Records produced for all the values of one step (or one call's arguments) together: a step
   * showing many large variables stays cheap. Primitive variables cost nothing against it, so
   * the budget is spent alike whether a step writes every variable or only those that changed.
   */
  maxStepNodes: number;
}

export const DEFAULT_LIMITS: Readonly<EncoderLimits> = Object.freeze({ maxDepth: 4, maxItems: 50, maxStringLength: 1000, maxTotalNodes: 2000, maxStepNodes: 4000 });
const LIMIT_RANGES: Record<keyof EncoderLimits, [number, number]> = {
  maxDepth: [0, 30],
  maxItems: [0, 100_000],
  maxStringLength: [0, 100_000_000],
  maxTotalNodes: [1, 10_000_000],
  maxStepNodes: [0, 100_000_000],
};

export function resolveLimits(limits: Partial<EncoderLimits> = {}): EncoderLimits {
  const resolved = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in LIMIT_RANGES)) throw new RangeError(`unknown value encoder limit ${JSON.stringify(key)}`);
    const [lo, hi] = LIMIT_RANGES[key as keyof EncoderLimits];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
      throw new RangeError(`value encoder limit ${key} must be an integer from ${lo} to ${hi}, got ${String(value)}`);
    }
    resolved[key as keyof EncoderLimits] = value;
  }
  return resolved;
}

// -- intrinsics, captured at load ---------------------------------------------------------------

const ownKeys = Reflect.ownKeys;
const enumerableKeys = Object.keys;
const fnToString = Function.prototype.toString;
const symbolDescription = getOwn(Symbol.prototype, "description")!.get!;
const dateToISO = Date.prototype.toISOString;
const REGEXP_FLAGS: Array<[string, (() => boolean) | undefined]> = [
  ["d", "hasIndices"], ["g", "global"], ["i", "ignoreCase"], ["m", "multiline"], ["s", "dotAll"], ["u", "unicode"], ["v", "unicodeSets"], ["y", "sticky"],
].map(([flag, name]) => [flag!, getOwn(RegExp.prototype, name!)?.get as (() => boolean) | undefined]);
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const mapIteratorNext = getProto(new Map().entries()).next as () => IteratorResult<[unknown, unknown]>;
const setIteratorNext = getProto(new Set().values()).next as () => IteratorResult<unknown>;
const typedArrayLength = getOwn(typedArrayProto, "length")!.get!;


/** An own data property's value; undefined if it is missing or an accessor (never called). */
function ownData(object: object, key: PropertyKey): unknown {
  const d = getOwn(object, key);
  return d !== undefined ? d.value : undefined;
}

/** A data property found on the object or its prototype chain (never a getter). */
function inheritedData(object: object, key: PropertyKey): unknown {
  for (let o: object | null = object, n = 0; o !== null && n < 64; n++) {
    if (is.proxy(o)) return undefined;
    const d = getOwn(o, key);
    if (d !== undefined) return "value" in d ? d.value : undefined;
    o = getProto(o) as object | null;
  }
  return undefined;
}

/** What a function is ("class", "async function", "function*", "function"); it never changes. */
const functionPrefixes = new WeakMap<Function, string>();

function functionPrefix(fn: Function): string {
  let prefix = apply(weakMapGet, functionPrefixes, [fn]) as string | undefined;
  if (prefix === undefined) {
    // the source text is only needed to tell classes apart, and can be long: read it once
    let source = "";
    try {
      source = apply(fnToString, fn, []) as string;
    } catch {
      source = "";
    }
    prefix = source.startsWith("class") ? "class" : is.asyncFunction(fn) ? "async function" : is.generatorFunction(fn) ? "function*" : "function";
    apply(weakMapSet, functionPrefixes, [fn, prefix]);
  }
  return prefix;
}

function functionLabel(fn: Function): { text: string; type: string } {
  const name = ownData(fn, "name");
  const shown = typeof name === "string" && name !== "" ? name : "";
  const prefix = functionPrefix(fn);
  if (prefix === "class") return { text: shown ? `class ${shown}` : "[anonymous class]", type: "class" };
  return { text: shown ? `${prefix} ${shown}` : `[anonymous ${prefix}]`, type: "function" };
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Padded base64, by hand: Buffer.from(array) would call the array's valueOf. */
function base64(bytes: number[]): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1], c = bytes[i + 2];
    out += BASE64[a >> 2]! + BASE64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? "=" : BASE64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? "=" : BASE64[c & 63]!;
  }
  return out;
}

/** Encodes values for one trace; cache the common types so the hot paths allocate one record. */
export class ValueEncoder {
  readonly limits: EncoderLimits;
  private readonly intType: number;
  private readonly floatType: number;
  private readonly stringType: number;
  private readonly boolType: number;
  private readonly undefinedType: number;
  private readonly nullType: number;
  private nodes = 0;
  /** Records the value being encoded may still produce: the smaller of its own and the step's. */
  private budget = 0;
  /** Records the current step (or call) may still produce. */
  private stepRemaining = 0;
  private readonly ancestors: object[] = [];
  private readonly classNames = new ClassNames();

  constructor(private readonly types: TypeTable, limits?: Partial<EncoderLimits>) {
    this.limits = resolveLimits(limits);
    this.intType = types.typeId(TYPE_KIND.Int, "number");
    this.floatType = types.typeId(TYPE_KIND.Float, "number");
    this.stringType = types.typeId(TYPE_KIND.String, "string");
    this.boolType = types.typeId(TYPE_KIND.Bool, "boolean");
    this.undefinedType = types.typeId(TYPE_KIND.None, "undefined");
    this.nullType = types.typeId(TYPE_KIND.None, "null");
  }

  /** One value on its own (a return, a thrown or resumed value): a moment and a step budget of its own. */
  encode(value: unknown): ValueRecord {
    this.startMoment();
    return this.encodeMore(value);
  }

  /**
   * Starts a moment (the values of one step or call, between which no user code runs): class
   * names are read afresh, and the step's record budget is full again.
   */
  startMoment(): void {
    this.classNames.forget();
    this.stepRemaining = this.limits.maxStepNodes;
  }

  /**
   * Encodes another value of the current moment (the last `encode` or `startMoment`): no user
   * code ran in between, so the class names learnt then still hold.
   */
  encodeMore(value: unknown, privateNames?: readonly string[], privateValues?: readonly unknown[]): ValueRecord {
    switch (typeof value) {
      case "number":
        return Number.isSafeInteger(value) && !Object.is(value, -0) ? { kind: "Int", i: value, type_id: this.intType } : this.float(value);
      case "string":
        return this.string(value);
      case "boolean":
        return { kind: "Bool", b: value, type_id: this.boolType };
      case "undefined":
        return { kind: "None", type_id: this.undefinedType };
      case "object":
      case "function":
        if (value !== null) break;
        return { kind: "None", type_id: this.nullType };
      default:
        // bigint, symbol: primitives, never counted against the step's budget
        return this.any(value, 0);
    }
    this.nodes = 0;
    this.budget = Math.min(this.limits.maxTotalNodes, this.stepRemaining);
    this.ancestors.length = 0;
    this.privates = privateNames !== undefined && privateNames.length > 0 ? { object: value, names: privateNames, values: privateValues ?? [] } : undefined;
    try {
      return this.any(value, 0);
    } catch (error) {
      return this.error(`value could not be recorded: ${error instanceof Error ? ownData(error, "message") : "unknown error"}`);
    } finally {
      this.stepRemaining = this.stepRemaining > this.nodes ? this.stepRemaining - this.nodes : 0;
      this.privates = undefined;
    }
  }

  /** Private fields read by instrumented code for the object being encoded (shown as fields named `#x`). */
  private privates: { object: unknown; names: readonly string[]; values: readonly unknown[] } | undefined;

  private float(value: number): ValueRecord {
    const f = Number.isNaN(value) ? "NaN" : value === Infinity ? "Infinity" : value === -Infinity ? "-Infinity" : Object.is(value, -0) ? "-0" : String(value);
    return { kind: "Float", f, type_id: this.floatType };
  }

  private string(value: string): ValueRecord {
    const max = this.limits.maxStringLength;
    const text = value.length > max ? `${value.slice(0, max)}… (${value.length} chars)` : value;
    return { kind: "String", text, type_id: this.stringType };
  }

  private raw(text: string, langType: string): ValueRecord {
    return { kind: "Raw", r: text, type_id: this.types.plainTypeId(TYPE_KIND.Raw, langType) };
  }

  private error(msg: string): ValueRecord {
    return { kind: "Error", msg, type_id: this.types.typeId(TYPE_KIND.Error, "Error") };
  }

  private any(value: unknown, depth: number): ValueRecord {
    this.nodes++;
    switch (typeof value) {
      case "number":
        return Number.isSafeInteger(value) && !Object.is(value, -0) ? { kind: "Int", i: value, type_id: this.intType } : this.float(value);
      case "string":
        return this.string(value);
      case "boolean":
        return { kind: "Bool", b: value, type_id: this.boolType };
      case "undefined":
        return { kind: "None", type_id: this.undefinedType };
      case "bigint":
        return this.bigint(value);
      case "symbol":
        return this.raw(this.symbolText(value), "symbol");
      case "function":
        if (objectKind(value as Function) === OBJECT_KIND.Proxy) return this.raw("Proxy(function)", "Proxy");
        {
          const { text, type } = functionLabel(value as Function);
          return this.raw(text, type);
        }
      default:
        break;
    }
    if (value === null) return { kind: "None", type_id: this.nullType };
    const object = value as object;
    const kind = objectKind(object);
    if (kind === OBJECT_KIND.Proxy) return this.raw("Proxy", "Proxy");
    if (this.ancestors.includes(object)) return this.raw("[Circular]", this.classNames.of(object));
    if (depth >= this.limits.maxDepth || this.nodes >= this.budget) {
      const name = this.classNames.of(object);
      return this.raw(`${name} {…}`, name);
    }
    this.ancestors.push(object);
    try {
      return this.object(object, kind, depth);
    } finally {
      this.ancestors.pop();
    }
  }

  private symbolText(symbol: symbol): string {
    const description = apply(symbolDescription, symbol, []) as string | undefined;
    return description === undefined ? "Symbol()" : `Symbol(${description})`;
  }

  private bigint(value: bigint): ValueRecord {
    const negative = value < 0n;
    let magnitude = negative ? -value : value;
    const bytes: number[] = [];
    do {
      bytes.unshift(Number(magnitude & 0xffn));
      magnitude >>= 8n;
    } while (magnitude > 0n);
    return { kind: "BigInt", b: base64(bytes), negative, type_id: this.types.typeId(TYPE_KIND.Int, "bigint") };
  }

  private object(object: object, kind: number, depth: number): ValueRecord {
    switch (kind) {
      case OBJECT_KIND.Plain:
        return this.struct(object, this.classNames.of(object), depth, false);
      case OBJECT_KIND.Array:
        return this.array(object as unknown[], depth);
      case OBJECT_KIND.TypedArray:
        return this.typedArray(object, depth);
      case OBJECT_KIND.Map:
        return this.map(object as Map<unknown, unknown>, depth);
      case OBJECT_KIND.Set:
        return this.set(object as Set<unknown>, depth);
      case OBJECT_KIND.Date:
        return this.date(object as Date);
      case OBJECT_KIND.RegExp:
        return this.regexp(object as RegExp);
      case OBJECT_KIND.Error:
        return this.errorObject(object, depth);
      case OBJECT_KIND.Promise:
        return this.raw("Promise", "Promise");
      case OBJECT_KIND.WeakMap:
        return this.raw("WeakMap", "WeakMap");
      case OBJECT_KIND.WeakSet:
        return this.raw("WeakSet", "WeakSet");
      case OBJECT_KIND.WeakRef:
        return this.raw("WeakRef", "WeakRef");
      case OBJECT_KIND.ArrayBuffer: {
        const length = safe(() => apply(arrayBufferByteLength, object, []) as number, -1);
        return this.raw(length >= 0 ? `ArrayBuffer(${length})` : "SharedArrayBuffer", this.classNames.of(object));
      }
      case OBJECT_KIND.DataView:
        return this.raw("DataView", "DataView");
      case OBJECT_KIND.Boxed:
        return this.any(unboxed(object), depth);
      case OBJECT_KIND.Namespace:
        return this.struct(object, "Module", depth, true);
      default:
        return this.struct(object, this.classNames.of(object), depth, false);
    }
  }

  private sequence(elements: ValueRecord[], langType: string): ValueRecord {
    return { kind: "Sequence", elements, is_slice: false, type_id: this.types.plainTypeId(TYPE_KIND.Seq, langType) };
  }

  /** The value's record budget is spent: containers stop listing and summarize the rest. */
  private exhausted(): boolean {
    return this.nodes >= this.budget;
  }

  private more(count: number): ValueRecord {
    return this.raw(`… ${count} more`, "more");
  }

  private array(array: unknown[], depth: number): ValueRecord {
    // an array's length is always its own data property (not configurable): reading it runs nothing
    const length = array.length;
    const shown = Math.min(length, this.limits.maxItems);
    const elements: ValueRecord[] = [];
    for (let i = 0; i < shown; i++) {
      if (this.exhausted()) {
        elements.push(this.more(length - i));
        return this.sequence(elements, "Array");
      }
      const d = getOwn(array, i);
      if (d === undefined) elements.push(this.raw("<empty>", "hole"));
      else if ("value" in d) elements.push(this.any(d.value, depth + 1));
      else elements.push(this.raw(accessorText(d), "accessor"));
    }
    if (length > shown) elements.push(this.more(length - shown));
    return this.sequence(elements, "Array");
  }

  private typedArray(view: object, depth: number): ValueRecord {
    const length = apply(typedArrayLength, view, []) as number;
    const tag = (apply(typedArrayTag, view, []) as string | undefined) ?? "TypedArray";
    const shown = Math.min(length, this.limits.maxItems);
    const elements: ValueRecord[] = [];
    const indexed = view as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < shown && !this.exhausted(); i++) elements.push(this.any(indexed[i], depth + 1));
    if (length > shown) elements.push(this.more(length - shown));
    return this.sequence(elements, tag);
  }

  private map(map: Map<unknown, unknown>, depth: number): ValueRecord {
    const size = apply(mapSize, map, []) as number;
    const iterator = apply(mapEntries, map, []) as Iterator<[unknown, unknown]>;
    const elements: ValueRecord[] = [];
    const tupleType = this.types.typeId(TYPE_KIND.Tuple, "entry");
    for (let i = 0; i < Math.min(size, this.limits.maxItems) && !this.exhausted(); i++) {
      const step = apply(mapIteratorNext, iterator, []) as IteratorResult<[unknown, unknown]>;
      if (step.done) break;
      elements.push({ kind: "Tuple", elements: [this.any(step.value[0], depth + 1), this.any(step.value[1], depth + 1)], type_id: tupleType });
    }
    if (size > this.limits.maxItems) elements.push(this.more(size - this.limits.maxItems));
    return this.sequence(elements, "Map");
  }

  private set(set: Set<unknown>, depth: number): ValueRecord {
    const size = apply(setSize, set, []) as number;
    const iterator = apply(setValues, set, []) as Iterator<unknown>;
    const elements: ValueRecord[] = [];
    for (let i = 0; i < Math.min(size, this.limits.maxItems) && !this.exhausted(); i++) {
      const step = apply(setIteratorNext, iterator, []) as IteratorResult<unknown>;
      if (step.done) break;
      elements.push(this.any(step.value, depth + 1));
    }
    if (size > this.limits.maxItems) elements.push(this.more(size - this.limits.maxItems));
    return this.sequence(elements, "Set");
  }

  private date(date: Date): ValueRecord {
    const time = apply(dateGetTime, date, []) as number;
    const text = Number.isNaN(time) ? "Invalid Date" : (apply(dateToISO, date, []) as string);
    return this.raw(text, "Date");
  }

  private regexp(regexp: RegExp): ValueRecord {
    const source = safe(() => apply(regexpSource, regexp, []) as string, "?");
    let flags = "";
    // one try for all flags, no closure per flag: the getters only throw for a non-RegExp, and
    // this one has the RegExp's internal slots
    try {
      for (let i = 0; i < REGEXP_FLAGS.length; i++) {
        const getter = REGEXP_FLAGS[i]![1];
        if (getter && apply(getter, regexp, [])) flags += REGEXP_FLAGS[i]![0];
      }
    } catch {
      flags = "";
    }
    return this.raw(`/${source}/${flags}`, "RegExp");
  }

  private errorObject(error: object, depth: number): ValueRecord {
    const name = inheritedData(error, "name");
    const message = ownData(error, "message");
    const langType = this.classNames.of(error);
    const fieldValues: ValueRecord[] = [this.any(typeof name === "string" ? name : langType, depth + 1), this.any(typeof message === "string" ? message : "", depth + 1)];
    const shape = this.types.structShape(langType).field("name", fieldValues[0]!.type_id).field("message", fieldValues[1]!.type_id);
    return this.structRecord(shape, fieldValues);
  }

  private struct(object: object, langType: string, depth: number, namespace: boolean): ValueRecord {
    let shape = this.types.structShape(langType);
    const values: ValueRecord[] = [];
    let hidden = 0;
    // Object.keys (enumerable string keys, in the same order) is several times faster than
    // Reflect.ownKeys; but it reads each export of a module namespace, which throws in the TDZ
    const keys = namespace ? ownKeys(object) : enumerableKeys(object);
    // index loop: a for-of would call Array.prototype[Symbol.iterator], which the program may patch
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (typeof key !== "string") continue;
      let d: PropertyDescriptor | undefined;
      try {
        d = getOwn(object, key);
      } catch {
        // a module namespace binding still in its temporal dead zone
        if (namespace) d = { value: undefined, enumerable: true, get: undefined };
      }
      if (d === undefined || !d.enumerable) continue;
      if (values.length >= this.limits.maxItems || this.exhausted()) {
        hidden++;
        continue;
      }
      const record = "value" in d ? this.any(d.value, depth + 1) : d.get === undefined && namespace ? this.raw("<uninitialized>", "uninitialized") : this.raw(accessorText(d), "accessor");
      shape = shape.field(key, record.type_id);
      values.push(record);
    }
    const privates = this.privates;
    if (privates !== undefined && privates.object === object && depth === 0) {
      for (let p = 0; p < privates.names.length; p++) {
        if (values.length >= this.limits.maxItems || this.exhausted()) {
          hidden++;
          continue;
        }
        const record = this.any(privates.values[p], depth + 1);
        shape = shape.field(privates.names[p]!, record.type_id);
        values.push(record);
      }
    }
    if (hidden > 0) {
      const record = this.more(hidden);
      shape = shape.field("…", record.type_id);
      values.push(record);
    }
    return this.structRecord(shape, values);
  }

  private structRecord(shape: StructShape, values: ValueRecord[]): ValueRecord {
    return { kind: "Struct", field_values: values, type_id: this.types.structTypeId(shape) };
  }
}

function accessorText(d: PropertyDescriptor): string {
  return d.get && d.set ? "[getter/setter]" : d.get ? "[getter]" : "[setter]";
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

export function createValueEncoder(types: TypeTable, limits?: Partial<EncoderLimits>): ValueEncoder {
  return new ValueEncoder(types, limits);
}
