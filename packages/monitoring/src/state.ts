import { EVENT_COUNT } from "./events.js";
import type { EventSet } from "./event-set.js";

/** Any monitoring callback; each event passes its own arguments (see tracer.ts). */
export type Callback = (...args: never[]) => unknown;

/** The tools currently listening to one event, in tool-id order. */
export interface Listener {
  readonly tool: number;
  readonly fn: Callback;
}

/**
 * The flags instrumented code reads before calling a probe. They live on the probes object that
 * instrumented files reach through `globalThis[Symbol.for("ctjs.probes")]`; a file loaded before
 * this package finds an empty object there, whose missing flags read as false.
 */
export interface ProbeFlags {
  /** Some tool listens to frame events: enter/exit/suspend/resume probes are live. */
  onCall: boolean;
  /** Some tool listens to LINE. */
  onLine: boolean;
  /** Some tool listens to RAISE. */
  onRaise: boolean;
  /** Some tool listens to EXCEPTION_HANDLED. */
  onHandled: boolean;
  /** Any of the above: leaf functions entered while this is false run their uninstrumented copy. */
  active: boolean;
}

export const MAX_TOOLS = 8;

/** Registry state, shared by every copy of this package loaded in one realm. */
export interface MonitoringState {
  readonly version: 1;
  readonly toolNames: (string | undefined)[];
  readonly toolEvents: EventSet[];
  readonly callbacks: (Callback | undefined)[][];
  /** listeners[event]: the enabled callbacks for that event, by tool id. */
  readonly listeners: Listener[][];
  /** Tools disabled after a callback threw. */
  readonly failedTools: Set<number>;
  report: (message: string) => void;
}

export const STATE_KEY = Symbol.for("ctjs.monitoring");
export const PROBES_KEY = Symbol.for("ctjs.probes");

function defaultReport(message: string): void {
  // console.error as it was when this module loaded, so later patches of console do not see it
  const write = console.error.bind(console);
  write(message);
}

function createState(): MonitoringState {
  return {
    version: 1,
    toolNames: new Array(MAX_TOOLS).fill(undefined),
    toolEvents: new Array(MAX_TOOLS).fill(0),
    callbacks: Array.from({ length: MAX_TOOLS }, () => new Array(EVENT_COUNT).fill(undefined)),
    listeners: Array.from({ length: EVENT_COUNT }, () => []),
    failedTools: new Set(),
    report: defaultReport,
  };
}

type GlobalWithState = typeof globalThis & { [STATE_KEY]?: MonitoringState };

/** The one registry of this realm: created by the first copy of the package that loads. */
export const state: MonitoringState = ((globalThis as GlobalWithState)[STATE_KEY] ??= createState());

/** Where the registry reports a failing callback (the runtime points it at its own log). */
export function setDiagnosticSink(report: (message: string) => void): void {
  state.report = report;
}
