import type { TraceEvent } from "@ctjs/runtime";

/**
 * Checks a decoded batch before it reaches a trace writer: every event must have the shape the
 * writers and the CodeTracer reader expect, and refer only to paths, functions, types and
 * variable names registered earlier in the stream; no Return may close more calls than were
 * opened. A page (or anything else posting to the endpoint) cannot corrupt a trace on disk.
 */

/** Ids registered so far in a trace's event stream, and the calls still open. */
export interface StreamCounts {
  paths: number;
  functions: number;
  types: number;
  variables: number;
  depth: number;
}

export function emptyCounts(): StreamCounts {
  return { paths: 0, functions: 0, types: 0, variables: 0, depth: 0 };
}

export class BatchError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`event ${index}: ${message}`);
    this.name = "BatchError";
  }
}

/** TypeKind numbers run 0 (Seq) to 33 (Slice), EventLogKind numbers 0 to 13. */
const MAX_TYPE_KIND = 33;
const MAX_EVENT_LOG_KIND = 13;
/** The value encoder nests at most 30 levels (two records each); anything deeper is not ours. */
const MAX_VALUE_DEPTH = 128;

type Fields = Record<string, unknown>;

/**
 * Checks `events` as the continuation of a stream described by `before`; returns the counts after
 * the batch. Throws a BatchError naming the first bad event.
 */
export function checkBatch(events: readonly unknown[], before: Readonly<StreamCounts>): StreamCounts {
  const counts = { ...before };
  events.forEach((event, index) => {
    try {
      checkEvent(event, counts);
    } catch (error) {
      throw new BatchError(index, (error as Error).message);
    }
  });
  return counts;
}

function checkEvent(event: unknown, counts: StreamCounts): asserts event is TraceEvent {
  if (!isPlainObject(event)) fail("not an object");
  const keys = Object.keys(event);
  if (keys.length !== 1) fail(`must have exactly one key, has ${keys.length}`);
  const kind = keys[0]!;
  const body = event[kind];
  switch (kind) {
    case "Path":
      text(body, "Path");
      counts.paths++;
      return;
    case "VariableName":
      text(body, "VariableName");
      counts.variables++;
      return;
    case "Function": {
      const f = object(body, "Function");
      id(f.path_id, "path_id", counts.paths);
      natural(f.line, "line");
      text(f.name, "name");
      counts.functions++;
      return;
    }
    case "Type":
      checkType(object(body, "Type"), counts);
      counts.types++;
      return;
    case "Step": {
      const s = object(body, "Step");
      id(s.path_id, "path_id", counts.paths);
      natural(s.line, "line");
      return;
    }
    case "Value":
      checkFullValue(object(body, "Value"), counts);
      return;
    case "Call": {
      const c = object(body, "Call");
      id(c.function_id, "function_id", counts.functions);
      if (!Array.isArray(c.args)) fail("Call.args must be an array");
      for (const arg of c.args) checkFullValue(object(arg, "argument"), counts);
      counts.depth++;
      return;
    }
    case "Return": {
      const r = object(body, "Return");
      checkValue(r.return_value, counts, 0);
      if (counts.depth === 0) fail("Return without an open call");
      counts.depth--;
      return;
    }
    case "Event": {
      const e = object(body, "Event");
      natural(e.kind, "kind", MAX_EVENT_LOG_KIND);
      text(e.metadata, "metadata");
      text(e.content, "content");
      return;
    }
    default:
      fail(`unknown event ${JSON.stringify(kind)}`);
  }
}

function checkType(type: Fields, counts: StreamCounts): void {
  natural(type.kind, "kind", MAX_TYPE_KIND);
  text(type.lang_type, "lang_type");
  const info = object(type.specific_info, "specific_info");
  switch (info.kind) {
    case "None":
      return;
    case "Struct":
      if (!Array.isArray(info.fields)) fail("Struct type fields must be an array");
      for (const field of info.fields) {
        const f = object(field, "field");
        text(f.name, "field name");
        // a struct may refer to itself or to types registered with it, never far ahead
        natural(f.type_id, "field type_id");
      }
      return;
    case "Pointer":
      id(info.dereference_type_id, "dereference_type_id", counts.types + 1);
      return;
    default:
      fail(`unknown specific_info kind ${JSON.stringify(info.kind)}`);
  }
}

function checkFullValue(record: Fields, counts: StreamCounts): void {
  id(record.variable_id, "variable_id", counts.variables);
  checkValue(record.value, counts, 0);
}

function checkValue(value: unknown, counts: StreamCounts, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) fail("value nested too deeply");
  const v = object(value, "value");
  id(v.type_id, "type_id", counts.types);
  switch (v.kind) {
    case "Int":
      if (!(typeof v.i === "bigint" || (typeof v.i === "number" && Number.isInteger(v.i)))) fail("Int.i must be an integer");
      return;
    case "Float":
      text(v.f, "Float.f");
      return;
    case "Bool":
      if (typeof v.b !== "boolean") fail("Bool.b must be a boolean");
      return;
    case "String":
      text(v.text, "String.text");
      return;
    case "Raw":
      text(v.r, "Raw.r");
      return;
    case "Error":
      text(v.msg, "Error.msg");
      return;
    case "None":
      return;
    case "Char":
      text(v.c, "Char.c");
      return;
    case "BigInt":
      text(v.b, "BigInt.b");
      if (typeof v.negative !== "boolean") fail("BigInt.negative must be a boolean");
      return;
    case "Sequence":
    case "Tuple":
      if (v.kind === "Sequence" && typeof v.is_slice !== "boolean") fail("Sequence.is_slice must be a boolean");
      checkValues(v.elements, counts, depth, `${v.kind}.elements`);
      return;
    case "Struct":
      checkValues(v.field_values, counts, depth, "Struct.field_values");
      return;
    case "Variant":
      text(v.discriminator, "Variant.discriminator");
      checkValue(v.contents, counts, depth + 1);
      return;
    case "Reference":
      natural(v.address, "Reference.address", Number.MAX_SAFE_INTEGER);
      if (typeof v.mutable !== "boolean") fail("Reference.mutable must be a boolean");
      checkValue(v.dereferenced, counts, depth + 1);
      return;
    default:
      fail(`unknown value kind ${JSON.stringify(v.kind)}`);
  }
}

function checkValues(values: unknown, counts: StreamCounts, depth: number, what: string): void {
  if (!Array.isArray(values)) fail(`${what} must be an array`);
  for (const element of values) checkValue(element, counts, depth + 1);
}

function isPlainObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function object(value: unknown, what: string): Fields {
  if (!isPlainObject(value)) fail(`${what} must be an object`);
  return value;
}

function text(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string") fail(`${what} must be a string`);
}

function natural(value: unknown, what: string, max = 0xffff_ffff): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) fail(`${what} must be an integer from 0 to ${max}, got ${describe(value)}`);
}

/** An id must refer to something registered before it: 0 ≤ id < registered. */
function id(value: unknown, what: string, registered: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) fail(`${what} must be a non-negative integer, got ${describe(value)}`);
  if (value >= registered) fail(`${what} ${value} refers to nothing registered yet (${registered} so far)`);
}

function describe(value: unknown): string {
  return typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value));
}

function fail(message: string): never {
  throw new Error(message);
}
