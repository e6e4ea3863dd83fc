/**
 * What kind of built-in an object is, told from its internal slots without running user code
 * (Node's util.types; in browsers, captured accessors that need the slot). An object's slots never
 * change, so its kind is looked up once and kept in a WeakMap: a plain object would otherwise pay
 * some twenty native checks every time it is recorded, at every step that shows it.
 */

// captured before the program can patch them; the value encoder uses them too
export const getOwn = Object.getOwnPropertyDescriptor;
export const getProto = Object.getPrototypeOf;
export const apply = Reflect.apply;
const isArray = Array.isArray;
export const dateGetTime = Date.prototype.getTime;
export const regexpSource = getOwn(RegExp.prototype, "source")!.get!;
export const mapSize = getOwn(Map.prototype, "size")!.get!;
export const setSize = getOwn(Set.prototype, "size")!.get!;
export const typedArrayProto = getProto(Uint8Array.prototype) as object;
export const typedArrayTag = getOwn(typedArrayProto, Symbol.toStringTag)!.get!;
export const arrayBufferByteLength = getOwn(ArrayBuffer.prototype, "byteLength")!.get!;
const numberValueOf = Number.prototype.valueOf;
const stringValueOf = String.prototype.valueOf;
const booleanValueOf = Boolean.prototype.valueOf;
const bigintValueOf = BigInt.prototype.valueOf;
const symbolValueOf = Symbol.prototype.valueOf;
const weakRefDeref = typeof WeakRef === "function" ? WeakRef.prototype.deref : undefined;
export const weakMapGet = WeakMap.prototype.get;
export const weakMapSet = WeakMap.prototype.set;

interface UtilTypes {
  isProxy(v: unknown): boolean;
  isMap(v: unknown): boolean;
  isSet(v: unknown): boolean;
  isDate(v: unknown): boolean;
  isRegExp(v: unknown): boolean;
  isNativeError(v: unknown): boolean;
  isPromise(v: unknown): boolean;
  isWeakMap(v: unknown): boolean;
  isWeakSet(v: unknown): boolean;
  isTypedArray(v: unknown): boolean;
  isArrayBuffer(v: unknown): boolean;
  isSharedArrayBuffer(v: unknown): boolean;
  isDataView(v: unknown): boolean;
  isModuleNamespaceObject(v: unknown): boolean;
  isNumberObject(v: unknown): boolean;
  isStringObject(v: unknown): boolean;
  isBooleanObject(v: unknown): boolean;
  isBigIntObject(v: unknown): boolean;
  isSymbolObject(v: unknown): boolean;
  isAsyncFunction(v: unknown): boolean;
  isGeneratorFunction(v: unknown): boolean;
}

/** Node's util.types reads internal slots without running user code; browsers have no such API. */
const utilTypes: UtilTypes | undefined = (() => {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return (p?.getBuiltinModule?.("node:util") as { types?: UtilTypes } | undefined)?.types;
  } catch {
    return undefined;
  }
})();

const never = () => false;

/**
 * Without util.types (browsers), a built-in is recognised by its prototype chain, walked with the
 * captured isPrototypeOf (no user `Symbol.hasInstance` runs), and confirmed by calling a captured
 * accessor that needs the built-in's internal slot: it throws for look-alikes such as
 * `Object.create(Map.prototype)`, so the encoder never calls Map methods on a plain object. Only
 * objects whose chain matches reach the check, so ordinary objects cost no exception.
 */
const isPrototypeOf = Object.prototype.isPrototypeOf;
function builtin(prototype: object | undefined, slotAccessor?: (...args: never[]) => unknown, ...args: unknown[]): (v: unknown) => boolean {
  if (prototype === undefined) return never;
  return (v) => {
    if (!apply(isPrototypeOf, prototype, [v])) return false;
    if (slotAccessor === undefined) return true;
    try {
      apply(slotAccessor, v, args);
      return true;
    } catch {
      return false;
    }
  };
}
const dataViewBuffer = getOwn(DataView.prototype, "buffer")!.get!;
const sharedBufferByteLength = typeof SharedArrayBuffer === "function" ? getOwn(SharedArrayBuffer.prototype, "byteLength")?.get : undefined;
const errorIsError = (Error as { isError?: (v: unknown) => boolean }).isError;
const fallback = {
  map: builtin(Map.prototype, mapSize),
  set: builtin(Set.prototype, setSize),
  date: builtin(Date.prototype, dateGetTime),
  regexp: builtin(RegExp.prototype, regexpSource),
  error: errorIsError ?? builtin(Error.prototype),
  promise: builtin(Promise.prototype),
  weakMap: builtin(WeakMap.prototype, WeakMap.prototype.has, {}),
  weakSet: builtin(WeakSet.prototype, WeakSet.prototype.has, {}),
  typedArray: (v: unknown) => builtin(typedArrayProto)(v) && apply(typedArrayTag, v, []) !== undefined,
  arrayBuffer: (v: unknown) =>
    builtin(ArrayBuffer.prototype, arrayBufferByteLength)(v) ||
    (sharedBufferByteLength !== undefined && builtin(SharedArrayBuffer.prototype, sharedBufferByteLength)(v)),
  dataView: builtin(DataView.prototype, dataViewBuffer),
  numberObject: builtin(Number.prototype, numberValueOf),
  stringObject: builtin(String.prototype, stringValueOf),
  booleanObject: builtin(Boolean.prototype, booleanValueOf),
  bigIntObject: builtin(BigInt.prototype, bigintValueOf),
  symbolObject: builtin(Symbol.prototype, symbolValueOf),
};

