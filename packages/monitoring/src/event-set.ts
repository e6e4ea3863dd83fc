import { EVENT_COUNT, isEventId, eventName } from "./events.js";

/** A set of events is an integer whose bit `1 << id` is set for every event id it holds. */
export type EventSet = number;

export const NO_EVENTS: EventSet = 0;
export const ALL_EVENTS: EventSet = (1 << EVENT_COUNT) - 1;

function checkEvent(event: number): void {
  if (!isEventId(event)) throw new RangeError(`unknown event id ${String(event)}`);
}

export function eventSet(...events: number[]): EventSet {
  let set = 0;
  for (const e of events) {
    checkEvent(e);
    set |= 1 << e;
  }
  return set;
}

export function hasEvent(set: EventSet, event: number): boolean {
  return (set & (1 << event)) !== 0;
}

export function addEvent(set: EventSet, event: number): EventSet {
  checkEvent(event);
  return set | (1 << event);
}

export function removeEvent(set: EventSet, event: number): EventSet {
  checkEvent(event);
  return set & ~(1 << event);
}

export function eventsIn(set: EventSet): number[] {
  const out: number[] = [];
  for (let e = 0; e < EVENT_COUNT; e++) if (hasEvent(set, e)) out.push(e);
  return out;
}

export function isEventSet(set: unknown): set is EventSet {
  return typeof set === "number" && Number.isInteger(set) && set >= 0 && (set & ~ALL_EVENTS) === 0;
}

/** Human-readable form, e.g. `LINE|RETURN`. */
export function formatEventSet(set: EventSet): string {
  const names = eventsIn(set).map(eventName);
  return names.length ? names.join("|") : "NO_EVENTS";
}
