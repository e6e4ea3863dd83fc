import { EVENT_LOG_KIND, type EventLogKind } from "../trace-events.js";
import { formatConsoleArgs } from "./console-format.js";

export type ConsoleListener = (kind: EventLogKind, content: string) => void;

type ConsoleMethod = "log" | "info" | "debug" | "warn" | "error";

/** Where each method's output goes in a terminal: log/info/debug to stdout, warn/error to stderr. */
const CAPTURED: ReadonlyArray<readonly [ConsoleMethod, EventLogKind]> = [
  ["log", EVENT_LOG_KIND.Write],
  ["info", EVENT_LOG_KIND.Write],
  ["debug", EVENT_LOG_KIND.Write],
  ["warn", EVENT_LOG_KIND.WriteOther],
  ["error", EVENT_LOG_KIND.WriteOther],
];

interface Patch {
  method: ConsoleMethod;
  original: (...args: unknown[]) => void;
  patched: (...args: unknown[]) => void;
}

/**
 * The browser's counterpart of the stdout/stderr capture: console output becomes trace events
 * while every call still reaches the original console with the same arguments and `this`.
 */
export class ConsoleCapture {
  private patches: Patch[] = [];

  install(listener: ConsoleListener): void {
    if (this.patches.length > 0 || typeof console === "undefined") return;
    const target = console as unknown as Record<ConsoleMethod, (...args: unknown[]) => void>;
    for (const [method, kind] of CAPTURED) {
      const original = target[method];
      if (typeof original !== "function") continue;
      const patched = function (this: unknown, ...args: unknown[]): void {
        try {
          listener(kind, `${formatConsoleArgs(args)}\n`);
        } catch {
          // capture is best effort; the console call itself must happen regardless
        }
        return Reflect.apply(original, this, args) as void;
      };
      target[method] = patched;
      this.patches.push({ method, original, patched });
    }
  }

  /** Restores the original methods (only where nobody replaced ours since). */
  uninstall(): void {
    const target = console as unknown as Record<ConsoleMethod, (...args: unknown[]) => void>;
    for (const { method, original, patched } of this.patches) {
      if (target[method] === patched) target[method] = original;
    }
    this.patches = [];
  }
}