/** Tests that read no internal slot beyond the ones their names say; browsers lack some. */
export const is = {
  proxy: utilTypes?.isProxy ?? never,
  asyncFunction: utilTypes?.isAsyncFunction ?? never,
  generatorFunction: utilTypes?.isGeneratorFunction ?? never,
  numberObject: utilTypes?.isNumberObject ?? fallback.numberObject,
  stringObject: utilTypes?.isStringObject ?? fallback.stringObject,
  booleanObject: utilTypes?.isBooleanObject ?? fallback.booleanObject,
  bigIntObject: utilTypes?.isBigIntObject ?? fallback.bigIntObject,
  symbolObject: utilTypes?.isSymbolObject ?? fallback.symbolObject,
};

/** A WeakRef, by its slot: `deref` throws for anything else (only tried on WeakRef.prototype heirs). */
const isWeakRef = weakRefDeref === undefined ? never : builtin(WeakRef.prototype, weakRefDeref);

export const OBJECT_KIND = Object.freeze({
  Plain: 0, Proxy: 1, Array: 2, TypedArray: 3, Map: 4, Set: 5, Date: 6, RegExp: 7, Error: 8, Promise: 9,
  WeakMap: 10, WeakSet: 11, WeakRef: 12, ArrayBuffer: 13, DataView: 14, Boxed: 15, Namespace: 16,
} as const);
export type ObjectKind = (typeof OBJECT_KIND)[keyof typeof OBJECT_KIND];

/** The first test that holds names an object's kind; none: Plain. */
const KIND_TESTS: ReadonlyArray<readonly [ObjectKind, (v: unknown) => boolean]> = [
  [OBJECT_KIND.Proxy, is.proxy],
  [OBJECT_KIND.Array, isArray],
  [OBJECT_KIND.TypedArray, utilTypes?.isTypedArray ?? fallback.typedArray],
  [OBJECT_KIND.Map, utilTypes?.isMap ?? fallback.map],
  [OBJECT_KIND.Set, utilTypes?.isSet ?? fallback.set],
  [OBJECT_KIND.Date, utilTypes?.isDate ?? fallback.date],
  [OBJECT_KIND.RegExp, utilTypes?.isRegExp ?? fallback.regexp],
  [OBJECT_KIND.Error, utilTypes?.isNativeError ?? fallback.error],
  [OBJECT_KIND.Promise, utilTypes?.isPromise ?? fallback.promise],
  [OBJECT_KIND.WeakMap, utilTypes?.isWeakMap ?? fallback.weakMap],
  [OBJECT_KIND.WeakSet, utilTypes?.isWeakSet ?? fallback.weakSet],
  [OBJECT_KIND.WeakRef, isWeakRef],
  [OBJECT_KIND.ArrayBuffer, (v) => (utilTypes ? utilTypes.isArrayBuffer(v) || utilTypes.isSharedArrayBuffer(v) : fallback.arrayBuffer(v))],
  [OBJECT_KIND.DataView, utilTypes?.isDataView ?? fallback.dataView],
  [OBJECT_KIND.Boxed, (v) => is.numberObject(v) || is.stringObject(v) || is.booleanObject(v) || is.bigIntObject(v) || is.symbolObject(v)],
  [OBJECT_KIND.Namespace, utilTypes?.isModuleNamespaceObject ?? never],
];

function classify(object: object): ObjectKind {
  for (let i = 0; i < KIND_TESTS.length; i++) {
    // index access, no destructuring: that would call the (patchable) array iterator
    const entry = KIND_TESTS[i]!;
    if (entry[1](object)) return entry[0];
  }
  return OBJECT_KIND.Plain;
}

/** The primitive inside a Number, String, Boolean, BigInt or Symbol object (kind Boxed). */
export function unboxed(object: object): unknown {
  if (is.numberObject(object)) return apply(numberValueOf, object, []);
  if (is.stringObject(object)) return apply(stringValueOf, object, []);
  if (is.booleanObject(object)) return apply(booleanValueOf, object, []);
  if (is.bigIntObject(object)) return apply(bigintValueOf, object, []);
  return apply(symbolValueOf, object, []);
}

/** Kinds of the objects seen so far; entries go with their objects, so memory follows the program's. */
const kinds = new WeakMap<object, ObjectKind>();

/** The kind of built-in `object` is (Plain for ordinary objects and class instances). */
export function objectKind(object: object): ObjectKind {
  let kind = apply(weakMapGet, kinds, [object]) as ObjectKind | undefined;
  if (kind === undefined) {
    kind = classify(object);
    apply(weakMapSet, kinds, [object, kind]);
  }
  return kind;
}
