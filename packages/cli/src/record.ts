import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { defaultTraceDir, eventsFileName, isRecorderError, prepareTraceDir, METADATA_FILE } from "@ctjs/runtime";
import { RECORD_CONFIG_ENV, encodeRecordConfig, type RecordConfig } from "./record-config.js";
import type { RecordArgs } from "./record-args.js";
import { moduleFormat } from "./source-kinds.js";
import { StatusLine, formatBytes } from "./status-line.js";
import { UsageError } from "./usage-error.js";

const REGISTER = fileURLToPath(new URL("./register.js", import.meta.url));

/**
 * Runs the script in a child `node` with ctjs's load-time instrumentation, waits for it, reports
 * where the trace went, and returns the program's exit status (re-raising a fatal signal).
 */
export async function record(args: RecordArgs): Promise<number> {
  if (!isFile(args.script)) throw new UsageError(`script not found: ${args.script}`);
  const activationPath = args.activationPath === undefined ? undefined : path.resolve(args.activationPath);
  // a mistyped activation path would silently record nothing
  if (activationPath !== undefined && !isFile(activationPath)) throw new UsageError(`activation path not found: ${activationPath}`);
  const cwd = process.cwd();
  const disabled = isDisabled(process.env.CTJS_DISABLED);
  let outDir = "";
  if (!disabled) try {
    outDir = prepareTraceDir(args.outDir ?? defaultTraceDir(args.script, cwd));
  } catch (error) {
    throw new UsageError(isRecorderError(error) ? error.message : String(error));
  }
  const config: RecordConfig = {
    outDir,
    format: args.format,
    values: args.values,
    maxStepNodes: args.maxStepNodes,
    include: args.include,
    exclude: args.exclude,
    cwd,
    activationPath,
    quiet: args.quiet,
    disabled,
  };
  const env = { ...process.env, [RECORD_CONFIG_ENV]: encodeRecordConfig(config) };
  // preloaded the way node loads the entry point: a CommonJS program then loads without the ESM loader
  const preload = moduleFormat(args.script, readFileSync(args.script, "utf8")) === "module" ? "--import" : "--require";
  const child = spawn(process.execPath, [...process.execArgv, preload, REGISTER, args.script, ...args.scriptArgs], { stdio: "inherit", env });
  const eventsFile = path.join(outDir, eventsFileName(args.format));
  const status = !disabled && !args.quiet && process.stderr.isTTY ? new StatusLine(process.stderr, () => progress(outDir, eventsFile)) : undefined;
  status?.start();
  // the terminal sends Ctrl-C to the whole process group: the child handles it, ctjs waits
  const ignore = () => {};
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on("SIGINT", ignore);
  const onTerm = forward("SIGTERM");
  const onHup = forward("SIGHUP");
  process.on("SIGTERM", onTerm);
  process.on("SIGHUP", onHup);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on("exit", (c, s) => resolve([c, s]));
    child.on("error", () => resolve([1, null]));
  });
  status?.stop();
  process.off("SIGINT", ignore);
  process.off("SIGTERM", onTerm);
  process.off("SIGHUP", onHup);
  if (!args.quiet && !disabled) {
    const { events, bytes } = progress(outDir, eventsFile);
    process.stderr.write(`ctjs: trace written to ${outDir} (${events === undefined ? "unfinished: the recorder did not stop" : `${events} events`}, ${formatBytes(bytes)})\n`);
  }
  if (signal !== null) {
    // end the way the program ended; where that signal does not end ctjs, the shell's convention
    process.kill(process.pid, signal);
    return 128 + (constants.signals[signal] ?? 0);
  }
  return code ?? 1;
}

/**
 * Events and bytes written so far. The event count is the one trace_metadata.json holds, which
 * the recorder writes when it stops (undefined before that).
 */
function progress(outDir: string, eventsFile: string): { events: number | undefined; bytes: number } {
  let events: number | undefined;
  try {
    const meta = JSON.parse(readFileSync(path.join(outDir, METADATA_FILE), "utf8")) as { events?: unknown };
    if (typeof meta.events === "number") events = meta.events;
  } catch {
    events = undefined;
  }
  let bytes = 0;
  try {
    bytes = statSync(eventsFile).size;
  } catch {
    bytes = 0;
  }
  return { events, bytes };
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

function isDisabled(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}
