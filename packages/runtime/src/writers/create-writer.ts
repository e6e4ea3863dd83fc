import type { TraceWriter } from "../trace-events.js";
import { BinaryTraceWriter, type BinaryTraceWriterOptions } from "./binary-writer.js";
import { JsonTraceWriter } from "./json-writer.js";

export type TraceWriterFormat = "json" | "binary";

/** Options of either writer; the compression options only concern the binary format. */
export interface TraceWriterOptions extends BinaryTraceWriterOptions {
  batchBytes?: number;
}

/**
 * Opens the events file of `format` in the trace directory `dir` (created if missing) and returns
 * its streaming writer. The writer writes only that file; the sidecars are someone else's.
 */
export function createTraceWriter(format: TraceWriterFormat, dir: string, options: TraceWriterOptions = {}): TraceWriter {
  switch (format) {
    case "json":
      return new JsonTraceWriter(dir, { batchBytes: options.batchBytes });
    case "binary":
      return new BinaryTraceWriter(dir, options);
    default:
      throw new RangeError(`unknown trace format ${JSON.stringify(format as unknown)} (expected "json" or "binary")`);
  }
}
