import { closeSync, openSync, readSync } from "node:fs";
import type { TraceEvent } from "../trace-events.js";
import { parseJsonExact } from "./json-exact.js";

/**
 * Reads trace.json element by element without holding the whole file: a byte scanner finds where
 * each top-level array element ends (tracking nesting and strings), and the element alone is
 * parsed. JSON.parse does the parsing unless the element holds a run of 16 or more digits, which
 * may be an integer beyond the safe range; those go to the exact parser, which returns bigints.
 */

const CHUNK_BYTES = 1024 * 1024;
/** Safe integers have at most 16 digits; anything that long may need a bigint. */
const LONG_DIGIT_RUN = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Scanner phases: before the opening `[`; between elements (whitespace, then an element or the
 * closing `]`); inside an element; after the closing `]`. */
const Phase = { Start: 0, Between: 1, Element: 2, Done: 3 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

export class JsonTraceError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "JsonTraceError";
  }
}

export function* iterateJsonEvents(file: string): Generator<TraceEvent> {
  const fd = openSync(file, "r");
  try {
    let phase: Phase = Phase.Start;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let digitRun = 0;
    let longNumber = false;
    /** Parts of the current element read in earlier chunks. */
    let pending: Buffer[] = [];
    let fileOffset = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const length = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (length === 0) break;
      let elementStart = phase === Phase.Element ? 0 : -1;
      for (let i = 0; i < length && phase !== Phase.Done; i++) {
        const c = chunk[i]!;
        if (phase === Phase.Element) {
          if (inString) {
            if (escaped) escaped = false;
            else if (c === BACKSLASH) escaped = true;
            else if (c === QUOTE) inString = false;
            continue;
          }
          if (c >= 0x30 && c <= 0x39) {
            if (++digitRun >= LONG_DIGIT_RUN) longNumber = true;
            continue;
          }
          digitRun = 0;
          if (c === QUOTE) inString = true;
          else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
          else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) depth--;
          else if (depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
            pending.push(chunk.subarray(elementStart, i));
            yield parseElement(pending, longNumber, file, fileOffset + i);
            pending = [];
            longNumber = false;
            phase = c === COMMA ? Phase.Between : Phase.Done;
          }
          continue;
        }
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
        if (phase === Phase.Start) {
          if (c !== OPEN_BRACKET) throw new JsonTraceError(file, `expected a JSON array, found ${JSON.stringify(String.fromCharCode(c))} at byte ${fileOffset + i}`);
          phase = Phase.Between;
        } else if (c === CLOSE_BRACKET) {
          phase = Phase.Done; // an empty array, or a trailing comma before `]`
        } else {
          phase = Phase.Element;
          elementStart = i;
          depth = 0;
          digitRun = 0;
          i--; // scan this byte as the element's first
        }
      }
      if (phase === Phase.Done) return;
      if (phase === Phase.Element) pending.push(chunk.subarray(elementStart, length));
      fileOffset += length;
    }
    throw new JsonTraceError(file, "the JSON array is not closed (the file is truncated)");
  } finally {
    closeSync(fd);
  }
}

function parseElement(parts: Buffer[], longNumber: boolean, file: string, endOffset: number): TraceEvent {
  const text = parts.length === 1 ? parts[0]!.toString("utf8") : Buffer.concat(parts).toString("utf8");
  try {
    return (longNumber ? parseJsonExact(text) : JSON.parse(text)) as TraceEvent;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new JsonTraceError(file, `the element ending at byte ${endOffset} is not valid JSON: ${why}`);
  }
}
