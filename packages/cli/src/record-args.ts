import path from "node:path";
import { DEFAULT_VALUES_MODE, isRecorderError, parseFormat, parseStepNodesSetting, parseValuesMode, type ValuesMode } from "@ctjs/runtime";
import { UsageError } from "./usage-error.js";

export interface RecordArgs {
  script: string;
  scriptArgs: string[];
  outDir?: string;
  format: "json" | "binary";
  /** "changed" (default) writes a variable's value only when what CodeTracer shows changes; "full" every variable at every step. */
  values: ValuesMode;
  /** The recorder's per-step value budget (records); undefined: the recorder's default. */
  maxStepNodes?: number;
  include: string[];
  exclude: string[];
  activationPath?: string;
  quiet: boolean;
  help: boolean;
}

/** Options come before the script; everything after the script belongs to the script. */
export function parseRecordArgs(argv: string[], env: NodeJS.ProcessEnv): RecordArgs {
  const result: Partial<RecordArgs> & { include: string[]; exclude: string[] } = { include: [], exclude: [], quiet: false, help: false };
  let format: string | undefined = env.CTJS_FORMAT || undefined;
  let formatFromEnv = format !== undefined;
  // where a setting came from, for the message when it is bad: the flag wins over the environment
  let values = { text: env.CTJS_VALUES || undefined, subject: "CTJS_VALUES" };
  let stepNodes = { text: env.CTJS_MAX_STEP_NODES || undefined, subject: "CTJS_MAX_STEP_NODES" };
  let outDir: string | undefined = env.CTJS_OUT_DIR || undefined;
  let i = 0;
  const value = (name: string): string => {
    const v = argv[++i];
    if (v === undefined || v === "") throw new UsageError(`option ${name} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-") || arg === "-") break;
    if (arg === "--") {
      i++;
      break;
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const take = () => inline ?? value(name);
    switch (name) {
      case "-o":
      case "--out-dir":
        outDir = take();
        break;
      case "--format":
        format = take();
        formatFromEnv = false;
        break;
      case "--values":
        values = { text: take(), subject: name };
        break;
      case "--max-step-nodes":
        stepNodes = { text: take(), subject: name };
        break;
      case "--include":
        result.include.push(take());
        break;
      case "--exclude":
        result.exclude.push(take());
        break;
      case "--activation-path":
        result.activationPath = take();
        break;
      case "-q":
      case "--quiet":
        result.quiet = true;
        break;
      case "-h":
      case "--help":
        result.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(arg)} for ctjs record (see ctjs record --help)`);
    }
  }
  if (result.help) return { ...result, script: "", scriptArgs: [], format: "binary", values: DEFAULT_VALUES_MODE, help: true } as RecordArgs;
  const script = argv[i];
  if (script === undefined) throw new UsageError("ctjs record needs a script to run (ctjs record [options] <script> [args...])");
  const valuesText = values.text;
  const stepNodesText = stepNodes.text;
  return {
    script: path.resolve(script),
    scriptArgs: argv.slice(i + 1),
    outDir,
    format: usable(() => parseFormat(format), formatFromEnv ? "CTJS_FORMAT: " : ""),
    values: valuesText === undefined ? DEFAULT_VALUES_MODE : usable(() => parseValuesMode(valuesText, values.subject)),
    maxStepNodes: stepNodesText === undefined ? undefined : usable(() => parseStepNodesSetting(stepNodesText, stepNodes.subject)),
    include: result.include,
    exclude: result.exclude,
    activationPath: result.activationPath,
    quiet: result.quiet === true,
    help: false,
  };
}

/** The runtime's verdict on a setting; its error, a usage error (after `prefix`). */
function usable<T>(parse: () => T, prefix = ""): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(prefix + (isRecorderError(error) ? error.message : String(error)));
  }
}
