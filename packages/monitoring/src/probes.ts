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
  /** About to suspend at `await`/`yield` with `value`; `atYield` is 1 at a `yield`. */
  suspend(ref: FrameRef, value: unknown, atYield?: number): void;
  /** Resumed after `await`/`yield` with `value`. */
  resume(ref: FrameRef, value: unknown): void;
  /** A `throw` statement raises `value`; `result` is the frame's result slot at that moment. */
  raise(ref: FrameRef, value: unknown, result?: unknown): void;
  /** A `catch` clause takes `value`. */
  handled(ref: FrameRef, value: unknown): void;
  /** A class field initialiser starts (it has no local to keep its frame in). */
  enterField(file: FileTable, fn: number): void;
  /** The innermost field initialiser ends with `value`. */
  exitField(value: unknown): void;
}

type GlobalWithProbes = typeof globalThis & { [PROBES_KEY]?: Partial<Probes> };

/**
 * The exception most recently raised by a `throw` in instrumented code and not yet handled.
 * `frame` is the frame that raised it until that frame unwinds; from then on it is null and
 * `level` is the depth of the frame that unwound with it last, so only its caller (one level
 * up) is known to carry it further. An exception caught by uninstrumented code (a Promise
 * executor's, say) thus never gets attributed to an unrelated frame that fails later.
 * `result` is the frame's result slot when it raised: a `finally` that returns changes it.
 */
interface PendingException {
  value: unknown;
  frame: Frame | null;
  level: number;
  result: unknown;
}
let pending: PendingException | undefined;

/** Depth of the innermost instrumented frame running now; frames record theirs on entry and resumption. */
let depth = 0;

function failed(l: Listener, event: number, error: unknown): void {
  disableFailedTool(l.tool, event, error);
}

function fileOf(ref: FrameRef): FileTable {
  return ref instanceof Frame ? ref.file : ref;
}

/** A suspended frame reached by any probe but `resume` was resumed without a value: by an exception, or by `.return()`. */
function resumeLazily(frame: Frame, byException: boolean): void {
  frame.suspended = false;
  frame.abrupt = true;
  frame.depth = ++depth;
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
  frame.depth = ++depth;
  frame.args = args;
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
  // the hottest probe: one instanceof test sorts frame from file table
  let frame: Frame | null = null;
  let file: FileTable;
  if (ref instanceof Frame) {
    frame = ref;
    file = ref.file;
    if (frame.suspended) resumeLazily(frame, false);
    if (fieldFrames.length !== 0) unwindFieldFrames(frame.depth);
  } else {
    file = ref;
  }
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

/**
 * Frames of the field initialisers running now, innermost last. An initialiser that throws
 * never reaches its exitField: it is known to have unwound once a frame around it ends.
 */
const fieldFrames: Frame[] = [];

function enterField(file: FileTable, fn: number): void {
  fieldFrames.push(enter(file, fn) as Frame);
}

function exitField(value: unknown): void {
  const frame = fieldFrames.pop();
  if (frame !== undefined) exit(frame, value);
}

/** Unwinds the field initialiser frames deeper than `level`: an exception left them. */
function unwindFieldFrames(level: number): void {
  while (fieldFrames.length > 0 && fieldFrames[fieldFrames.length - 1]!.depth > level) {
    exit(fieldFrames.pop()!, probes);
  }
}

function exit(ref: FrameRef, value: unknown): void {
  if (!(ref instanceof Frame) || ref.done) return;
  const frame = ref;
  if (fieldFrames.length !== 0) unwindFieldFrames(frame.depth);
  const raisedHere = pending !== undefined && pending.frame === frame;
  // the result slot still holds the probes object: the body did not complete; or a `throw` in
  // this very frame that nothing caught went through a `finally` that left the slot as it was
  const unwinding = value === probes || (raisedHere && pending!.result === value);
  const wasSuspended = frame.suspended;
  const closedAtYield = unwinding && (wasSuspended ? frame.atYield : frame.abrupt && frame.atYield);
  const known = unwinding && pending !== undefined && (raisedHere
    || (pending.frame === null && (pending.level === frame.depth + 1 || (frame.abrupt && !frame.atYield))));
  if (wasSuspended) resumeLazily(frame, unwinding && !closedAtYield);
  frame.done = true;
  depth = frame.depth - 1;
  if (closedAtYield && !known) {
    // resumed at a `yield` by the generator's return() (or a throw() nothing caught), it ran
    // its finally blocks and ended: a return of unknown value, not an exception of ours to name
    emitReturn(frame, CLOSED);
    return;
  }
  if (unwinding) {
    let exception: unknown;
    if (known) {
      exception = pending!.value;
      pending!.frame = null;
      pending!.level = frame.depth;
    } else {
      // a different exception, raised outside instrumented code, is in flight
      pending = undefined;
    }
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

function suspend(ref: FrameRef, value: unknown, atYield?: number): void {
  if (!(ref instanceof Frame) || ref.done) return;
  if (ref.suspended) resumeLazily(ref, false);
  ref.suspended = true;
  ref.atYield = atYield === 1;
  depth = ref.depth - 1;
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
  ref.abrupt = false;
  ref.depth = ++depth;
  emitResume(ref, value);
}

function raise(ref: FrameRef, value: unknown, result?: unknown): void {
  let frame: Frame | null = null;
  if (ref instanceof Frame) {
    frame = ref;
    if (frame.suspended) resumeLazily(frame, false);
  }
  pending = { value, frame, level: frame === null ? 0 : frame.depth, result };
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
  let frame: Frame | null = null;
  if (ref instanceof Frame) {
    frame = ref;
    if (frame.suspended) resumeLazily(frame, true);
    // field initialisers the exception left unwound with it, before it is forgotten
    if (fieldFrames.length !== 0) unwindFieldFrames(frame.depth);
  }
  pending = undefined;
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
  depth = 0;
}

const g = globalThis as GlobalWithProbes;
const shared = (g[PROBES_KEY] ??= {}) as Partial<Probes>;
if (typeof shared.enter !== "function") {
  // first copy of the package in this realm: install the probe methods; flags start false
  Object.assign(shared, { onCall: false, onLine: false, onRaise: false, onHandled: false, active: false, enter, line, exit, suspend, resume, raise, handled, enterField, exitField });
}

/** The realm's probes object, the one instrumented files reach through `Symbol.for("ctjs.probes")`. */
export const probes = shared as Probes;

/** The value instrumented code leaves in its return slot while a frame unwinds. */
export const UNWINDING: unknown = probes;
