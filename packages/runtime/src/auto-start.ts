/**
 * Side-effect module: importing it starts recording when the environment asks for it.
 * `CTJS_TRACE=<dir>` records into <dir> (`CTJS_FORMAT` picks the format, `CTJS_ACTIVATION_PATH`
 * the activation file); `CTJS_DISABLED=1` wins over everything. Errors never stop the program:
 * they are reported on stderr in one line and the program runs unrecorded.
 */
import { isRecorderError } from "./errors.js";
import { logError } from "./logging.js";
import { isTracing, start } from "./session.js";

export function startFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  const disabled = env.CTJS_DISABLED;
  if (disabled !== undefined && disabled !== "" && disabled !== "0" && disabled.toLowerCase() !== "false") return false;
  const outDir = env.CTJS_TRACE;
  if (outDir === undefined || outDir === "" || isTracing()) return false;
  try {
    return start({
      outDir,
      format: env.CTJS_FORMAT || undefined,
      activationPath: env.CTJS_ACTIVATION_PATH || undefined,
    });
  } catch (error) {
    const message = isRecorderError(error) ? error.message : String(error);
    logError(`recording not started: ${message}`);
    return false;
  }
}

startFromEnvironment();
