import type { Worker } from "node:worker_threads";
import {
  COMPRESSION_WORKER_SOURCE,
  CONTROL,
  SLOT_BUSY,
  SLOT_DONE,
  SLOT_FIELDS,
  SLOT_FREE,
  SLOT_INPUT_LENGTH,
  SLOT_OUTPUT_LENGTH,
  SLOT_QUEUED,
  SLOT_STATE,
  SLOT_TAKEN,
  WORKER_FAILED,
  type CompressionWorkerData,
} from "./compression-worker-source.js";

/** One frame of the archive, ready to be written. */
export interface ReadyFrame {
  /** The frame's decompressed content. */
  content: Uint8Array;
  /** The compressed frame, or undefined to store `content` in a raw frame. */
  frame: Uint8Array | undefined;
}

export interface CompressionThreadOptions {
  level: number;
  /** Absolute path of the native zstd library (the worker loads it itself). */
  library: string;
  /** Largest frame content a slot holds; larger ones are the caller's to compress. */
  slotBytes: number;
  /** Frames queued or compressed but not yet released, at most. */
  slots: number;
  /** Compresses on the calling thread (undefined: store raw): frames taken back from the worker. */
  compressHere(content: Uint8Array): Uint8Array | undefined;
  /** Called from the event loop when the worker has finished a frame. */
  onFrameDone(): void;
  /** How long to wait for a frame the worker began before giving up on it (default 10 s). */
  stalledAfterMs?: number;
}

/**
 * Waiting for a frame the worker has begun is cut off after this long: a worker that stops
 * (killed by an embedder, out of memory) must not hang the program, least of all at exit.
 */
export const STALLED_WORKER_MS = 10_000;

/**
 * A worker thread compressing frames for one writer. Frames go through a fixed ring of slots in
 * shared memory, each ticket in slot ticket % slots, taken back in ticket order; the main thread
 * keeps writing the file, so what is on disk never depends on the worker.
 *
 * Memory is bounded by the slots: when all are taken, the caller writes the oldest frame first,
 * compressing it itself if the worker has not begun it. Every wait is for the worker in the middle
 * of one frame and is cut off after `stalledAfterMs`.
 */
export class CompressionThread {
  private readonly control: Int32Array;
  private readonly data: Buffer;
  private readonly worker: Worker;
  private readonly slots: number;
  private readonly slotBytes: number;
  private readonly compressHere: (content: Uint8Array) => Uint8Array | undefined;
  private readonly stalledAfterMs: number;
  /** Frames compressed here after taking them back, by slot. */
  private readonly taken: (ReadyFrame | undefined)[];
  private submitted = 0;
  private released = 0;
  private workerFrames = 0;
  /** No more frames for the worker: it failed, stalled, exited or was stopped. */
  private retired = false;
  /** The worker thread is gone: no frame it began will ever be done. */
  private gone = false;

  /** Starts the worker; undefined when no thread can be started here. */
  static start(options: CompressionThreadOptions): CompressionThread | undefined {
    try {
      return new CompressionThread(options);
    } catch {
      return undefined;
    }
  }

  private constructor(options: CompressionThreadOptions) {
    this.slots = options.slots;
    this.slotBytes = options.slotBytes;
    this.compressHere = options.compressHere;
    this.stalledAfterMs = options.stalledAfterMs ?? STALLED_WORKER_MS;
    this.taken = new Array<ReadyFrame | undefined>(this.slots);
    this.control = new Int32Array(new SharedArrayBuffer(4 * (CONTROL.slotBase + SLOT_FIELDS * this.slots)));
    const data = new SharedArrayBuffer(2 * this.slotBytes * this.slots);
    this.data = Buffer.from(data);
    const workerData: CompressionWorkerData = {
      control: this.control.buffer as SharedArrayBuffer,
      data,
      slots: this.slots,
      slotBytes: this.slotBytes,
      level: options.level,
      library: options.library,
    };
    // reached like the zstd library: invisible to bundlers, loaded only when a thread is wanted
    const { Worker } = process.getBuiltinModule("node:worker_threads");
    // none of the program's preloads (--require in execArgv or NODE_OPTIONS, which a worker reads
    // from its env) run in this thread: it runs no code but its own
    const worker = new Worker(COMPRESSION_WORKER_SOURCE, { eval: true, workerData, execArgv: [], env: {} });
    worker.on("message", () => {
      try {
        options.onFrameDone();
      } catch {
        // writing out is retried at the next flush
      }
    });
    // without these listeners, a worker error would be thrown in the program
    worker.on("error", () => this.lose());
    worker.on("exit", () => this.lose());
    // The recording must never keep the program alive. Last: a 'message' listener added after
    // unref() refs the worker again.
    worker.unref();
    this.worker = worker;
  }

