import path from "node:path";
import { types } from "node:util";
import { EVENTS, TOOL_IDS, clearPendingException, getToolName, installTracer, setDiagnosticSink, setEvents, uninstallTracer, type FileTable } from "@ctjs/monitoring";
import { Activation } from "./activation.js";
import { RecorderError } from "./errors.js";
import { parseFormat, type TraceFormat } from "./formats.js";
import { OutputCapture } from "./io-capture.js";
import { logError } from "./logging.js";
import { METADATA_FILE, PATHS_FILE, copySource, defaultTraceDir, prepareTraceDir, writeJsonAtomically } from "./output-paths.js";
import { ProcessHooks } from "./process-hooks.js";
import { uuidV7 } from "./recording-id.js";
import { RuntimeTracer } from "./runtime-tracer.js";
import { resolveLimits, type EncoderLimits } from "./value-encoder.js";
import { DEFAULT_VALUES_MODE, parseValuesMode, type ValuesMode } from "./values-mode.js";
import { createTraceWriter } from "./writers/index.js";
import type { TraceWriter } from "./trace-events.js";

export const RECORDER_NAME = "ctjs";
export const RECORDER_VERSION = "0.1.0";

export interface StartOptions {
  /** Trace directory; created if missing, must be empty if it exists. Default ./ct-traces/<program>-<time>. */
  outDir?: string;
  /** "json" or "binary" (default). */
  format?: string;
  /** Record only from the first time execution enters this file. */
  activationPath?: string;
  /** The program recorded (default process.argv[1]); the `<toplevel>` call is attributed to it. */
  program?: string;
  /** Its arguments (default process.argv.slice(2)). */
  args?: string[];
  /** Working directory written to the metadata (default process.cwd()). */
  workdir?: string;
  /** Capture process.stdout / process.stderr writes as trace events (default true). */
  captureOutput?: boolean;
  /** Finish the trace automatically when the process exits (default true). */
  processHooks?: boolean;
  /** Value encoder limits. */
  limits?: Partial<EncoderLimits>;
  /**
   * "changed" (default; env CTJS_VALUES): a line step writes a variable only when what CodeTracer
   * would show for it differs; "full": every visible variable at every step.
   */
  values?: ValuesMode;
  /** Bytes buffered before the writer flushes on its own. */
  batchBytes?: number;
  /**
   * Binary format: compress on a worker thread (default off; env CTJS_COMPRESSION_THREAD=1). It
   * takes the compression off the program's thread at the cost of a thread and ~15 MiB.
   */
  compressionThread?: boolean;
}

export interface StopOptions {
  exitCode?: number;
}

/** What a finished (or flushed) recording amounts to. */
export interface TraceSummary {
  outDir: string;
  format: TraceFormat;
  eventsFile: string;
  events: number;
  bytes: number;
  calls: number;
  steps: number;
}

const TOOL = TOOL_IDS.DEBUGGER;
const KNOWN_OPTIONS = new Set([
  "outDir", "format", "activationPath", "program", "args", "workdir", "captureOutput", "processHooks", "limits", "batchBytes", "values", "compressionThread",
]);

class Session {
  readonly capture = new OutputCapture();
  readonly hooks = new ProcessHooks();
  uncaught: string | undefined;
  finished = false;

  constructor(
    readonly outDir: string,
    readonly format: TraceFormat,
    readonly writer: TraceWriter,
    readonly tracer: RuntimeTracer,
    readonly metadata: Record<string, unknown>,
  ) {}

  private writtenPaths = 0;

  writeSidecars(): void {
    if (this.tracer.paths.length !== this.writtenPaths || this.writtenPaths === 0) {
      writeJsonAtomically(this.outDir, PATHS_FILE, this.tracer.paths);
      this.writtenPaths = this.tracer.paths.length;
    }
  }

  flush(): void {
    this.writer.flush();
    this.writeSidecars();
  }

