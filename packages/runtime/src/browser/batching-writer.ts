import type { TraceEvent, TraceWriter } from "../trace-events.js";
// wire.ts directly: writers/index.ts pulls in the node-only file writers
import { encodeBatch } from "../writers/wire.js";
import { warnOnce } from "./diagnostics.js";
import { pageClearTimeout, pageSetTimeout } from "./page.js";

export interface BatchingWriterOptions {
  format: "json" | "binary";
  /** Where the server writes the trace, as far as the page knows (the endpoint URL). */
  file: string;
  /** Events buffered before a batch is sent at once (default 2000). */
  maxEvents?: number;
  /** Encoded bytes a batch may take; larger batches are split (default 256 KiB). */
  maxBytes?: number;
  /** How long the first buffered event may wait before its batch is sent (default 500 ms). */
  flushDelayMs?: number;
  /**
   * Runs the writer's own work (encoding, handing over) with recording paused: code it reaches
   * that happens to be instrumented (a dependency bundled with the app) must not feed events back
   * into the batch being encoded.
   */
  unrecorded?: (work: () => void) => void;
}

export const DEFAULT_BATCH_EVENTS = 2000;
export const DEFAULT_BATCH_BYTES = 256 * 1024;
export const DEFAULT_FLUSH_DELAY_MS = 500;

/**
 * The browser's TraceWriter: no file system, so events are buffered and handed to `send` as
 * msgpack batches, when enough have gathered or shortly after the first one arrived. `write` is on
 * the probes' hot path and only appends; encoding happens at flush. `bytesOnDisk` counts the bytes
 * handed over (the server's file size is not known here).
 */
export class BatchingTraceWriter implements TraceWriter {
  readonly format: "json" | "binary";
  readonly file: string;
  private readonly maxEvents: number;
  private maxBytes: number;
  private readonly flushDelayMs: number;
  private readonly unrecorded: (work: () => void) => void;
  private buffer: TraceEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private events = 0;
  private sentBytes = 0;
  private closed = false;

  constructor(
    private readonly send: (batch: Uint8Array) => void,
    options: BatchingWriterOptions,
  ) {
    this.format = options.format;
    this.file = options.file;
    this.maxEvents = positive(options.maxEvents, DEFAULT_BATCH_EVENTS, "maxEvents");
    this.maxBytes = positive(options.maxBytes, DEFAULT_BATCH_BYTES, "maxBytes");
    this.flushDelayMs = positive(options.flushDelayMs, DEFAULT_FLUSH_DELAY_MS, "flushDelayMs");
    this.unrecorded = options.unrecorded ?? ((work) => work());
  }

  get eventCount(): number {
    return this.events;
  }

  get bytesOnDisk(): number {
    return this.sentBytes;
  }

  write(event: TraceEvent): void {
    if (this.closed) throw new Error(`cannot write to ${this.file}: the writer is closed`);
    this.buffer.push(event);
    this.events++;
    if (this.buffer.length >= this.maxEvents) this.flush();
    else if (this.timer === undefined) this.timer = pageSetTimeout(() => this.flush(), this.flushDelayMs);
  }

  flush(): void {
    if (this.timer !== undefined) {
      pageClearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.unrecorded(() => this.emit(batch));
  }

  /** Smaller batches from now on (the page is unloading and keepalive bodies are capped). */
  limitBatchBytes(maxBytes: number): void {
    this.maxBytes = Math.min(this.maxBytes, positive(maxBytes, this.maxBytes, "maxBytes"));
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }

  /** Encodes and sends `batch`, halving it until each part fits `maxBytes` (one event always goes). */
  private emit(batch: TraceEvent[]): void {
    let bytes: Uint8Array;
    try {
      bytes = encodeBatch(batch);
    } catch (error) {
      warnOnce("encode", `could not encode a batch of ${batch.length} events (${String(error)}); they are missing from the trace`);
      return;
    }
    if (bytes.byteLength > this.maxBytes && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      this.emit(batch.slice(0, half));
      this.emit(batch.slice(half));
      return;
    }
    this.sentBytes += bytes.byteLength;
    this.send(bytes);
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 1) throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  return Math.floor(value);
}
