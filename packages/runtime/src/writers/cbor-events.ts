import type { FullValueRecord, TraceEvent, ValueRecord } from "../trace-events.js";
import { CborEncoder, encodeSequence } from "./cbor.js";
import { EncodedById } from "./encoded-by-id.js";

/**
 * Trace events as CBOR items, shaped exactly like the JSON events: a one-entry map
 * {event name: payload}. The frequent events (Step, Value, Call, Return) and the common value kinds
 * are written from constant prefixes encoded once; everything else goes through the generic
 * encoder, whose map keys are cached.
 */

const STEP_PREFIX = encodeSequence((e) => {
  e.writeMapHead(1);
  e.writeText("Step");
  e.writeMapHead(2);
  e.writeText("path_id");
});
const LINE_KEY = encodeSequence((e) => e.writeText("line"));

/** `{Value: {variable_id: ` */
const VALUE_EVENT_PREFIX = encodeSequence((e) => {
  e.writeMapHead(1);
  e.writeText("Value");
  e.writeMapHead(2);
  e.writeText("variable_id");
});
const CALL_PREFIX = encodeSequence((e) => {
  e.writeMapHead(1);
  e.writeText("Call");
  e.writeMapHead(2);
  e.writeText("function_id");
});
const ARGS_KEY = encodeSequence((e) => e.writeText("args"));
const RETURN_PREFIX = encodeSequence((e) => {
  e.writeMapHead(1);
  e.writeText("Return");
  e.writeMapHead(1);
  e.writeText("return_value");
});

/** {variable_id: <int>, value: <ValueRecord>}: map head and first key, then the key "value". */
const FULL_VALUE_PREFIX = encodeSequence((e) => {
  e.writeMapHead(2);
  e.writeText("variable_id");
});
const VALUE_KEY = encodeSequence((e) => e.writeText("value"));

const TYPE_ID_KEY = encodeSequence((e) => e.writeText("type_id"));

/** `{kind: K, <field>: ...` for the three-entry records (kind, one field, type_id). */
function recordPrefix(kind: string, field: string): Uint8Array {
  return encodeSequence((e) => {
    e.writeMapHead(3);
    e.writeText("kind");
    e.writeText(kind);
    e.writeText(field);
  });
}
const INT_PREFIX = recordPrefix("Int", "i");
const RAW_PREFIX = recordPrefix("Raw", "r");
const ERROR_PREFIX = recordPrefix("Error", "msg");
const STRUCT_PREFIX = recordPrefix("Struct", "field_values");
const TUPLE_PREFIX = recordPrefix("Tuple", "elements");
/** Sequences have a fourth entry, is_slice. */
const SEQUENCE_PREFIX = encodeSequence((e) => {
  e.writeMapHead(4);
  e.writeText("kind");
  e.writeText("Sequence");
  e.writeText("elements");
});
const IS_SLICE_KEY = encodeSequence((e) => e.writeText("is_slice"));
const FLOAT_PREFIX = recordPrefix("Float", "f");
const BOOL_PREFIX = recordPrefix("Bool", "b");
const STRING_PREFIX = recordPrefix("String", "text");
const NONE_PREFIX = encodeSequence((e) => {
  e.writeMapHead(2);
  e.writeText("kind");
  e.writeText("None");
});

/** `{Step: {path_id: <id>, line: ` */
const STEP_HEAD = new EncodedById(STEP_PREFIX, LINE_KEY);
/** `{Call: {function_id: <id>, args: ` */
const CALL_HEAD = new EncodedById(CALL_PREFIX, ARGS_KEY);
/** `{Value: {variable_id: <id>, value: ` */
const VALUE_EVENT_HEAD = new EncodedById(VALUE_EVENT_PREFIX, VALUE_KEY);
/** `{variable_id: <id>, value: ` (a call's argument) */
const FULL_VALUE_HEAD = new EncodedById(FULL_VALUE_PREFIX, VALUE_KEY);
/** `"type_id": <id>`, the last entry of every record. */
const TYPE_ID_ENTRY = new EncodedById(TYPE_ID_KEY);

/** The payload fields the fast paths read; other events are encoded generically. */
interface EventFields {
  Step?: { path_id: number; line: number };
  Value?: FullValueRecord;
  Call?: { function_id: number; args: FullValueRecord[] };
  Return?: { return_value: ValueRecord };
}

