/**
 * The browser recorder's own messages. They go to the console methods as they were when this
 * module loaded, so they never pass through the console capture and never land in the trace.
 */
const originalWarn = typeof console !== "undefined" && typeof console.warn === "function" ? console.warn.bind(console) : undefined;

const warned = new Set<string>();

export function warn(message: string): void {
  try {
    originalWarn?.(`ctjs: ${message}`);
  } catch {
    // a broken console must not break recording
  }
}

/** Warns once per key for the page's lifetime. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  warn(message);
}
