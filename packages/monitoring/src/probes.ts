import { EVENTS } from "./events.js";
import { Frame, type FrameRef } from "./frame.js";
import type { FileTable } from "./site-table.js";
import { PROBES_KEY, state, type Listener, type ProbeFlags } from "./state.js";
import { disableFailedTool } from "./registry.js";

/**
 * The surface instrumented code calls. Generated code always tests a flag first, e.g.
 * `__ct.onLine && __ct.line(__ctf, 7, a, b)`, so a probe with no listener costs one predictable
 * branch and allocates nothing. The methods below run only while some tool listens.
 */
export interface Probes extends ProbeFlags {
  /** Function body starts: returns the Frame the other probes of this activation receive. */
  enter(file: FileTable, fn: number, ...args: unknown[]): FrameRef;
  /** Statement or loop test/update at `site` is about to run; `values` follow the site's variables. */
  line(ref: FrameRef, site: number, ...values: unknown[]): void;
  /** The activation ends; `value` is the return value, or the probes object itself when unwinding. */
  exit(ref: FrameRef, value: unknown): void;
  /** About to suspend at `await`/`yield` with `value`. */
  suspend(ref: FrameRef, value: unknown): void;
  /** Resumed after `await`/`yield` with `value`. */
  resume(ref: FrameRef, value: unknown): void;
  /** A `throw` statement raises `value`. */
  raise(ref: FrameRef, value: unknown): void;
  /** A `catch` clause takes `value`. */
  handled(ref: FrameRef, value: unknown): void;
}

type GlobalWithProbes = typeof globalThis & { [PROBES_KEY]?: Partial<Probes> };

/** The exception most recently raised and not yet handled, and the frame that raised it. */
let pending: { value: unknown; frame: Frame | null } | undefined;

function failed(l: Listener, event: number, error: unknown): void {
  disableFailedTool(l.tool, event, error);
}

function fileOf(ref: FrameRef): FileTable {
  return ref instanceof Frame ? ref.file : ref;
}

/** A suspended frame reached by any probe but `resume` was resumed without a value: by an exception, or by `.return()`. */
function resumeLazily(frame: Frame, byException: boolean): void {
  frame.suspended = false;
  emitResume(frame, undefined);
  if (!byException) return;
  const list = state.listeners[EVENTS.THROW]!;
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    try {
      (l.fn as (f: Frame) => void)(frame);
    } catch (e) {
      failed(l, EVENTS.THROW, e);
    }
  }
}

function emitResume(frame: Frame, value: unknown): void {
  const list = state.listeners[EVENTS.RESUME]!;
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    try {
      (l.fn as (f: Frame, v: unknown) => void)(frame, value);
    } catch (e) {
      failed(l, EVENTS.RESUME, e);
    }
  }
}

function enter(file: FileTable, fn: number, ...args: unknown[]): FrameRef {
  const frame = new Frame(file, fn);
  const list = state.listeners[EVENTS.FUNCTION_START]!;
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    try {
      (l.fn as (f: Frame, a: unknown[]) => void)(frame, args);
    } catch (e) {
      failed(l, EVENTS.FUNCTION_START, e);
    }
  }
  return frame;
}

function line(ref: FrameRef, site: number, ...values: unknown[]): void {
  let frame: Frame | null = null;
  if (ref instanceof Frame) {
    frame = ref;
    if (frame.suspended) resumeLazily(frame, false);
  }
  const file = fileOf(ref);
  const list = state.listeners[EVENTS.LINE]!;
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    try {
      (l.fn as (file: FileTable, frame: Frame | null, site: number, values: unknown[]) => void)(file, frame, site, values);
    } catch (e) {
      failed(l, EVENTS.LINE, e);
    }
  }
}

