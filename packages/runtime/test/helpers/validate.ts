import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { sharedDir } from "./repo-root.js";

export const validatorPath = resolve(sharedDir, "tools", "validate_trace.py");

export interface ValidationResult {
  /** The validator's exit status was 0 (its last line is `OK ...`). */
  ok: boolean;
  /** Everything it printed (stdout, then stderr). */
  output: string;
}

export interface ValidateOptions {
  /**
   * Pass --require-balanced (default true). Turn it off only to check a trace that is deliberately
   * cut while calls are open, such as the state on disk between two flushes.
   */
  requireBalanced?: boolean;
}

/**
 * Runs `python3 shared/tools/validate_trace.py --require-balanced DIR` on a trace directory (or an
 * events file) and reports its verdict. `extraArgs` go before the directory.
 */
export function validateTrace(dir: string, extraArgs: readonly string[] = [], options: ValidateOptions = {}): ValidationResult {
  const balanced = options.requireBalanced === false ? [] : ["--require-balanced"];
  const result = spawnSync("python3", [validatorPath, ...balanced, ...extraArgs, dir], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return { ok: false, output: `cannot run the validator: ${result.error.message}` };
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  return { ok: result.status === 0, output };
}
