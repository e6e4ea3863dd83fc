import { TOOL_IDS, clearPendingException, getEvents, getToolName, installTracer, setDiagnosticSink, setEvents, uninstallTracer } from "@ctjs/monitoring";
import { RecorderError } from "../errors.js";
import { parseFormat, type TraceFormat } from "../formats.js";
import { RuntimeTracer } from "../runtime-tracer.js";
import { EVENT_LOG_KIND } from "../trace-events.js";
import type { EncoderLimits } from "../value-encoder.js";
import { parseValuesMode, type ValuesMode } from "../values-mode.js";
import { BatchingTraceWriter } from "./batching-writer.js";
import { ConsoleCapture } from "./console-capture.js";
import { KEEPALIVE_BODY_BYTES, isValidTraceName, traceUrl, type TraceResult } from "./dev-protocol.js";
import { warn } from "./diagnostics.js";
import { PageErrors } from "./page-errors.js";
import { clientId, defaultTraceName, devServerConfig, pageProgram } from "./page-identity.js";
import { PageLifecycle } from "./page-lifecycle.js";
import { pageLocation } from "./page.js";
import { TraceTransport } from "./trace-transport.js";

export interface BrowserStartOptions {
  /** "json" or "binary"; by default the format configured in the dev-server plugin. */
  format?: string;
  /** Name of the trace directory under the server's trace root (default `<app>-<time>-<random>`). */
  traceName?: string;
  /** URL path of the dev-server endpoint (default: injected by the plugin, else `/__ctjs/`). */
  endpoint?: string;
  /** The file the `<toplevel>` call is attributed to (default: the page's HTML file under the Vite root). */
  program?: string;
  /** Record console.log/info/debug/warn/error calls as trace events (default true). */
  captureConsole?: boolean;
  /** Value encoder limits. */
  limits?: Partial<EncoderLimits>;
  /** "changed" (default): steps write only the variables whose shown value would differ; "full": all of them. */
  values?: ValuesMode;
  /** Events gathered before a batch is sent at once. */
  batchEvents?: number;
  /** Encoded bytes per batch at most (larger ones are split). */
  batchBytes?: number;
  /** Milliseconds an event may wait in the page before its batch is sent. */
  flushDelayMs?: number;
}

const TOOL = TOOL_IDS.DEBUGGER;
/** The monitoring tool name; the node session registers under the same one. */
const RECORDER_NAME = "ctjs";
const KNOWN_OPTIONS = new Set(["format", "traceName", "endpoint", "program", "captureConsole", "limits", "values", "batchEvents", "batchBytes", "flushDelayMs"]);
/** The browser has no activation path: recording runs from start() to stop(). */
const ALWAYS_ACTIVE = Object.freeze({ isActive: true, enter: () => true });

class BrowserSession {
  readonly console = new ConsoleCapture();
  readonly errors = new PageErrors();
  readonly lifecycle = new PageLifecycle();
  detached = false;

  constructor(
    readonly transport: TraceTransport,
    readonly writer: BatchingTraceWriter,
    readonly tracer: RuntimeTracer,
  ) {}
}

let current: BrowserSession | undefined;

/**
 * Starts recording the page into a trace that the Vite dev server writes to disk. Events are
 * buffered in the page and posted in batches. Throws a RecorderError for bad options or a
 * recording already running.
 */