/** Appends one event to `encoder`. */
export function writeTraceEvent(encoder: CborEncoder, event: TraceEvent): void {
  const fields = event as EventFields;
  const step = fields.Step;
  if (step !== undefined) {
    writeStepEvent(encoder, step.path_id, step.line);
    return;
  }
  const value = fields.Value;
  if (value !== undefined) {
    writeValueEvent(encoder, value.variable_id, value.value);
    return;
  }
  const call = fields.Call;
  if (call !== undefined) {
    CALL_HEAD.write(encoder, call.function_id);
    const args = call.args;
    encoder.writeArrayHead(args.length);
    for (let i = 0; i < args.length; i++) writeFullValue(encoder, args[i]!);
    return;
  }
  const ret = fields.Return;
  if (ret !== undefined) {
    encoder.writeEncoded(RETURN_PREFIX);
    writeValueRecord(encoder, ret.return_value);
    return;
  }
  writeGenericEvent(encoder, event);
}

/** `{Step: {path_id, line}}`. */
export function writeStepEvent(encoder: CborEncoder, pathId: number, line: number): void {
  STEP_HEAD.write(encoder, pathId);
  encoder.writeNumber(line);
}

/** `{Value: {variable_id, value}}`. */
export function writeValueEvent(encoder: CborEncoder, variableId: number, value: ValueRecord): void {
  VALUE_EVENT_HEAD.write(encoder, variableId);
  writeValueRecord(encoder, value);
}

function writeGenericEvent(encoder: CborEncoder, event: TraceEvent): void {
  const record = event as unknown as Record<string, unknown>;
  for (const name in record) {
    encoder.writeMapHead(1);
    encoder.writeKey(name);
    encoder.writeValue(record[name]);
    return;
  }
  throw new TypeError("a trace event must be an object with one key, the event name");
}

function writeFullValue(encoder: CborEncoder, full: FullValueRecord): void {
  FULL_VALUE_HEAD.write(encoder, full.variable_id);
  writeValueRecord(encoder, full.value);
}

/** A ValueRecord; the scalar kinds from prefixes, the compound ones generically. */
export function writeValueRecord(encoder: CborEncoder, record: ValueRecord): void {
  switch (record.kind) {
    case "Int":
      encoder.writeEncoded(INT_PREFIX);
      if (typeof record.i === "bigint") encoder.writeBigInt(record.i);
      else encoder.writeNumber(record.i);
      break;
    case "String":
      encoder.writeEncoded(STRING_PREFIX);
      encoder.writeValue(record.text);
      break;
    case "Float":
      encoder.writeEncoded(FLOAT_PREFIX);
      encoder.writeValue(record.f);
      break;
    case "Bool":
      encoder.writeEncoded(BOOL_PREFIX);
      encoder.writeBoolean(record.b);
      break;
    case "None":
      encoder.writeEncoded(NONE_PREFIX);
      break;
    // the containers most values are made of, with their elements on the fast paths too
    case "Struct":
      encoder.writeEncoded(STRUCT_PREFIX);
      writeValueRecords(encoder, record.field_values);
      break;
    case "Sequence":
      encoder.writeEncoded(SEQUENCE_PREFIX);
      writeValueRecords(encoder, record.elements);
      encoder.writeEncoded(IS_SLICE_KEY);
      encoder.writeBoolean(record.is_slice);
      break;
    case "Raw":
      encoder.writeEncoded(RAW_PREFIX);
      encoder.writeText(record.r);
      break;
    case "Error":
      encoder.writeEncoded(ERROR_PREFIX);
      encoder.writeText(record.msg);
      break;
    case "Tuple":
      encoder.writeEncoded(TUPLE_PREFIX);
      writeValueRecords(encoder, record.elements);
      break;
    default:
      encoder.writeValue(record);
      return;
  }
  TYPE_ID_ENTRY.write(encoder, record.type_id);
}

function writeValueRecords(encoder: CborEncoder, records: readonly ValueRecord[]): void {
  encoder.writeArrayHead(records.length);
  for (let i = 0; i < records.length; i++) writeValueRecord(encoder, records[i]!);
}
