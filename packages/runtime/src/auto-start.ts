/**
 * Side-effect module: importing it starts recording when the environment asks for it.
 * `CTJS_TRACE=<dir>` records into <dir> (`CTJS_FORMAT` picks the format, `CTJS_ACTIVATION_PATH`
 * the activation file, `CTJS_VALUES` the values mode, `CTJS_MAX_STEP_NODES` the per-step value
 * budget); `CTJS_DISABLED=1` wins over everything. Errors never stop the program:
 * they are reported on stderr in one line and the program runs unrecorded.
 */
import { isRecorderError } from "./errors.js";
import { logError } from "./logging.js";
import { parseStepNodesSetting } from "./recording-settings.js";
import { isTracing, start } from "./session.js";
import { parseValuesMode } from "./values-mode.js";

export function startFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  const disabled = env.CTJS_DISABLED;
  if (disabled !== undefined && disabled !== "" && disabled !== "0" && disabled.toLowerCase() !== "false") return false;
  const outDir = env.CTJS_TRACE;
  if (outDir === undefined || outDir === "" || isTracing()) return false;
  try {
    const values = env.CTJS_VALUES ? parseValuesMode(env.CTJS_VALUES, "CTJS_VALUES") : undefined;
    const maxStepNodes = env.CTJS_MAX_STEP_NODES ? parseStepNodesSetting(env.CTJS_MAX_STEP_NODES, "CTJS_MAX_STEP_NODES") : undefined;
    return start({
      outDir,
      format: env.CTJS_FORMAT || undefined,
      activationPath: env.CTJS_ACTIVATION_PATH || undefined,
      values,
      limits: maxStepNodes === undefined ? undefined : { maxStepNodes },
    });
  } catch (error) {
    const message = isRecorderError(error) ? error.message : String(error);
    logError(`recording not started: ${message}`);
    return false;
  }
}

startFromEnvironment();
