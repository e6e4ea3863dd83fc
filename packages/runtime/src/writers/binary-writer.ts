import { join } from "node:path";
import type { TraceEvent, TraceWriter, ValueRecord } from "../trace-events.js";
import { CborEncoder } from "./cbor.js";
import { writeStepEvent, writeTraceEvent, writeValueEvent } from "./cbor-events.js";
import { EventsFile, ScratchBuffer } from "./file-output.js";
import { BINARY_TRACE_HEADER, SeekTable } from "./seekable-archive.js";
import { DEFAULT_BATCH_BYTES, resolveBatchBytes } from "./batch-size.js";
import { CompressionThread, type ReadyFrame } from "./compression-thread.js";
import { DEFAULT_COMPRESSION_LEVEL, nativeLibraryPath, zstdCodec, type ZstdCodec } from "./zstd-codec.js";
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
  /**
   * Compress automatic flushes' frames on a worker thread once the trace is large enough
   * (default: the environment variable CTJS_COMPRESSION_THREAD, 1 or 0, else off).
   */
  compressionThread?: boolean;
  /** Content bytes compressed on the program's thread before the worker starts (default 8 MiB). */
  compressionThreadAfterBytes?: number;
}

/**
 * Starting a worker costs a few milliseconds of the program's thread and a few of another core;
 * compressing 8 MiB of trace costs about as much, so smaller traces never start one.
 */
export const DEFAULT_COMPRESSION_THREAD_AFTER_BYTES = 8 * 1024 * 1024;
/** Frames handed to the thread and not yet written, at most (each holds a batch twice). */
const THREAD_SLOTS = 4;
/** Room in a slot past the frame threshold for the event that crosses it. */
const SLOT_MARGIN = 64 * 1024;

/** CTJS_COMPRESSION_THREAD=1|true turns the thread on, 0|false off; unset: off. */
function threadFromEnvironment(): boolean {
  const value = process.env.CTJS_COMPRESSION_THREAD?.trim().toLowerCase();
  if (value === undefined || value === "") return false;
  return value !== "0" && value !== "false";
}

