/**
 * Whether `error` is V8's stack overflow. A callback that overflows the stack is not broken:
 * the program is deep in recursion (often on purpose, to catch the RangeError), and the probe
 * and callback frames are what tipped it over. Such an event is lost; the tool stays enabled.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message === "Maximum call stack size exceeded";
}
