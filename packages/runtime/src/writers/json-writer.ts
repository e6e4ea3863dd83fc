import { join } from "node:path";
import type { TraceEvent, TraceWriter } from "../trace-events.js";
import { DEFAULT_BATCH_BYTES, resolveBatchBytes } from "./batch-size.js";
import { EventsFile, ScratchBuffer } from "./file-output.js";
import { eventToJson } from "./json-text.js";
import { isStackOverflow } from "@ctjs/monitoring";

export const TRACE_JSON_FILE = "trace.json";

export interface JsonTraceWriterOptions {
  /** Text buffered before an automatic flush, in UTF-16 units (about bytes; default 1 MiB). */
  batchBytes?: number;
}

/** What follows the last event: the file is `[` + events + this, one event per line. */
const CLOSING = "\n]\n";
const CLOSING_BYTES = 3;

/**
 * Streams events into `trace.json` as a JSON array. Events are buffered as text; each flush writes
 * the batch followed by `]` at the position of the previous closing bracket, in one positional
 * write, so after every flush the file is a complete JSON array.
 */
export class JsonTraceWriter implements TraceWriter {
  readonly format = "json" as const;
  readonly file: string;
  private readonly output: EventsFile;
  private readonly scratch: ScratchBuffer;
  private readonly batchBytes: number;
  private batch = "";
  /** File offset of the closing text (after the last written event). */
  private closingPosition: number;
  private events = 0;
  private fileHasEvents = false;
  private diskBytes: number;
  private closed = false;

  constructor(dir: string, options: JsonTraceWriterOptions = {}) {
    this.batchBytes = resolveBatchBytes(options.batchBytes);
    this.scratch = new ScratchBuffer(64 * 1024, Math.max(12 * this.batchBytes, 4 * DEFAULT_BATCH_BYTES));
    this.file = join(dir, TRACE_JSON_FILE);
    this.output = new EventsFile(dir, this.file);
    const start = Buffer.from(`[${CLOSING}`);
    this.output.writeAt(start, start.length, 0);
    this.closingPosition = 1;
    this.diskBytes = start.length;
  }

  get eventCount(): number {
    return this.events;
  }

  get bytesOnDisk(): number {
    return this.diskBytes;
  }

  write(event: TraceEvent): void {
    if (this.closed) throw new Error(`cannot write to ${this.file}: the writer is closed`);
    const text = eventToJson(event);
    // Events are separated by a comma and a line break; the batch's first gets its separator at flush.
    this.batch = this.batch.length === 0 ? text : `${this.batch},\n${text}`;
    this.events++;
    if (this.batch.length >= this.batchBytes) {
      try {
        this.flush();
      } catch (error) {
        // the event is in the batch; a stack overflow only postpones the flush to a later write
        if (!isStackOverflow(error)) throw error;
      }
    }
  }

  flush(): void {
    const batch = this.batch;
    if (batch.length === 0 || !this.output.isOpen) return;
    try {
      const text = (this.fileHasEvents ? ",\n" : "\n") + batch + CLOSING;
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      const out = this.scratch.take(3 * text.length);
      const length = out.write(text, 0, "utf8");
      this.output.writeAt(out, length, this.closingPosition);
      this.closingPosition += length - CLOSING_BYTES;
      this.diskBytes = this.closingPosition + CLOSING_BYTES;
      this.fileHasEvents = true;
      this.batch = "";
    } catch (error) {
      // Written or not, the batch is gone (a failing disk must not make memory grow), unless
      // the stack ran out: then the next write tries again.
      if (!isStackOverflow(error)) this.batch = "";
      throw error;
    } finally {
      this.scratch.trim();
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      this.output.close();
    }
  }
}
