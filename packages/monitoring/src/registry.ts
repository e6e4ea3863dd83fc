import { EVENT_COUNT, EVENTS, eventName, isEventId } from "./events.js";
import { hasEvent, isEventSet, formatEventSet, type EventSet } from "./event-set.js";
import { state, MAX_TOOLS, type Callback, type Listener, type ProbeFlags } from "./state.js";
import { assertToolInUse, checkToolId, releaseToolId } from "./tools.js";
import { probes } from "./probes.js";
import { isStackOverflow } from "./stack-overflow.js";

/** Sets the callback of `tool` for `event`; returns the one it replaces. `undefined` removes it. */
export function registerCallback(tool: number, event: number, fn: Callback | undefined): Callback | undefined {
  checkToolId(tool);
  assertToolInUse(tool);
  if (!isEventId(event)) throw new RangeError(`unknown event id ${String(event)}`);
  if (fn !== undefined && typeof fn !== "function") throw new TypeError(`callback for ${eventName(event)} must be a function`);
  const previous = state.callbacks[tool]![event];
  state.callbacks[tool]![event] = fn;
  rebuildListeners();
  return previous;
}

/** Releases a tool id: its events are disabled and its callbacks dropped. */
export function freeToolId(tool: number): void {
  releaseToolId(tool);
  rebuildListeners();
}

/** Enables exactly the events in `set` for `tool`. */
export function setEvents(tool: number, set: EventSet): void {
  checkToolId(tool);
  assertToolInUse(tool);
  if (!isEventSet(set)) throw new RangeError(`invalid event set ${String(set)}`);
  state.toolEvents[tool] = set;
  state.failedTools.delete(tool);
  rebuildListeners();
}

export function getEvents(tool: number): EventSet {
  checkToolId(tool);
  return state.toolEvents[tool]!;
}

/** Disables a tool whose callback threw; reported once, the program goes on. */
export function disableFailedTool(tool: number, event: number, error: unknown): void {
  if (state.failedTools.has(tool) || isStackOverflow(error)) return;
  state.failedTools.add(tool);
  state.toolEvents[tool] = 0;
  rebuildListeners();
  const name = state.toolNames[tool] ?? `tool ${tool}`;
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  try {
    state.report(`ctjs: monitoring tool ${JSON.stringify(name)} failed in its ${eventName(event)} callback and was disabled: ${why}`);
  } catch {
    // a broken sink must not break the program either
  }
}

const FRAME_EVENTS = [EVENTS.FUNCTION_START, EVENTS.RESUME, EVENTS.RETURN, EVENTS.YIELD, EVENTS.UNWIND, EVENTS.THROW];

/** Recomputes, for every event, the enabled callbacks in tool-id order, and the probe flags. */
export function rebuildListeners(): void {
  for (let event = 0; event < EVENT_COUNT; event++) {
    const list: Listener[] = [];
    for (let tool = 0; tool < MAX_TOOLS; tool++) {
      const fn = state.callbacks[tool]![event];
      if (fn !== undefined && state.toolNames[tool] !== undefined && hasEvent(state.toolEvents[tool]!, event)) {
        list.push({ tool, fn });
      }
    }
    state.listeners[event] = list;
  }
  const any = (event: number) => state.listeners[event]!.length > 0;
  const onCall = FRAME_EVENTS.some(any);
  const onLine = any(EVENTS.LINE);
  const onRaise = any(EVENTS.RAISE);
  const onHandled = any(EVENTS.EXCEPTION_HANDLED);
  setFlag("onCall", onCall);
  setFlag("onLine", onLine);
  setFlag("onRaise", onRaise);
  setFlag("onHandled", onHandled);
  setFlag("active", onCall || onLine || onRaise || onHandled);
}

/**
 * Writes a flag only when it changes. V8 compiles a test of a field that was never written since
 * the object got it into a constant; any write, even of the same value, turns every such test
 * into a load, so a tool that registers without enabling events leaves dormant code as fast as before.
 */
function setFlag(flag: keyof ProbeFlags, value: boolean): void {
  if (probes[flag] !== value) probes[flag] = value;
}

/** Describes the registry, for diagnostics. */
export function describeTools(): string {
  const rows: string[] = [];
  for (let tool = 0; tool < MAX_TOOLS; tool++) {
    const name = state.toolNames[tool];
    if (name !== undefined) rows.push(`${tool} ${name}: ${formatEventSet(state.toolEvents[tool]!)}`);
  }
  return rows.join("\n");
}