  summary(): TraceSummary {
    return {
      outDir: this.outDir,
      format: this.format,
      eventsFile: this.writer.file,
      events: this.writer.eventCount,
      bytes: this.writer.bytesOnDisk,
      calls: this.tracer.counts.calls,
      steps: this.tracer.counts.steps,
    };
  }
}

let current: Session | undefined;

function disabledByEnvironment(): boolean {
  const value = process.env.CTJS_DISABLED;
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

function checkOptions(options: StartOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new RecorderError("ERR_INVALID_OPTION", `start() options must be an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new RecorderError("ERR_INVALID_OPTION", `unknown start() option ${JSON.stringify(key)}`);
  }
  for (const key of ["outDir", "activationPath", "program", "workdir"] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== "string" || v === "")) {
      throw new RecorderError("ERR_INVALID_OPTION", `start() option ${key} must be a non-empty string, got ${JSON.stringify(v)}`);
    }
  }
  if (options.args !== undefined && (!Array.isArray(options.args) || !options.args.every((a) => typeof a === "string"))) {
    throw new RecorderError("ERR_INVALID_OPTION", `start() option args must be an array of strings`);
  }
  if (options.values !== undefined) parseValuesMode(options.values, "start() option values");
  for (const key of ["captureOutput", "processHooks", "compressionThread"] as const) {
    const v = options[key];
    if (v !== undefined && typeof v !== "boolean") throw new RecorderError("ERR_INVALID_OPTION", `start() option ${key} must be a boolean, got ${JSON.stringify(v)}`);
  }
  if (options.limits !== undefined) {
    if (typeof options.limits !== "object" || options.limits === null) {
      throw new RecorderError("ERR_INVALID_OPTION", `start() option limits must be an object, got ${String(options.limits)}`);
    }
    try {
      resolveLimits(options.limits);
    } catch (error) {
      throw new RecorderError("ERR_INVALID_OPTION", `start() option limits: ${(error as Error).message}`);
    }
  }
}

/**
 * Starts recording. Returns false (and records nothing) when CTJS_DISABLED is set. Throws a
 * RecorderError for bad options, a session already running, or an unusable trace directory.
 */
export function start(options: StartOptions = {}): boolean {
  checkOptions(options);
  if (disabledByEnvironment()) return false;
  if (current !== undefined) {
    throw new RecorderError("ERR_ALREADY_TRACING", `a recording is already running into ${current.outDir}`);
  }
  const format = parseFormat(options.format);
  const envValues = process.env.CTJS_VALUES;
  const values = options.values ?? (envValues ? parseValuesMode(envValues, "CTJS_VALUES") : DEFAULT_VALUES_MODE);
  const workdir = path.resolve(options.workdir ?? process.cwd());
  const program = path.resolve(workdir, options.program ?? process.argv[1] ?? "<program>");
  const args = options.args ?? process.argv.slice(2);
  if (getToolName(TOOL) !== undefined) {
    throw new RecorderError("ERR_ALREADY_TRACING", `monitoring tool id ${TOOL} is held by ${JSON.stringify(getToolName(TOOL))}`);
  }
  const outDir = prepareTraceDir(options.outDir ?? defaultTraceDir(program, workdir));
  const activation = new Activation(options.activationPath, workdir);
  const writer = createTraceWriter(format, outDir, { batchBytes: options.batchBytes, compressionThread: options.compressionThread });
  const copied = new Set<string>();
  const tracer = new RuntimeTracer({
    writer,
    activation,
    program,
    limits: options.limits,
    values,
    onActivate: () => {
      // the activation path was entered: from now on every event is wanted
      if (current?.tracer === tracer) setEvents(TOOL, fullEvents);
    },
    onNewPath: (p: string, _table: FileTable | undefined) => {
      if (!copied.has(p)) {
        copied.add(p);
        copySource(outDir, p);
      }
    },
  });
  const metadata: Record<string, unknown> = {
    recording_id: uuidV7(),
    workdir,
    program,
    args,
    recorder: RECORDER_NAME,
    recorder_version: RECORDER_VERSION,
    format,
    values,
    activation_path: activation.activationPath ?? null,
    started_at: new Date().toISOString(),
    exit_code: null,
  };
  const session = new Session(outDir, format, writer, tracer, metadata);
  writeJsonAtomically(outDir, METADATA_FILE, metadata);
  session.flush();
  current = session;
  setDiagnosticSink((message) => logError(message));
  clearPendingException();
  const fullEvents = installTracer(TOOL, RECORDER_NAME, tracer);
  if (!activation.isActive) {
    // armed: only function entries are watched until the activation path is entered
    setEvents(TOOL, 1 << EVENTS.FUNCTION_START);
  }
  if (options.captureOutput !== false) session.capture.install((kind, content) => tracer.output(kind, content));
  if (options.processHooks !== false) {
    session.hooks.install({
      onExit: (code) => {
        if (current === session) stop({ exitCode: code });
      },
      onUncaught: (error) => {
        session.uncaught = describeError(error);
      },
    });
  }
  return true;
}


/** Stops recording: closes every open call, writes the sidecars, and returns a summary. */
export function stop(options: StopOptions = {}): TraceSummary | undefined {
  const session = current;
  if (session === undefined) return undefined;
  current = undefined;
  uninstallTracer(TOOL);
  session.capture.uninstall();
  session.hooks.uninstall();
  const exitCode = options.exitCode ?? (typeof process.exitCode === "number" ? process.exitCode : undefined);
  try {
    session.tracer.close(exitCode, session.uncaught);
    session.writer.close();
    session.metadata.exit_code = exitCode ?? null;
    session.metadata.finished_at = new Date().toISOString();
    session.metadata.events = session.writer.eventCount;
    writeJsonAtomically(session.outDir, METADATA_FILE, session.metadata);
    session.writeSidecars();
  } catch (error) {
    logError(`could not finish the trace in ${session.outDir}: ${describeError(error)}`);
  }
  return session.summary();
}

/** Writes buffered events so that the directory on disk is a complete trace up to now. */
export function flush(): void {
  current?.flush();
}

export function isTracing(): boolean {
  return current !== undefined;
}

/** The running session's figures so far (undefined when not tracing). */
export function currentSummary(): TraceSummary | undefined {
  return current?.summary();
}

/**
 * Records `fn` from start to end: starts, runs it, stops (also when it throws or rejects), and
 * returns what `fn` returns (a promise for async functions).
 */
export function trace<T>(options: StartOptions, fn: () => T): T {
  if (typeof fn !== "function") throw new RecorderError("ERR_INVALID_OPTION", `trace() needs a function, got ${typeof fn}`);
  start({ processHooks: false, ...options });
  let result: T;
  try {
    result = fn();
  } catch (error) {
    stop();
    throw error;
  }
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    return (result as unknown as Promise<unknown>).then(
      (value) => {
        stop();
        return value;
      },
      (error: unknown) => {
        stop();
        throw error;
      },
    ) as T;
  }
  stop();
  return result;
}

/** "Name: message" of a thrown value, read from data properties only (no getters run). */
function describeError(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const name = dataProperty(error, "name");
    const message = dataProperty(error, "message");
    if (typeof name === "string" || typeof message === "string") {
      return `Uncaught ${typeof name === "string" ? name : "Error"}${typeof message === "string" && message ? `: ${message}` : ""}`;
    }
    return "Uncaught exception (object)";
  }
  if (typeof error === "string") return `Uncaught ${JSON.stringify(error)}`;
  if (typeof error === "symbol") return "Uncaught Symbol";
  return `Uncaught ${String(error)}`;
}

function dataProperty(object: object, key: string): unknown {
  if (types.isProxy(object)) return undefined;
  for (let o: object | null = object, depth = 0; o !== null && depth < 50; depth++) {
    let descriptor: PropertyDescriptor | undefined;
    try {
      if (types.isProxy(o)) return undefined;
      descriptor = Object.getOwnPropertyDescriptor(o, key);
      if (descriptor !== undefined) return "value" in descriptor ? descriptor.value : undefined;
      o = Object.getPrototypeOf(o) as object | null;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