export function start(options: BrowserStartOptions = {}): boolean {
  checkOptions(options);
  if (current !== undefined) throw new RecorderError("ERR_ALREADY_TRACING", `a recording is already running (trace ${current.transport.traceName})`);
  if (getToolName(TOOL) !== undefined) {
    throw new RecorderError("ERR_ALREADY_TRACING", `monitoring tool id ${TOOL} is held by ${JSON.stringify(getToolName(TOOL))}`);
  }
  const config = devServerConfig();
  const endpoint = options.endpoint ?? config.endpoint;
  const requested = options.format ?? config.format;
  const format: TraceFormat = parseFormat(requested);
  const traceName = options.traceName ?? defaultTraceName(config.root);
  if (!isValidTraceName(traceName)) {
    throw new RecorderError("ERR_INVALID_OPTION", `traceName must match [A-Za-z0-9._-]{1,100} without "..", got ${JSON.stringify(traceName)}`);
  }
  const program = options.program ?? pageProgram(config.root);

  // the callbacks below may run while the tracer is being set up, before the session exists
  let session: BrowserSession | undefined;
  const transport = new TraceTransport(endpoint, traceName, () => {
    // the server refused the trace: stop spending the page's time on events nobody keeps
    if (session !== undefined && current === session) detach(session);
  });
  transport.open({ client: clientId(), format: requested === undefined ? undefined : format, program, page: pageLocation().href });
  const writer = new BatchingTraceWriter((batch) => transport.sendBatch(batch), {
    format,
    file: traceUrl(endpoint, traceName, "events"),
    maxEvents: options.batchEvents,
    maxBytes: options.batchBytes,
    flushDelayMs: options.flushDelayMs,
    unrecorded: (work) => (session === undefined ? work() : withRecordingPaused(session, work)),
  });
  const tracer = new RuntimeTracer({ writer, activation: ALWAYS_ACTIVE, program, limits: options.limits, values: options.values });
  const started = new BrowserSession(transport, writer, tracer);
  session = started;
  current = started;
  setDiagnosticSink((message) => warn(message));
  clearPendingException();
  installTracer(TOOL, RECORDER_NAME, tracer);
  if (options.captureConsole !== false) started.console.install((kind, content) => tracer.output(kind, content));
  started.errors.install((text) => tracer.output(EVENT_LOG_KIND.Error, text));
  started.lifecycle.install({
    onHidden: () => writer.flush(),
    onPageHide: () => unload(started),
  });
  return true;
}

/**
 * Stops recording: closes every open call, sends the last batch and asks the server to finalise
 * the trace. Resolves with where the trace was written (undefined when nothing was recording or
 * the server could not be reached).
 */
export function stop(): Promise<TraceResult | undefined> {
  const session = current;
  if (session === undefined) return Promise.resolve(undefined);
  detach(session);
  return session.transport.end();
}

/** Sends the events buffered so far; resolves once the server has them. */
export function flush(): Promise<void> {
  const session = current;
  if (session === undefined) return Promise.resolve();
  session.writer.flush();
  return session.transport.drained();
}

export function isTracing(): boolean {
  return current !== undefined;
}

/**
 * Runs the recorder's own work with the tool's events off, so instrumented code it happens to
 * call is not recorded; the events are back on before the program's code runs again.
 */
function withRecordingPaused(session: BrowserSession, work: () => void): void {
  const events = current === session && getToolName(TOOL) === RECORDER_NAME ? getEvents(TOOL) : 0;
  if (events === 0) {
    work();
    return;
  }
  setEvents(TOOL, 0);
  try {
    work();
  } finally {
    if (current === session && getToolName(TOOL) === RECORDER_NAME) setEvents(TOOL, events);
  }
}

/** The page is going away: finish the trace in the page and send the rest while it still can. */
function unload(session: BrowserSession): void {
  session.writer.limitBatchBytes(KEEPALIVE_BODY_BYTES);
  detach(session);
  session.transport.unload();
}

/** Ends recording in the page: no more events, every open call closed, last events handed to the transport. */
function detach(session: BrowserSession): void {
  if (session.detached) return;
  session.detached = true;
  if (current === session) current = undefined;
  if (getToolName(TOOL) === RECORDER_NAME) uninstallTracer(TOOL);
  session.console.uninstall();
  session.errors.remove();
  session.lifecycle.uninstall();
  try {
    session.tracer.close(undefined);
    session.writer.close();
  } catch (error) {
    warn(`could not finish trace ${session.transport.traceName}: ${String(error)}`);
  }
}

function checkOptions(options: BrowserStartOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new RecorderError("ERR_INVALID_OPTION", `start() options must be an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new RecorderError("ERR_INVALID_OPTION", `unknown start() option ${JSON.stringify(key)}`);
  }
  for (const key of ["traceName", "program"] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "string" || value === "")) {
      throw new RecorderError("ERR_INVALID_OPTION", `start() option ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
    }
  }
  if (options.values !== undefined) parseValuesMode(options.values, "start() option values");
  if (options.endpoint !== undefined && (typeof options.endpoint !== "string" || !options.endpoint.startsWith("/"))) {
    throw new RecorderError("ERR_INVALID_OPTION", `start() option endpoint must be a URL path starting with "/", got ${JSON.stringify(options.endpoint)}`);
  }
}
