import { RecorderError } from "./errors.js";

/** The CodeTracer JSON event array (`trace.json`). */
export const TRACE_JSON = "json";
/** CodeTracer's binary form (`trace.bin`): CBOR events in a seekable zstd archive. */
export const TRACE_BINARY = "binary";
export const DEFAULT_FORMAT = TRACE_BINARY;

export type TraceFormat = typeof TRACE_JSON | typeof TRACE_BINARY;

export const TRACE_FORMATS: readonly TraceFormat[] = [TRACE_JSON, TRACE_BINARY];

const ALIASES: Readonly<Record<string, TraceFormat>> = { json: TRACE_JSON, binary: TRACE_BINARY, bin: TRACE_BINARY };

/** Parses a user-given format name (case-insensitive; `bin` means binary). */
export function parseFormat(input: unknown): TraceFormat {
  if (input === undefined || input === null || input === "") return DEFAULT_FORMAT;
  const format = typeof input === "string" ? ALIASES[input.trim().toLowerCase()] : undefined;
  if (format === undefined) {
    throw new RecorderError(
      "ERR_UNSUPPORTED_FORMAT",
      `unsupported trace format ${JSON.stringify(input)} (expected one of: ${TRACE_FORMATS.join(", ")})`,
    );
  }
  return format;
}
