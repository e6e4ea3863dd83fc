import { writeSync } from "node:fs";

/**
 * The recorder's own diagnostics. They go straight to file descriptor 2, past the IO capture, so
 * they never land in the trace, never on stdout, and never through a patched console.
 */
let quiet = false;

export function setQuiet(value: boolean): void {
  quiet = value;
}

export function logWarning(message: string): void {
  if (!quiet) writeLine(message);
}

/** Errors are printed even in quiet mode. */
export function logError(message: string): void {
  writeLine(message);
}

function writeLine(message: string): void {
  const line = message.startsWith("ctjs") ? message : `ctjs: ${message}`;
  try {
    writeSync(2, line.endsWith("\n") ? line : `${line}\n`);
  } catch {
    // stderr closed or non-blocking and full: diagnostics are best effort
  }
}

const warned = new Set<string>();

/** Warns once per key for the whole process. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  logWarning(message);
}
