import { join } from "node:path";
import type { TraceEvent, TraceWriter, ValueRecord } from "../trace-events.js";
import { CborEncoder } from "./cbor.js";
import { writeStepEvent, writeTraceEvent, writeValueEvent } from "./cbor-events.js";
import { EventsFile, ScratchBuffer } from "./file-output.js";
import { BINARY_TRACE_HEADER, SeekTable } from "./seekable-archive.js";
import { DEFAULT_BATCH_BYTES, resolveBatchBytes } from "./batch-size.js";
import { DEFAULT_COMPRESSION_LEVEL, zstdCodec, type ZstdCodec } from "./zstd-codec.js";
import { rawFrameSize, writeRawFrame } from "./zstd-frame.js";
import { isStackOverflow } from "@ctjs/monitoring";

export const TRACE_BIN_FILE = "trace.bin";

/** Decompressed bytes per zstd frame at most (a single larger event gets a frame of its own). */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

export interface BinaryTraceWriterOptions {
  /** Encoded bytes buffered before an automatic flush (default 1 MiB). */
  batchBytes?: number;
  /** "auto" (default): zstd compression when the library loads, raw frames otherwise; "none": raw frames. */
  compression?: "auto" | "none";
  /** zstd level when compressing (default 1). */
  compressionLevel?: number;
  /** Decompressed bytes per frame at most (default 4 MiB). */
  maxFrameBytes?: number;
}

/**
 * Streams events into `trace.bin`: CBOR items buffered in one reusable encoder, and on each flush
 * written as zstd frame(s) where the old seek table began, followed by the new seek table, in one
 * positional write. The file on disk is therefore always a complete, loadable archive.
 */
export class BinaryTraceWriter implements TraceWriter {
  readonly format = "binary" as const;
  readonly file: string;
  private readonly output: EventsFile;
  private readonly encoder: CborEncoder;
  private readonly scratch: ScratchBuffer;
  private readonly seekTable = new SeekTable();
  private readonly codec: ZstdCodec | undefined;
  private readonly level: number;
  private readonly batchBytes: number;
  private readonly maxFrameBytes: number;
  /** Offsets in the encoder where frames of the pending batch end (all but the last). */
  private frameEnds: number[] = [];
  /** The encoder length at which `write` must look again (batch full or frame full). */
  private nextCheck: number;
  /** File offset where the seek table starts: everything before it is header and frames. */
  private tablePosition: number;
  private events = 0;
  private diskBytes = 0;
  private closed = false;

  constructor(dir: string, options: BinaryTraceWriterOptions = {}) {
    this.batchBytes = resolveBatchBytes(options.batchBytes);
    this.maxFrameBytes = Math.max(1024, Math.min(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, 0x7fff_0000));
    this.nextCheck = Math.min(this.batchBytes, this.maxFrameBytes);
    this.codec = options.compression === "none" ? undefined : zstdCodec();
    this.level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
    const keep = Math.max(4 * this.batchBytes, 4 * DEFAULT_BATCH_BYTES);
    this.encoder = new CborEncoder(Math.min(this.batchBytes + 64 * 1024, 8 * 1024 * 1024), keep);
    this.scratch = new ScratchBuffer(64 * 1024, keep);
    this.file = join(dir, TRACE_BIN_FILE);
    this.output = new EventsFile(dir, this.file);
    // An empty archive (no frames, empty seek table) is already a valid, empty trace.
    const start = this.scratch.take(BINARY_TRACE_HEADER.length + this.seekTable.encodedSize());
    start.set(BINARY_TRACE_HEADER, 0);
    const end = this.seekTable.writeTo(start, BINARY_TRACE_HEADER.length);
    this.output.writeAt(start, end, 0);
    this.tablePosition = BINARY_TRACE_HEADER.length;
    this.diskBytes = end;
  }

  get eventCount(): number {
    return this.events;
  }

  get bytesOnDisk(): number {
    return this.diskBytes;
  }

  /** Whether frames are zstd-compressed (false: raw-block frames). */
  get compressed(): boolean {
    return this.codec !== undefined;
  }

