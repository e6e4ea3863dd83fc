/**
 * What the compression thread runs, and the shared-memory layout both sides agree on.
 *
 * The worker's code is a string of plain JavaScript evaluated by `new Worker(source, { eval: true })`
 * rather than a module file: a file next to this one would not survive bundling (the bundle has no
 * such file), and a stringified TypeScript function would carry whatever helpers a transform adds
 * (coverage counters, esbuild's `__name`) into a thread where they do not exist.
 *
 * The worker only compresses. It takes slots the main thread queued, in ticket order, compresses
 * each slot's input into the slot's output area, marks it done, notifies the waiter on the slot's
 * state and posts a message so an idle main thread writes the frame out. It handles one slot per
 * event-loop turn: the native addon's output buffers are freed only between turns.
 *
 * Waking a sleeping thread costs the waker up to a millisecond of CPU on a virtual machine, as
 * much as compressing the frame. So while a recording goes on the worker looks for frames itself,
 * at first every POLL_MS, backing off to every POLL_MAX_MS while none come (a slow recording costs
 * it some 20 looks a second), and only after SLEEP_AFTER_MS without frames does it sleep, saying
 * so in the control array: the main thread posts a message only to a sleeping worker.
 */

/** The worker looks for the next frame this soon after one... */
const POLL_MS = 2;
/** ...then twice as late at each empty look, up to this. */
const POLL_MAX_MS = 50;
/** Without frames for this long, it sleeps until the main thread posts one. */
const SLEEP_AFTER_MS = 2000;

/** Int32 indices in the control array. */
export const CONTROL = {
  /** Tickets the main thread has queued so far (ticket n lives in slot n % slots). */
  submitted: 0,
  /** WORKER_* below. */
  worker: 1,
  /** 1 while the worker sleeps until a message; whoever clears it first does the waking. */
  sleeping: 2,
  /** Slot fields start here, SLOT_FIELDS per slot. */
  slotBase: 4,
} as const;

/** Per slot: state (SLOT_*), input length, output length (-1: store the input raw). */
export const SLOT_FIELDS = 4;
export const SLOT_STATE = 0;
export const SLOT_INPUT_LENGTH = 1;
export const SLOT_OUTPUT_LENGTH = 2;

export const SLOT_FREE = 0;
/** Input written, waiting for a compressor. */
export const SLOT_QUEUED = 1;
/** The worker is compressing it. */
export const SLOT_BUSY = 2;
/** The worker's frame is in the output area. */
export const SLOT_DONE = 3;
/** The main thread took it back to compress it itself. */
export const SLOT_TAKEN = 4;

export const WORKER_STARTING = 0;
export const WORKER_READY = 1;
/** The library did not load in the worker: it compresses nothing. */
export const WORKER_FAILED = 2;

/** What the main thread hands the worker (its `workerData`). */
export interface CompressionWorkerData {
  control: SharedArrayBuffer;
  /** Slot i: input at i * 2 * slotBytes, output right after it. */
  data: SharedArrayBuffer;
  slots: number;
  slotBytes: number;
  level: number;
  /** Absolute path of the native zstd library's entry point. */
  library: string;
}

export const COMPRESSION_WORKER_SOURCE = `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { control: controlBuffer, data: dataBuffer, slots, slotBytes, level, library } = workerData;
const control = new Int32Array(controlBuffer);
const data = Buffer.from(dataBuffer);
let encoder;
try {
  encoder = new (require(library).Encoder)(level);
  Atomics.store(control, ${CONTROL.worker}, ${WORKER_READY});
} catch {
  Atomics.store(control, ${CONTROL.worker}, ${WORKER_FAILED});
}
Atomics.notify(control, ${CONTROL.worker});
let next = 0;
let scheduled = false;
let idleMs = 0;
let pollMs = ${POLL_MS};
function later(delay) {
  scheduled = true;
  if (delay === 0) setImmediate(work);
  else setTimeout(work, delay);
}
function work() {
  scheduled = false;
  while (next < Atomics.load(control, ${CONTROL.submitted})) {
    const slot = next % slots;
    next++;
    const base = ${CONTROL.slotBase} + slot * ${SLOT_FIELDS};
    if (Atomics.compareExchange(control, base + ${SLOT_STATE}, ${SLOT_QUEUED}, ${SLOT_BUSY}) !== ${SLOT_QUEUED}) continue;
    const input = base + ${SLOT_INPUT_LENGTH};
    const start = slot * 2 * slotBytes;
    let outputLength = -1;
    try {
      const frame = encoder.encodeSync(data.subarray(start, start + control[input]));
      if (frame.length <= slotBytes) {
        frame.copy(data, start + slotBytes);
        outputLength = frame.length;
      }
    } catch {}
    control[base + ${SLOT_OUTPUT_LENGTH}] = outputLength;
    Atomics.store(control, base + ${SLOT_STATE}, ${SLOT_DONE});
    Atomics.notify(control, base + ${SLOT_STATE});
    parentPort.postMessage(0);
    idleMs = 0;
    pollMs = ${POLL_MS};
    later(0);
    return;
  }
  if (idleMs < ${SLEEP_AFTER_MS}) {
    later(pollMs);
    idleMs += pollMs;
    pollMs = Math.min(2 * pollMs, ${POLL_MAX_MS});
    return;
  }
  Atomics.store(control, ${CONTROL.sleeping}, 1);
  // a frame queued meanwhile: keep working unless the main thread is already posting a wake-up
  if (next < Atomics.load(control, ${CONTROL.submitted}) && Atomics.compareExchange(control, ${CONTROL.sleeping}, 1, 0) === 1) {
    later(0);
  }
}
if (encoder !== undefined) {
  parentPort.on("message", () => {
    idleMs = 0;
    pollMs = ${POLL_MS};
    if (!scheduled) work();
  });
  work();
}
`;
