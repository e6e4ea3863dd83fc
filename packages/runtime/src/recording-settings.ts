import { RecorderError } from "./errors.js";
import { resolveLimits } from "./value-encoder.js";

/**
 * `CTJS_MAX_STEP_NODES` / `--max-step-nodes`: text that must be a whole number within the value
 * encoder's range for `limits.maxStepNodes`. `subject` names where the text came from, so that
 * the one-line message says which setting to fix.
 */
export function parseStepNodesSetting(text: string, subject: string): number {
  if (!/^\s*\d+\s*$/.test(text)) {
    throw new RecorderError("ERR_INVALID_OPTION", `${subject} must be a whole number, got ${JSON.stringify(text)}`);
  }
  const maxStepNodes = Number(text);
  try {
    resolveLimits({ maxStepNodes });
  } catch (error) {
    throw new RecorderError("ERR_INVALID_OPTION", `${subject}: ${(error as Error).message}`);
  }
  return maxStepNodes;
}