  /** Whether the worker takes frames now (it has not failed, stalled or stopped). */
  get usable(): boolean {
    return !this.retired && Atomics.load(this.control, CONTROL.worker) !== WORKER_FAILED;
  }

  /** Whether the worker takes a frame of `size` bytes now. */
  accepts(size: number): boolean {
    return size <= this.slotBytes && this.usable;
  }

  /** Frames the worker compressed and the caller released. */
  get framesFromWorker(): number {
    return this.workerFrames;
  }

  /** Whether the worker sleeps until the next frame (no recent frames) rather than looking for one. */
  get workerAsleep(): boolean {
    return Atomics.load(this.control, CONTROL.sleeping) === 1;
  }

  /** Frames submitted and not yet released. */
  get pending(): number {
    return this.submitted - this.released;
  }

  get full(): boolean {
    return this.pending >= this.slots;
  }

  /** Queues a copy of `content` (the caller checked `accepts` and `full`). */
  submit(content: Uint8Array): void {
    const slot = this.submitted % this.slots;
    const base = CONTROL.slotBase + slot * SLOT_FIELDS;
    this.data.set(content, slot * 2 * this.slotBytes);
    this.control[base + SLOT_INPUT_LENGTH] = content.length;
    Atomics.store(this.control, base + SLOT_STATE, SLOT_QUEUED);
    this.submitted++;
    Atomics.store(this.control, CONTROL.submitted, this.submitted);
    // a polling worker finds the frame by itself; waking a sleeping one costs this thread
    if (Atomics.load(this.control, CONTROL.sleeping) === 1 && Atomics.compareExchange(this.control, CONTROL.sleeping, 1, 0) === 1) {
      this.worker.postMessage(0);
    }
  }

  /**
   * The pending frame `index` places after the oldest. Without `wait`, only once the worker has
   * finished it; with `wait`, always: taken back and compressed here if the worker has not begun
   * it, else waited for. The views stay valid until its slot is released.
   */
  frameAt(index: number, wait: boolean): ReadyFrame | undefined {
    if (index >= this.pending) return undefined;
    const slot = (this.released + index) % this.slots;
    const base = CONTROL.slotBase + slot * SLOT_FIELDS;
    const state = base + SLOT_STATE;
    const inputStart = slot * 2 * this.slotBytes;
    const content = this.data.subarray(inputStart, inputStart + this.control[base + SLOT_INPUT_LENGTH]!);
    const taken = this.taken[slot];
    if (taken !== undefined) return taken;
    if (!wait && Atomics.load(this.control, state) !== SLOT_DONE) return undefined;
    if (Atomics.compareExchange(this.control, state, SLOT_QUEUED, SLOT_TAKEN) === SLOT_QUEUED || !this.awaitDone(state)) {
      Atomics.store(this.control, state, SLOT_TAKEN);
      const frame: ReadyFrame = { content, frame: this.compressHere(content) };
      this.taken[slot] = frame;
      return frame;
    }
    const outputLength = this.control[base + SLOT_OUTPUT_LENGTH]!;
    const outputStart = inputStart + this.slotBytes;
    return { content, frame: outputLength < 0 ? undefined : this.data.subarray(outputStart, outputStart + outputLength) };
  }

  /** Waits for the worker to finish the frame it began; false when it never will. */
  private awaitDone(state: number): boolean {
    const deadline = performance.now() + this.stalledAfterMs;
    for (;;) {
      const now = Atomics.load(this.control, state);
      if (now === SLOT_DONE) return true;
      if (now !== SLOT_BUSY || this.gone) return false;
      const left = deadline - performance.now();
      if (left <= 0) {
        this.retire();
        return false;
      }
      Atomics.wait(this.control, state, SLOT_BUSY, Math.min(left, 1000));
    }
  }

  /** Frees the oldest frame's slot (its views are no longer valid). */
  releaseOldest(): void {
    if (this.pending === 0) return;
    const slot = this.released % this.slots;
    if (this.taken[slot] === undefined) this.workerFrames++;
    this.taken[slot] = undefined;
    this.released++;
    // a retired worker may still be writing a frame it began: its slots are not reused
    if (!this.retired) Atomics.store(this.control, CONTROL.slotBase + slot * SLOT_FIELDS + SLOT_STATE, SLOT_FREE);
  }

  /** No more frames for the worker, which stops; pending ones are still taken with `frameAt(i, true)`. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.gone = true;
    this.worker.terminate().catch(() => {});
  }

  private lose(): void {
    this.gone = true;
    this.retire();
  }
}
