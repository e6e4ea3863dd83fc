import { mkdirSync } from "node:fs";
import path from "node:path";
import { isRecorderError, parseFormat, type TraceFormat } from "@ctjs/runtime";
import type { EndReason, StartRequest, StartResponse, TraceResult } from "@ctjs/runtime/dev-protocol";
import { HttpError } from "./http-replies.js";
import { BatchError } from "./event-checks.js";
import { RecordingStateError, TraceRecording, type Receipt } from "./trace-recording.js";

export interface TraceStoreOptions {
  /** Directory the traces are written under, one subdirectory per trace name. */
  traceRoot: string;
  /** Format when the page asks for none. */
  format: TraceFormat;
  /** Sources inside it are copied into each trace's files/ (the Vite root). */
  sourceRoot: string;
  /** How long a trace waits for batches missing at its end (default 3 s). */
  endGraceMs?: number;
  /** How long requests that came before their trace's `start` are kept (default 30 s). */
  earlyTtlMs?: number;
  /** Out-of-order batches held per trace (default 256). */
  maxHeldBatches?: number;
}

/** Requests for a trace whose `start` has not arrived yet (they may overtake it during an unload). */
interface EarlyRequests {
  readonly since: number;
  readonly batches: Map<number, unknown[]>;
  end?: { batches: number; reason: EndReason };
}

/** Finished traces remembered, so a repeated `end` gets the same answer and late batches a clear refusal. */
const REMEMBERED_RESULTS = 200;
const MAX_EARLY_TRACES = 16;

/**
 * The dev server's traces: the ones being written, by name, and the tab (client) each belongs to.
 * A trace is finalised when its page stops it, when the page's unload message says how many
 * batches it sent, when the same tab starts another recording (the previous page never said
 * goodbye, e.g. it crashed), or when the server closes.
 */
export class TraceStore {
  private readonly open = new Map<string, TraceRecording>();
  private readonly early = new Map<string, EarlyRequests>();
  private readonly results = new Map<string, TraceResult>();
  private readonly endGraceMs: number;
  private readonly earlyTtlMs: number;
  private readonly maxHeldBatches: number;

  constructor(private readonly options: TraceStoreOptions) {
    this.endGraceMs = options.endGraceMs ?? 3000;
    this.earlyTtlMs = options.earlyTtlMs ?? 30_000;
    this.maxHeldBatches = options.maxHeldBatches ?? 256;
  }

  get traceRoot(): string {
    return this.options.traceRoot;
  }

  /** Names of the traces still being written. */
  get openTraces(): string[] {
    return [...this.open.keys()];
  }

  start(name: string, request: StartRequest): StartResponse {
    this.forgetStaleEarly();
    const running = this.open.get(name);
    if (running !== undefined) {
      // a resend of the same start (the page unloaded while it was in flight)
      if (running.client === request.client) return { trace: name, dir: running.dir, format: running.format };
      throw new HttpError(409, `trace ${name} is already being recorded by another page`);
    }
    if (this.results.has(name)) throw new HttpError(409, `trace ${name} already exists`);
    let format: TraceFormat;
    try {
      format = request.format === undefined ? this.options.format : parseFormat(request.format);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    for (const other of [...this.open.values()]) {
      if (other.client === request.client) this.finish(other, "replaced by a new recording from the same tab");
    }
    const dir = path.join(this.options.traceRoot, name);
    let recording: TraceRecording;
    try {
      mkdirSync(this.options.traceRoot, { recursive: true });
      recording = new TraceRecording({
        name,
        dir,
        format,
        client: request.client,
        program: request.program,
        page: request.page,
        sourceRoot: this.options.sourceRoot,
        endGraceMs: this.endGraceMs,
        maxHeldBatches: this.maxHeldBatches,
      });
    } catch (error) {
      if (isRecorderError(error) && error.code === "ERR_TRACE_DIR_CONFLICT") throw new HttpError(409, error.message);
      throw error;
    }
    this.open.set(name, recording);
    this.adoptEarly(recording);
    return { trace: name, dir: recording.dir, format };
  }

  /** Takes batch `seq` of trace `name`; throws an HttpError for a finished or unknown trace. */
  events(name: string, seq: number, events: unknown[]): Receipt {
    const recording = this.open.get(name);
    if (recording !== undefined) {
      try {
        return this.afterUse(recording, recording.receive(seq, events));
      } catch (error) {
        this.afterUse(recording, undefined);
        if (error instanceof BatchError) throw new HttpError(400, `invalid event batch: ${error.message}`);
        if (error instanceof RecordingStateError) throw new HttpError(409, error.message);
        throw error;
      }
    }
    if (this.results.has(name)) throw new HttpError(409, `trace ${name} is already finished`);
    const early = this.earlyFor(name);
    if (early.batches.size >= this.maxHeldBatches) throw new HttpError(409, `too many batches for trace ${name}, which was never started`);
    if (!early.batches.has(seq)) early.batches.set(seq, events);
    return "held";
  }

  /**
   * No batches after `batches - 1`. Resolves with the finished trace; for a trace not started yet
   * (an unload overtaking its start) resolves with undefined and waits for the start.
   */
  async end(name: string, batches: number, reason: EndReason): Promise<TraceResult | undefined> {
    const known = this.results.get(name);
    if (known !== undefined) return known;
    const recording = this.open.get(name);
    if (recording !== undefined) {
      const result = await recording.end(batches, reason);
      this.forget(recording, result);
      return result;
    }
    if (reason === "stop") throw new HttpError(404, `no trace ${name} is being recorded`);
    this.earlyFor(name).end = { batches, reason };
    return undefined;
  }

  /** Finalises every open trace (the server is closing). */
  closeAll(reason: string): TraceResult[] {
    return [...this.open.values()].map((recording) => this.finish(recording, reason));
  }

  private finish(recording: TraceRecording, reason: string): TraceResult {
    const result = recording.finalise(reason);
    this.forget(recording, result);
    return result;
  }

  private afterUse<T>(recording: TraceRecording, value: T): T {
    if (recording.finished) this.forget(recording, recording.finalise("finished"));
    return value;
  }

  private forget(recording: TraceRecording, result: TraceResult): void {
    if (this.open.get(recording.name) === recording) this.open.delete(recording.name);
    this.results.delete(recording.name);
    this.results.set(recording.name, result);
    if (this.results.size > REMEMBERED_RESULTS) this.results.delete(this.results.keys().next().value!);
  }

  private earlyFor(name: string): EarlyRequests {
    this.forgetStaleEarly();
    let early = this.early.get(name);
    if (early === undefined) {
      if (this.early.size >= MAX_EARLY_TRACES) throw new HttpError(409, `trace ${name} was never started`);
      early = { since: Date.now(), batches: new Map() };
      this.early.set(name, early);
    }
    return early;
  }

  private adoptEarly(recording: TraceRecording): void {
    const early = this.early.get(recording.name);
    if (early === undefined) return;
    this.early.delete(recording.name);
    for (const [seq, events] of [...early.batches].sort(([a], [b]) => a - b)) {
      try {
        recording.receive(seq, events);
      } catch {
        break;
      }
    }
    if (early.end !== undefined) {
      void recording.end(early.end.batches, early.end.reason).then((result) => this.forget(recording, result));
    }
    this.afterUse(recording, undefined);
  }

  private forgetStaleEarly(): void {
    const now = Date.now();
    for (const [name, early] of this.early) if (now - early.since > this.earlyTtlMs) this.early.delete(name);
  }
}
