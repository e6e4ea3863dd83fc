/**
 * The compression thread on its own: frames go to a worker and come back in ticket order; a frame
 * the worker has not begun is taken back and compressed on the caller's thread; a worker whose
 * library fails, throws or hangs never loses a frame nor hangs the caller. Stand-in libraries
 * (small CommonJS files the worker requires in place of the zstd addon) play the failing ones.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CompressionThread, type ReadyFrame } from "../src/writers/compression-thread.js";
import { nativeLibraryPath, zstdCodec } from "../src/writers/zstd-codec.js";
import { makeTempDir } from "./helpers/trace-dir.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const codec = zstdCodec()!;
const SLOT_BYTES = 64 * 1024;

/** Distinct, compressible content for frame `n`. */
function content(n: number, size = 20_000): Buffer {
  const text = Array.from({ length: size / 8 }, (_, i) => `${n}:${i % 97},`).join("");
  return Buffer.from(text.slice(0, size));
}

interface Harness {
  thread: CompressionThread;
  /** Frames compressed on the calling thread (taken back from the worker). */
  here: Uint8Array[];
  /** Resolves after the worker has reported `count` finished frames in all. */
  framesDone(count: number): Promise<void>;
}

function startThread(library: string, options: { slots?: number; stalledAfterMs?: number } = {}): Harness {
  const here: Uint8Array[] = [];
  let done = 0;
  const waiters: (() => void)[] = [];
  const thread = CompressionThread.start({
    level: 1,
    library,
    slotBytes: SLOT_BYTES,
    slots: options.slots ?? 4,
    stalledAfterMs: options.stalledAfterMs,
    compressHere: (data) => {
      here.push(data);
      return codec.compress(Buffer.from(data), 1);
    },
    onFrameDone: () => {
      done++;
      for (const wake of waiters.splice(0)) wake();
    },
  });
  expect(thread).toBeDefined();
  cleanups.push(() => thread!.retire());
  const framesDone = async (count: number): Promise<void> => {
    while (done < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { thread: thread!, here, framesDone };
}

/** A stand-in for the zstd library, written as a CommonJS file for the worker to require. */
function standInLibrary(source: string): string {
  const { dir, cleanup } = makeTempDir("ctjs-thread-library-");
  cleanups.push(cleanup);
  const file = join(dir, "library.cjs");
  writeFileSync(file, source);
  return file;
}

function expectFrameOf(frame: ReadyFrame | undefined, expected: Buffer): void {
  expect(frame).toBeDefined();
  expect(Buffer.from(frame!.content).equals(expected)).toBe(true);
  expect(frame!.frame).toBeDefined();
  expect(codec.decompress(Buffer.from(frame!.frame!)).equals(expected)).toBe(true);
}

describe("compression thread", () => {
  it("compresses frames on the worker and gives them back in order, through more frames than slots", async () => {
    const { thread, here, framesDone } = startThread(nativeLibraryPath()!, { slots: 2 });
    const frames = Array.from({ length: 7 }, (_, n) => content(n));
    let finished = 0;
    for (let n = 0; n < frames.length; n++) {
      if (thread.full) {
        await framesDone(++finished);
        expectFrameOf(thread.frameAt(0, false), frames[finished - 1]!);
        thread.releaseOldest();
      }
      expect(thread.accepts(frames[n]!.length)).toBe(true);
      thread.submit(frames[n]!);
    }
    await framesDone(frames.length);
    for (let n = finished; n < frames.length; n++) {
      expectFrameOf(thread.frameAt(n - finished, false), frames[n]!);
    }
    for (let n = finished; n < frames.length; n++) thread.releaseOldest();
    expect(here).toEqual([]);
    expect(thread.framesFromWorker).toBe(frames.length);
    expect(thread.pending).toBe(0);
  });

  it("wakes a worker that went to sleep after a pause without frames", { timeout: 30_000 }, async () => {
    const { thread, here, framesDone } = startThread(nativeLibraryPath()!);
    const first = content(5);
    thread.submit(first);
    await framesDone(1);
    expectFrameOf(thread.frameAt(0, false), first);
    thread.releaseOldest();
    // without frames for a while, the worker sleeps: only the next submit can wake it
    await vi.waitFor(() => expect(thread.workerAsleep).toBe(true), { timeout: 15_000, interval: 50 });
    const second = content(6);
    thread.submit(second);
    await framesDone(2);
    expectFrameOf(thread.frameAt(0, false), second);
    thread.releaseOldest();
    expect(here).toEqual([]);
    expect(thread.framesFromWorker).toBe(2);
  });

  it("refuses a frame larger than a slot", () => {
    const { thread } = startThread(nativeLibraryPath()!);
    expect(thread.accepts(SLOT_BYTES)).toBe(true);
    expect(thread.accepts(SLOT_BYTES + 1)).toBe(false);
  });

  it("takes back frames the worker has not begun, and gives up on one it never finishes", async () => {
    const { dir, cleanup } = makeTempDir("ctjs-thread-hang-");
    cleanups.push(cleanup);
    const started = join(dir, "started");
    const library = standInLibrary(`
      exports.Encoder = class {
        encodeSync() {
          require("node:fs").writeFileSync(${JSON.stringify(started)}, "");
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
        }
      };
    `);
    const { thread, here } = startThread(library, { stalledAfterMs: 300 });
    const first = content(1);
    const second = content(2);
    thread.submit(first);
    thread.submit(second);
    await vi.waitFor(() => expect(existsSync(started)).toBe(true), { timeout: 10_000, interval: 20 });
    // the worker hangs in the first frame: the second is taken back at once
    expectFrameOf(thread.frameAt(1, true), second);
    expect(here.map((d) => Buffer.from(d).equals(second))).toEqual([true]);
    expect(thread.usable).toBe(true);
    // the first is waited for, then given up on: compressed here, and the worker is retired
    expectFrameOf(thread.frameAt(0, true), first);
    expect(here).toHaveLength(2);
    expect(thread.usable).toBe(false);
    expect(thread.accepts(1)).toBe(false);
    thread.releaseOldest();
    thread.releaseOldest();
    expect(thread.framesFromWorker).toBe(0);
  });

  it("compresses everything here when the library does not load in the worker", async () => {
    const library = standInLibrary(`throw new Error("no zstd in this thread");`);
    const { thread, here } = startThread(library);
    const frame = content(3);
    thread.submit(frame);
    expectFrameOf(thread.frameAt(0, true), frame);
    expect(here).toHaveLength(1);
    thread.releaseOldest();
    await vi.waitFor(() => expect(thread.usable).toBe(false), { timeout: 10_000, interval: 20 });
  });

  it("stores a frame raw when the library throws on it", async () => {
    const library = standInLibrary(`exports.Encoder = class { encodeSync() { throw new Error("cannot"); } };`);
    const { thread, here, framesDone } = startThread(library);
    const frame = content(4);
    thread.submit(frame);
    await framesDone(1);
    const ready = thread.frameAt(0, false);
    expect(ready).toBeDefined();
    expect(Buffer.from(ready!.content).equals(frame)).toBe(true);
    expect(ready!.frame).toBeUndefined();
    expect(here).toEqual([]);
  });
});
