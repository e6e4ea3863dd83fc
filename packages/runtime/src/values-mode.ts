import { RecorderError } from "./errors.js";

/** "changed": a step writes only the variables whose shown value would differ; "full": every visible variable. */
export type ValuesMode = "changed" | "full";

export const VALUES_MODES: readonly ValuesMode[] = ["changed", "full"];

export const DEFAULT_VALUES_MODE: ValuesMode = "changed";

/** "changed" or "full", from an option or CTJS_VALUES; anything else is an ERR_INVALID_OPTION naming `what`. */
export function parseValuesMode(value: unknown, what: string): ValuesMode {
  if (typeof value === "string" && (VALUES_MODES as readonly string[]).includes(value)) return value as ValuesMode;
  throw new RecorderError("ERR_INVALID_OPTION", `${what} must be "changed" or "full", got ${JSON.stringify(value)}`);
}
