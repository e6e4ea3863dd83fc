/**
 * Event ids, in the spirit of CPython's sys.monitoring.events. Each id is a bit position, so an
 * event set is a plain integer mask (see event-set.ts). Ids 0..8 are in use; up to 31 fit.
 */
export const EVENTS = Object.freeze({
  /** A function body starts running (a call). */
  FUNCTION_START: 0,
  /** A suspended function (after `await` or `yield`) continues. */
  RESUME: 1,
  /** A function returns normally. */
  RETURN: 2,
  /** A function suspends at `await` or `yield`. */
  YIELD: 3,
  /** A frame is left because an exception propagates out of it. */
  UNWIND: 4,
  /** A suspended frame is resumed by an exception (generator `.throw()`, rejected `await`). */
  THROW: 5,
  /** A statement, loop test or loop update is about to run. */
  LINE: 6,
  /** A `throw` statement raises a value. */
  RAISE: 7,
  /** A `catch` clause takes an exception. */
  EXCEPTION_HANDLED: 8,
} as const);

export type EventName = keyof typeof EVENTS;
export type EventId = (typeof EVENTS)[EventName];

/** How many event ids are defined; ids are 0 .. EVENT_COUNT - 1. */
export const EVENT_COUNT = 9;

/** The largest number of event ids an event set can hold. */
export const MAX_EVENTS = 31;

const NAMES: readonly string[] = Object.keys(EVENTS);

/** `EVENTS` name of an event id, for messages. */
export function eventName(event: number): string {
  return NAMES[event] ?? `event ${event}`;
}

export function isEventId(event: unknown): event is EventId {
  return typeof event === "number" && Number.isInteger(event) && event >= 0 && event < EVENT_COUNT;
}
