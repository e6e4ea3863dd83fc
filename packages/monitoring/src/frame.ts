import type { FileTable } from "./site-table.js";

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/**
 * One activation of an instrumented function, created by the `enter` probe while some tool
 * listens to frame events. Instrumented code keeps it in a local and hands it back to the other
 * probes. When no tool listened at entry, that local holds the file table instead, and exit
 * probes ignore it (a frame entered while dormant is never reported as left).
 */
export class Frame {
  /** Whether the frame is suspended at an `await` or `yield`. */
  suspended = false;
  /** Whether the frame has been left (returned or unwound); later exit probes are ignored. */
  done = false;
  /** Whether the last suspension was a `yield` (not an `await`). */
  atYield = false;
  /** Whether the frame was resumed without its resume probe: an exception or `.return()` came in. */
  abrupt = false;
  /** Position among the instrumented frames running right now (1 = outermost); set on entry and resumption. */
  depth = 0;
  /** Free slot for the tools (the runtime keeps its per-session data here). */
  data: unknown = undefined;
  /** The parameters' values at entry, in the function entry's parameter order. */
  args: readonly unknown[] = NO_ARGS;

  constructor(
    readonly file: FileTable,
    readonly fn: number,
  ) {}
}

/** Frame-or-file: what instrumented code passes as the first probe argument. */
export type FrameRef = Frame | FileTable;