  write(event: TraceEvent): void {
    if (this.closed) this.refuse();
    const start = this.encoder.length;
    try {
      writeTraceEvent(this.encoder, event);
    } catch (error) {
      // An event that cannot be encoded (a cycle, say) must not leave half an item in the stream.
      this.encoder.length = start;
      throw error;
    }
    this.accepted();
  }

  step(pathId: number, line: number): void {
    if (this.closed) this.refuse();
    // two integers: nothing can fail half way but running out of memory
    writeStepEvent(this.encoder, pathId, line);
    this.accepted();
  }

  value(variableId: number, value: ValueRecord): void {
    if (this.closed) this.refuse();
    const start = this.encoder.length;
    try {
      writeValueEvent(this.encoder, variableId, value);
    } catch (error) {
      // a stack overflow in a nested value must not leave half an item in the stream
      this.encoder.length = start;
      throw error;
    }
    this.accepted();
  }

  private refuse(): never {
    throw new Error(`cannot write to ${this.file}: the writer is closed`);
  }

  /** Counts the event just encoded and flushes or closes a frame when a threshold is reached. */
  private accepted(): void {
    this.events++;
    if (this.encoder.length >= this.nextCheck) {
      try {
        this.afterThreshold();
      } catch (error) {
        // the event is in the batch; a stack overflow only postpones the flush to a later write
        if (!isStackOverflow(error)) throw error;
      }
    }
  }

  private afterThreshold(): void {
    const length = this.encoder.length;
    if (length >= this.batchBytes) {
      this.flush();
      return;
    }
    // The frame is full but the batch is not: close the frame here, on an event boundary.
    this.frameEnds.push(length);
    this.nextCheck = Math.min(this.batchBytes, length + this.maxFrameBytes);
  }

  flush(): void {
    const length = this.encoder.length;
    if (length === 0 || !this.output.isOpen) return;
    const ends = this.frameEnds;
    if (ends.length === 0 || ends[ends.length - 1] !== length) ends.push(length);
    try {
      this.writeFrames(ends);
    } catch (error) {
      // the stack ran out (the program recursing to the limit): keep the batch for a later flush
      if (isStackOverflow(error)) throw error;
      this.resetBatch();
      throw error;
    }
    this.resetBatch();
  }

  /** Written or not, the batch is gone: a failing disk must not make memory grow. */
  private resetBatch(): void {
    this.encoder.reset();
    this.scratch.trim();
    this.frameEnds = [];
    this.nextCheck = Math.min(this.batchBytes, this.maxFrameBytes);
  }

  /** Frames for the batch's segments, then the whole seek table, in one write at the table. */
  private writeFrames(ends: readonly number[]): void {
    const content = this.encoder.view(0, this.encoder.length);
    const compressed: (Buffer | undefined)[] = [];
    let framesSize = 0;
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      const segment = content.subarray(start, end);
      const frame = this.compress(segment);
      compressed.push(frame);
      framesSize += frame ? frame.length : rawFrameSize(segment.length);
      start = end;
    }
    const total = framesSize + this.seekTable.encodedSize(ends.length);
    const out = this.scratch.take(total);
    let p = 0;
    start = 0;
    let added = 0;
    try {
      for (let i = 0; i < ends.length; i++) {
        const end = ends[i]!;
        const frame = compressed[i];
        let frameSize: number;
        if (frame) {
          out.set(frame, p);
          frameSize = frame.length;
        } else {
          frameSize = writeRawFrame(content.subarray(start, end), out, p);
        }
        this.seekTable.add(frameSize, end - start);
        added++;
        p += frameSize;
        start = end;
      }
      p = this.seekTable.writeTo(out, p);
      this.output.writeAt(out, p, this.tablePosition);
    } catch (error) {
      this.seekTable.dropLast(added);
      throw error;
    }
    this.tablePosition += framesSize;
    this.diskBytes = this.tablePosition + this.seekTable.encodedSize();
  }

  /** The compressed frame, or undefined to store `segment` in a raw frame (no codec, no gain). */
  private compress(segment: Buffer): Buffer | undefined {
    if (this.codec === undefined) return undefined;
    try {
      const frame = this.codec.compress(segment, this.level);
      return frame.length < rawFrameSize(segment.length) ? frame : undefined;
    } catch {
      return undefined; // a raw frame holds the same events
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
