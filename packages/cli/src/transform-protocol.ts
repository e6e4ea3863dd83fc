import type { LoadableCode } from "./instrument-file.js";
import type { RecordConfig } from "./record-config.js";

/**
 * How the program's thread asks the transform thread for the code of a CommonJS file, and waits
 * for the answer: it posts the file's path on `port` and sleeps on `signal` until the transform
 * thread sets it to REPLIED.
 */
export interface TransformThreadData {
  port: import("node:worker_threads").MessagePort;
  signal: Int32Array;
  config: RecordConfig;
}

export const WAITING = 0;
export const REPLIED = 1;

/** The answer: what to load (with the notes to print first), or the error to throw. */
export type TransformReply = (LoadableCode | { kind: "error"; message: string; stack: string }) & { warnings: string[] };