/**
 * Streams events into `trace.bin`: CBOR items buffered in one reusable encoder, and on each flush
 * written as zstd frame(s) where the old seek table began, followed by the new seek table, in one
 * positional write. The file on disk is therefore always a complete, loadable archive.
 *
 * Automatic flushes (a full batch) may hand their frames to a compression thread, which gives
 * them back in order; they are written when done, at a later flush or when the event loop turns.
 * Explicit flushes and close() write everything before returning, so every exit path that closes
 * the writer leaves all events on disk.
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
  /** Encoder offset up to which the batch is already handed to the thread or written. */
  private handedOff = 0;
  /** Decompressed bytes handed off so far. */
  private contentBytes = 0;
  private thread: CompressionThread | undefined;
  /** Whether a thread may still be started (once at most). */
  private threadWanted: boolean;
  private readonly threadAfterBytes: number;
  private readonly slotBytes: number;

  constructor(dir: string, options: BinaryTraceWriterOptions = {}) {
    this.batchBytes = resolveBatchBytes(options.batchBytes);
    this.maxFrameBytes = Math.max(1024, Math.min(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, 0x7fff_0000));
    this.nextCheck = Math.min(this.batchBytes, this.maxFrameBytes);
    this.codec = options.compression === "none" ? undefined : zstdCodec();
    this.level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
    this.threadWanted = options.compressionThread ?? threadFromEnvironment();
    this.threadAfterBytes = options.compressionThreadAfterBytes ?? DEFAULT_COMPRESSION_THREAD_AFTER_BYTES;
    this.slotBytes = Math.min(this.batchBytes, this.maxFrameBytes) + SLOT_MARGIN;
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

  /** Frames handed to the compression thread and not yet written. */
  get framesInThread(): number {
    return this.thread?.pending ?? 0;
  }

  /** Frames written so far that the compression thread compressed. */
  get framesFromThread(): number {
    return this.thread?.framesFromWorker ?? 0;
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
      this.writeBatch(false);
      return;
    }
    // The frame is full but the batch is not: close the frame here, on an event boundary.
    this.frameEnds.push(length);
    this.nextCheck = Math.min(this.batchBytes, length + this.maxFrameBytes);
  }

  /** Writes every event written so far: the file is a complete archive of them when it returns. */
  flush(): void {
    this.writeBatch(true);
  }

  /**
   * Hands the batch's frames on, then resets the batch. `complete`: everything reaches the file
   * now (frames the thread has not begun are compressed here); otherwise frames may go to the
   * compression thread and are written as it finishes them.
   */
  private writeBatch(complete: boolean): void {
    if (!this.output.isOpen) return;
    const length = this.encoder.length;
    if (length > this.handedOff) {
      const ends = this.frameEnds;
      if (ends.length === 0 || ends[ends.length - 1] !== length) ends.push(length);
    } else if (this.thread === undefined || this.thread.pending === 0) {
      return;
    }
    try {
      const thread = complete ? undefined : this.threadFor();
      if (thread) this.handToThread(thread);
      else this.compressAndWrite();
    } catch (error) {
      // the stack ran out (the program recursing to the limit): keep the rest for a later flush
      if (isStackOverflow(error)) throw error;
      this.resetBatch();
      throw error;
    }
    this.resetBatch();
  }

  /** Frames not yet handed off, compressed here and written after every pending one. */
  private compressAndWrite(): void {
    this.writeThreadFrames(true);
    const content = this.encoder.view(0, this.encoder.length);
    const frames: ReadyFrame[] = [];
    let start = this.handedOff;
    for (const end of this.frameEnds) {
      if (end <= start) continue;
      const segment = content.subarray(start, end);
      frames.push({ content: segment, frame: this.compress(segment) });
      start = end;
    }
    this.writeFrames(frames);
    this.contentBytes += this.encoder.length - this.handedOff;
    this.handedOff = this.encoder.length;
  }

  /** Frames queued for the thread one by one (a stack overflow half way loses none). */
  private handToThread(thread: CompressionThread): void {
    const content = this.encoder.view(0, this.encoder.length);
    for (const end of this.frameEnds) {
      const start = this.handedOff;
      if (end <= start) continue;
      const segment = content.subarray(start, end);
      if (thread.full) {
        this.writeThreadFrames(false);
        if (thread.full) this.writeOldestThreadFrame(thread);
      }
      // asked again: waiting for the oldest frame may have retired a stalled worker
      if (thread.accepts(segment.length)) {
        thread.submit(segment);
      } else {
        this.writeThreadFrames(true);
        this.writeFrames([{ content: segment, frame: this.compress(segment) }]);
      }
      this.contentBytes += end - start;
      this.handedOff = end;
    }
    this.writeThreadFrames(false);
  }

  /** Writes the thread's frames that are done (`all`: every pending one, waiting if need be). */
  private writeThreadFrames(all: boolean): void {
    const thread = this.thread;
    if (thread === undefined || thread.pending === 0) return;
    const frames: ReadyFrame[] = [];
    for (;;) {
      const frame = thread.frameAt(frames.length, all);
      if (frame === undefined) break;
      frames.push(frame);
    }
    this.writeReleasing(thread, frames);
  }

  /** Back-pressure: the oldest frame is written, compressed here if the worker has not begun it. */
  private writeOldestThreadFrame(thread: CompressionThread): void {
    const frame = thread.frameAt(0, true);
    if (frame !== undefined) this.writeReleasing(thread, [frame]);
  }

  /** Written or not, the frames are released: a failing disk must not make memory grow. */
  private writeReleasing(thread: CompressionThread, frames: readonly ReadyFrame[]): void {
    if (frames.length === 0) return;
    try {
      this.writeFrames(frames);
    } catch (error) {
      if (isStackOverflow(error)) throw error;
      for (let i = 0; i < frames.length; i++) thread.releaseOldest();
      throw error;
    }
    for (let i = 0; i < frames.length; i++) thread.releaseOldest();
  }

  /** The thread, once the trace is large enough for it to pay (started on first need). */
  private threadFor(): CompressionThread | undefined {
    if (this.thread !== undefined) return this.thread.usable ? this.thread : undefined;
    if (!this.threadWanted || this.codec === undefined || this.contentBytes < this.threadAfterBytes) return undefined;
    this.threadWanted = false;
    const library = nativeLibraryPath();
    if (library === undefined) return undefined;
    this.thread = CompressionThread.start({
      level: this.level,
      library,
      slotBytes: this.slotBytes,
      slots: THREAD_SLOTS,
      compressHere: (content) => this.compress(content),
      onFrameDone: () => {
        if (!this.closed) this.writeThreadFrames(false);
      },
    });
    return this.thread;
  }

  /** Nothing is handed off any more: the batch starts over. */
  private resetBatch(): void {
    this.encoder.reset();
    this.scratch.trim();
    this.frameEnds = [];
    this.handedOff = 0;
    this.nextCheck = Math.min(this.batchBytes, this.maxFrameBytes);
  }

  /** `frames`, then the whole seek table, in one write where the table began. */
  private writeFrames(frames: readonly ReadyFrame[]): void {
    if (frames.length === 0) return;
    let framesSize = 0;
    for (const { content, frame } of frames) framesSize += frame ? frame.length : rawFrameSize(content.length);
    const total = framesSize + this.seekTable.encodedSize(frames.length);
    const out = this.scratch.take(total);
    let p = 0;
    let added = 0;
    try {
      for (const { content, frame } of frames) {
        let frameSize: number;
        if (frame) {
          out.set(frame, p);
          frameSize = frame.length;
        } else {
          frameSize = writeRawFrame(content, out, p);
        }
        this.seekTable.add(frameSize, content.length);
        added++;
        p += frameSize;
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
  private compress(segment: Uint8Array): Buffer | undefined {
    if (this.codec === undefined) return undefined;
    try {
      const frame = this.codec.compress(segment as Buffer, this.level);
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
      this.thread?.retire();
      this.output.close();
    }
  }
}
