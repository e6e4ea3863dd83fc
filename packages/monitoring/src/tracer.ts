import { EVENTS } from "./events.js";
import type { EventSet } from "./event-set.js";
import type { Frame } from "./frame.js";
import type { FileTable } from "./site-table.js";
import { freeToolId, registerCallback, setEvents } from "./registry.js";
import { getToolName, useToolId } from "./tools.js";
import type { Callback } from "./state.js";

/** A monitoring tool as one object: each method it defines is registered for its event. */
export interface Tracer {
  onStart?(frame: Frame, args: unknown[]): void;
  onResume?(frame: Frame, value: unknown): void;
  onReturn?(frame: Frame, value: unknown): void;
  onYield?(frame: Frame, value: unknown): void;
  /** `known` is false when the exception was not raised by an instrumented `throw`. */
  onUnwind?(frame: Frame, exception: unknown, known: boolean): void;
  onThrow?(frame: Frame): void;
  onLine?(file: FileTable, frame: Frame | null, site: number, values: unknown[]): void;
  onRaise?(file: FileTable, frame: Frame | null, value: unknown): void;
  onHandled?(file: FileTable, frame: Frame | null, value: unknown): void;
}

const METHOD_OF_EVENT: ReadonlyArray<readonly [keyof Tracer, number]> = [
  ["onStart", EVENTS.FUNCTION_START],
  ["onResume", EVENTS.RESUME],
  ["onReturn", EVENTS.RETURN],
  ["onYield", EVENTS.YIELD],
  ["onUnwind", EVENTS.UNWIND],
  ["onThrow", EVENTS.THROW],
  ["onLine", EVENTS.LINE],
  ["onRaise", EVENTS.RAISE],
  ["onHandled", EVENTS.EXCEPTION_HANDLED],
];

/**
 * Claims `tool` for `name`, registers every method the tracer defines (bound to it) and enables
 * those events. Returns the event set enabled.
 */
export function installTracer(tool: number, name: string, tracer: Tracer): EventSet {
  useToolId(tool, name);
  let set = 0;
  for (const [method, event] of METHOD_OF_EVENT) {
    const fn = tracer[method];
    if (typeof fn === "function") {
      registerCallback(tool, event, (fn as Callback).bind(tracer) as Callback);
      set |= 1 << event;
    }
  }
  setEvents(tool, set);
  return set;
}

/** Disables and releases a tool installed by installTracer (no-op if the id is free). */
export function uninstallTracer(tool: number): void {
  if (getToolName(tool) !== undefined) freeToolId(tool);
}
