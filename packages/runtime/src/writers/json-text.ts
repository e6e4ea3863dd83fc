import type { TraceEvent } from "../trace-events.js";
import { toWellFormedString } from "./well-formed.js";

/**
 * One trace event as JSON text. JSON.stringify handles almost every event and is fast; two things
 * send an event down a slower exact path: a bigint (JSON.stringify throws, a trace wants a plain
 * JSON integer) and a lone surrogate (JSON.stringify writes it as a `\udXXX` escape, which the
 * CodeTracer reader rejects; it must become U+FFFD).
 */
export function eventToJson(event: TraceEvent): string {
  let text: string;
  try {
    text = JSON.stringify(event);
  } catch {
    return valueToJson(event);
  }
  // Well-formed JSON.stringify escapes lone surrogates as lowercase `\ud800`..`\udfff`, and writes
  // valid pairs as the characters themselves, so any lone surrogate shows up as this substring.
  // A literal backslash followed by "ud" also matches; it only costs the exact path.
  return text.includes("\\ud") ? valueToJson(event) : text;
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
      const toJson = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJson === "function") return valueToJson(toJson.call(value));
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (const item of value) items.push(isOmitted(item) ? "null" : valueToJson(item));
        return `[${items.join(",")}]`;
      }
      const entries: string[] = [];
      for (const key of Object.keys(value)) {
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
