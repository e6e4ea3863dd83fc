import type { FullValueRecord, TraceEvent, ValueRecord } from "../trace-events.js";
import { toWellFormedString } from "./well-formed.js";

/**
 * One trace event as JSON text.
 *
 * The frequent events (Step, Value, Call, Return with the scalar value kinds) are assembled from
 * templates, several times faster than JSON.stringify. Everything else goes through JSON.stringify,
 * except when one of two things sends it down a slower exact path: a bigint (JSON.stringify throws,
 * a trace wants a plain JSON integer) or a lone surrogate (JSON.stringify writes it as a `\udXXX`
 * escape, which the CodeTracer reader rejects; it must become U+FFFD).
 */

/** The payload fields the templates read. */
interface EventFields {
  Step?: { path_id: number; line: number };
  Value?: FullValueRecord;
  Call?: { function_id: number; args: FullValueRecord[] };
  Return?: { return_value: ValueRecord };
}

export function eventToJson(event: TraceEvent): string {
  const fields = event as EventFields;
  const step = fields.Step;
  if (step !== undefined) return `{"Step":{"path_id":${integer(step.path_id)},"line":${integer(step.line)}}}`;
  const value = fields.Value;
  if (value !== undefined) return `{"Value":${fullValueJson(value)}}`;
  const call = fields.Call;
  if (call !== undefined) {
    const args = call.args;
    let list = "";
    for (let i = 0; i < args.length; i++) list += i === 0 ? fullValueJson(args[i]!) : `,${fullValueJson(args[i]!)}`;
    return `{"Call":{"function_id":${integer(call.function_id)},"args":[${list}]}}`;
  }
  const ret = fields.Return;
  if (ret !== undefined) return `{"Return":{"return_value":${valueRecordJson(ret.return_value)}}}`;
  return genericJson(event);
}

function fullValueJson(full: FullValueRecord): string {
  return `{"variable_id":${integer(full.variable_id)},"value":${valueRecordJson(full.value)}}`;
}

/** A ValueRecord; the scalar kinds from templates, the compound ones generically. */
export function valueRecordJson(record: ValueRecord): string {
  switch (record.kind) {
    case "Int":
      return `{"kind":"Int","i":${integer(record.i)},"type_id":${integer(record.type_id)}}`;
    case "String":
      return `{"kind":"String","text":${text(record.text)},"type_id":${integer(record.type_id)}}`;
    case "Float":
      return `{"kind":"Float","f":${text(record.f)},"type_id":${integer(record.type_id)}}`;
    case "Bool":
      return `{"kind":"Bool","b":${record.b === true},"type_id":${integer(record.type_id)}}`;
    case "None":
      return `{"kind":"None","type_id":${integer(record.type_id)}}`;
    default:
      return genericJson(record);
  }
}

/** An integer field: numbers as JSON.stringify writes them, bigints as their digits. */
function integer(n: number | bigint): string {
  if (typeof n === "number") return Number.isFinite(n) ? `${n}` : "null";
  if (typeof n === "bigint") return n.toString();
  return valueToJson(n);
}

/** A string field (anything else through the exact path), its lone surrogates replaced. */
function text(s: string): string {
  if (typeof s !== "string") return valueToJson(s);
  const quoted = JSON.stringify(s);
  return quoted.includes("\\ud") ? JSON.stringify(toWellFormedString(s)) : quoted;
}

/** Any JSON-like value: JSON.stringify, or the exact path when it cannot be trusted. */
function genericJson(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return valueToJson(value);
  }
  // Well-formed JSON.stringify escapes lone surrogates as lowercase `\ud800`..`\udfff`, and writes
  // valid pairs as the characters themselves, so any lone surrogate shows up as this substring.
  // A literal backslash followed by "ud" also matches; it only costs the exact path.
  return json.includes("\\ud") ? valueToJson(value) : json;
}

/** JSON text of a JSON-like value: bigints as integers, strings made well formed. */
export function valueToJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(toWellFormedString(value));
    case "number":
      return JSON.stringify(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      // index loops, own keys only, no toJSON: the program may have patched Array.prototype's
      // iterator or Object.prototype, and the recorder must never call into the program
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          items.push(isOmitted(item) ? "null" : valueToJson(item));
        }
        return `[${items.join(",")}]`;
      }
      const entries: string[] = [];
      const keys = Object.keys(value);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        const item = (value as Record<string, unknown>)[key];
        if (isOmitted(item)) continue;
        entries.push(`${JSON.stringify(toWellFormedString(key))}:${valueToJson(item)}`);
      }
      return `{${entries.join(",")}}`;
    }
    default:
      return "null";
  }
}

/** Values JSON.stringify leaves out of objects (and writes as null in arrays). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}
