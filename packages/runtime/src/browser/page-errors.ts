import { formatConsoleArgs } from "./console-format.js";
import { pageEvents } from "./page.js";

/**
 * Uncaught errors and unhandled rejections of the page. In a browser they do not end the
 * program, so each becomes an error event in the trace at the moment it happens.
 */
export class PageErrors {
  private uninstall: (() => void) | undefined;

  install(report: (text: string) => void): void {
    const events = pageEvents();
    if (this.uninstall !== undefined || events === undefined) return;
    const onError = (event: unknown) => report(`Uncaught ${describe(event, "error", "message")}`);
    const onRejection = (event: unknown) => report(`Unhandled rejection: ${describe(event, "reason", undefined)}`);
    events.addEventListener("error", onError);
    events.addEventListener("unhandledrejection", onRejection);
    this.uninstall = () => {
      events.removeEventListener("error", onError);
      events.removeEventListener("unhandledrejection", onRejection);
    };
  }

  remove(): void {
    this.uninstall?.();
    this.uninstall = undefined;
  }
}

/** The thrown value as text (read without running program code); the browser's message otherwise. */
function describe(event: unknown, valueKey: "error" | "reason", messageKey: "message" | undefined): string {
  const source = event as Record<string, unknown>;
  let value: unknown;
  let message: unknown;
  try {
    value = source[valueKey];
    message = messageKey === undefined ? undefined : source[messageKey];
  } catch {
    return "(unreadable)";
  }
  if (value !== undefined && value !== null) return formatConsoleArgs([value]);
  return typeof message === "string" && message !== "" ? message : "(no details)";
}
