import path from "node:path";
import { parseFormat, isRecorderError } from "@ctjs/runtime";
import { UsageError } from "./usage-error.js";

export interface RecordArgs {
  script: string;
  scriptArgs: string[];
  outDir?: string;
  format: "json" | "binary";
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
  if (result.help) return { ...result, script: "", scriptArgs: [], format: "binary", help: true } as RecordArgs;
  const script = argv[i];
  if (script === undefined) throw new UsageError("ctjs record needs a script to run (ctjs record [options] <script> [args...])");
  let parsedFormat: "json" | "binary";
  try {
    parsedFormat = parseFormat(format);
  } catch (error) {
    const message = isRecorderError(error) ? error.message : String(error);
    throw new UsageError(formatFromEnv ? `CTJS_FORMAT: ${message}` : message);
  }
  return {
    script: path.resolve(script),
    scriptArgs: argv.slice(i + 1),
    outDir,
    format: parsedFormat,
    include: result.include,
    exclude: result.exclude,
    activationPath: result.activationPath,
    quiet: result.quiet === true,
    help: false,
  };
}