function exit(ref: FrameRef, value: unknown): void {
  if (!(ref instanceof Frame) || ref.done) return;
  const frame = ref;
  // the result slot still holds the probes object: the body did not complete; and a `throw` in
  // this very frame that nothing caught (a `finally` throwing over a pending return) unwinds too
  const unwinding = value === probes || (pending !== undefined && pending.frame === frame);
  const closedWhileSuspended = frame.suspended && pending === undefined;
  if (frame.suspended) resumeLazily(frame, unwinding && !closedWhileSuspended);
  frame.done = true;
  if (unwinding && closedWhileSuspended) {
    // resumed by a generator's return() (or an uncaught throw()), it ran its finally blocks and
    // ended: a return of unknown value, not an exception of ours to name
    emitReturn(frame, CLOSED);
    return;
  }
  if (unwinding) {
    const known = pending !== undefined;
    const exception = pending?.value;
    const list = state.listeners[EVENTS.UNWIND]!;
    for (let i = 0; i < list.length; i++) {
      const l = list[i]!;
      try {
        (l.fn as (f: Frame, exc: unknown, known: boolean) => void)(frame, exception, known);
      } catch (e) {
        failed(l, EVENTS.UNWIND, e);
      }
    }
    return;
  }
  emitReturn(frame, value);
}

function emitReturn(frame: Frame, value: unknown): void {
  const list = state.listeners[EVENTS.RETURN]!;
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    try {
      (l.fn as (f: Frame, v: unknown) => void)(frame, value);
    } catch (e) {
      failed(l, EVENTS.RETURN, e);
    }
  }
}

/** The return value reported for a suspended generator closed from outside (its value is unknown). */
export const CLOSED: unique symbol = Symbol("ctjs.closed");

function suspend(ref: FrameRef, value: unknown): void {
  if (!(ref instanceof Frame) || ref.done) return;
  if (ref.suspended) resumeLazily(ref, false);
  ref.suspended = true;
  const list = state.listeners[EVENTS.YIELD]!;
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    try {
      (l.fn as (f: Frame, v: unknown) => void)(ref, value);
    } catch (e) {
      failed(l, EVENTS.YIELD, e);
    }
  }
}

function resume(ref: FrameRef, value: unknown): void {
  if (!(ref instanceof Frame) || ref.done || !ref.suspended) return;
  ref.suspended = false;
  emitResume(ref, value);
}

function raise(ref: FrameRef, value: unknown): void {
  let frame: Frame | null = null;
  if (ref instanceof Frame) {
    frame = ref;
    if (frame.suspended) resumeLazily(frame, false);
  }
  pending = { value, frame };
  const list = state.listeners[EVENTS.RAISE]!;
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    try {
      (l.fn as (file: FileTable, frame: Frame | null, v: unknown) => void)(fileOf(ref), frame, value);
    } catch (e) {
      failed(l, EVENTS.RAISE, e);
    }
  }
}

function handled(ref: FrameRef, value: unknown): void {
  pending = undefined;
  let frame: Frame | null = null;
  if (ref instanceof Frame) {
    frame = ref;
    if (frame.suspended) resumeLazily(frame, true);
  }
  const list = state.listeners[EVENTS.EXCEPTION_HANDLED]!;
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    try {
      (l.fn as (file: FileTable, frame: Frame | null, v: unknown) => void)(fileOf(ref), frame, value);
    } catch (e) {
      failed(l, EVENTS.EXCEPTION_HANDLED, e);
    }
  }
}

/** Forgets the pending exception (a new session starts clean). */
export function clearPendingException(): void {
  pending = undefined;
}

const g = globalThis as GlobalWithProbes;
const shared = (g[PROBES_KEY] ??= {}) as Partial<Probes>;
if (typeof shared.enter !== "function") {
  // first copy of the package in this realm: install the probe methods; flags start false
  Object.assign(shared, { onCall: false, onLine: false, onRaise: false, onHandled: false, enter, line, exit, suspend, resume, raise, handled });
}

/** The realm's probes object, the one instrumented files reach through `Symbol.for("ctjs.probes")`. */
export const probes = shared as Probes;

/** The value instrumented code leaves in its return slot while a frame unwinds. */
export const UNWINDING: unknown = probes;
