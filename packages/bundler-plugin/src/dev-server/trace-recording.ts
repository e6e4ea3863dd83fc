import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import {
  EVENT_LOG_KIND,
  METADATA_FILE,
  PATHS_FILE,
  RECORDER_NAME,
  RECORDER_VERSION,
  TYPE_KIND,
  copySource,
  createTraceWriter,
  prepareTraceDir,
  uuidV7,
  writeJsonAtomically,
  type TraceEvent,
  type TraceFormat,
  type TraceWriter,
} from "@ctjs/runtime";
import type { TraceResult } from "@ctjs/runtime/dev-protocol";
import { checkBatch, emptyCounts, type StreamCounts } from "./event-checks.js";

export interface RecordingSetup {
  name: string;
  /** The trace directory (must not exist, or be empty). */
  dir: string;
  format: TraceFormat;
  /** The browser tab that records. */
  client: string;
  program: string;
  page: string;
  /** Only sources inside it are copied into files/. */
  sourceRoot: string;
  /** How long to wait for missing batches once the page said how many it sent. */
  endGraceMs: number;
  /** Batches held while an earlier one is missing, at most. */
  maxHeldBatches: number;
}

/** A batch the trace cannot take in its current state (finished, stuck behind a rejected batch, too far ahead). */
export class RecordingStateError extends Error {
  override name = "RecordingStateError";
}

/** What a batch sent to `receive` came to. */
export type Receipt = "written" | "held" | "duplicate";

/** Sources larger than this are not copied into files/. */
const MAX_SOURCE_COPY_BYTES = 16 * 1024 * 1024;

/**
 * One trace being written on behalf of a page. Batches are written strictly in sequence order,
 * each exactly once; a batch that arrives early is held until the ones before it are in. After
 * every batch the writer is flushed and the sidecars are current, so the directory is a loadable
 * trace at all times. Finalising closes, in the trace itself, whatever calls the page left open
 * (when batches were lost to an unload), so the trace is always balanced.
 */
export class TraceRecording {
  readonly name: string;
  readonly dir: string;
  readonly format: TraceFormat;
  readonly client: string;
  private readonly writer: TraceWriter;
  private readonly metadata: Record<string, unknown>;
  private readonly sourceRoot: string;
  private readonly held = new Map<number, unknown[]>();
  private readonly paths: string[] = [];
  private counts: StreamCounts = emptyCounts();
  private nextSeq = 0;
  /** Set when a held batch failed its checks: nothing after it can be written. */
  private brokenAt: number | undefined;
  private expectedBatches: number | undefined;
  private endReason: string | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private result: TraceResult | undefined;
  private readonly waiters: Array<(result: TraceResult) => void> = [];

  constructor(private readonly setup: RecordingSetup) {
    this.name = setup.name;
    this.format = setup.format;
    this.client = setup.client;
    this.dir = prepareTraceDir(setup.dir);
    this.sourceRoot = realOrResolved(setup.sourceRoot);
    this.writer = createTraceWriter(setup.format, this.dir);
    this.metadata = {
      recording_id: uuidV7(),
      workdir: setup.sourceRoot,
      program: setup.program,
      args: [],
      recorder: RECORDER_NAME,
      recorder_version: RECORDER_VERSION,
      format: setup.format,
      activation_path: null,
      started_at: new Date().toISOString(),
      exit_code: null,
      page: setup.page,
    };
    writeJsonAtomically(this.dir, METADATA_FILE, this.metadata);
    writeJsonAtomically(this.dir, PATHS_FILE, this.paths);
  }

  get finished(): boolean {
    return this.result !== undefined;
  }

  /**
   * Takes batch `seq`. Writes it (and any held batches it unblocks) when it is the next one, holds
   * it when earlier ones are missing. Throws a BatchError when the batch itself fails its checks.
   */
  receive(seq: number, events: unknown[]): Receipt {
    if (this.result !== undefined) throw new RecordingStateError(`trace ${this.name} is already finished`);
    if (seq < this.nextSeq || this.held.has(seq)) return "duplicate";
    if (this.brokenAt !== undefined) throw new RecordingStateError(`trace ${this.name} stopped taking batches at batch ${this.brokenAt}, which was rejected`);
    if (seq !== this.nextSeq) {
      if (this.held.size >= this.setup.maxHeldBatches) throw new RecordingStateError(`too many batches ahead of batch ${this.nextSeq}, which is missing`);
      this.held.set(seq, events);
      return "held";
    }
    try {
      this.write(events);
    } catch (error) {
      // nothing after a rejected batch can be written: its ids would be missing
      this.brokenAt = seq;
      this.afterWrite();
      throw error;
    }
    this.nextSeq++;
    this.writeHeld();
    this.afterWrite();
    return "written";
  }

  /**
   * The page sent `batches` batches in all; resolves with the result once they are written, or
   * once the grace period for missing ones has passed.
   */
  end(batches: number, reason: string): Promise<TraceResult> {
    if (this.result !== undefined) return Promise.resolve(this.result);
    const promise = new Promise<TraceResult>((resolve) => this.waiters.push(resolve));
    this.expectedBatches = this.expectedBatches === undefined ? batches : Math.max(this.expectedBatches, batches);
    this.endReason ??= reason;
    this.afterWrite();
    if (this.result === undefined && this.graceTimer === undefined) {
      this.graceTimer = setTimeout(() => this.finalise(`${this.endReason}, batches missing`), this.setup.endGraceMs);
      this.graceTimer.unref();
    }
    return promise;
  }

  /** Closes the trace now, balancing calls left open; idempotent. */
  finalise(endedBy: string): TraceResult {
    if (this.result !== undefined) return this.result;
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    let complete = this.expectedBatches !== undefined && this.nextSeq >= this.expectedBatches && this.brokenAt === undefined;
    let error: string | undefined;
    try {
      if (this.counts.depth > 0) this.closeOpenCalls(endedBy);
      this.writer.close();
      Object.assign(this.metadata, { finished_at: new Date().toISOString(), events: this.writer.eventCount, ended_by: endedBy, complete });
      writeJsonAtomically(this.dir, METADATA_FILE, this.metadata);
      writeJsonAtomically(this.dir, PATHS_FILE, this.paths);
    } catch (failure) {
      // the disk refused (full, removed): the trace is what the last successful flush left
      complete = false;
      error = failure instanceof Error ? failure.message : String(failure);
    }
    this.held.clear();
    this.result = { trace: this.name, dir: this.dir, format: this.format, events: this.writer.eventCount, complete, endedBy, ...(error === undefined ? {} : { error }) };
    for (const resolve of this.waiters.splice(0)) resolve(this.result);
    return this.result;
  }

  private write(events: unknown[]): void {
    const after = checkBatch(events, this.counts);
    const pathsBefore = this.paths.length;
    for (const event of events as TraceEvent[]) {
      this.writer.write(event);
      if ("Path" in event) this.paths.push(event.Path);
    }
    this.counts = after;
    this.writer.flush();
    if (this.paths.length !== pathsBefore) {
      writeJsonAtomically(this.dir, PATHS_FILE, this.paths);
      for (const source of this.paths.slice(pathsBefore)) this.copySource(source);
    }
  }

  /** Writes the held batches that now follow on; a faulty one ends the stream there. */
  private writeHeld(): void {
    for (let events = this.held.get(this.nextSeq); events !== undefined && this.brokenAt === undefined; events = this.held.get(this.nextSeq)) {
      this.held.delete(this.nextSeq);
      try {
        this.write(events);
        this.nextSeq++;
      } catch {
        this.brokenAt = this.nextSeq;
      }
    }
  }

  private afterWrite(): void {
    if (this.expectedBatches !== undefined && (this.nextSeq >= this.expectedBatches || this.brokenAt !== undefined)) {
      this.finalise(this.brokenAt === undefined ? this.endReason ?? "stop" : `${this.endReason}, batch ${this.brokenAt} rejected`);
    }
  }

  /** The calls the page never closed end with a Raw value saying why; an error event says what was lost. */
  private closeOpenCalls(endedBy: string): void {
    const typeId = this.counts.types;
    this.writer.write({ Type: { kind: TYPE_KIND.Raw, lang_type: "interrupted", specific_info: { kind: "None" } } });
    const value = { kind: "Raw" as const, r: `<recording interrupted: ${endedBy}>`, type_id: typeId };
    for (let open = this.counts.depth; open > 0; open--) this.writer.write({ Return: { return_value: value } });
    this.writer.write({ Event: { kind: EVENT_LOG_KIND.Error, metadata: "", content: `ctjs: the recording ended without the page's last events (${endedBy}); open calls were closed by the dev server` } });
    this.counts = { ...this.counts, types: typeId + 1, depth: 0 };
  }

  /** Copies an instrumented source into files/, if it is a regular file inside the source root. */
  private copySource(source: string): void {
    if (!path.isAbsolute(source)) return;
    try {
      const real = realpathSync(source);
      if (real !== this.sourceRoot && !real.startsWith(this.sourceRoot + path.sep)) return;
      const stats = statSync(real);
      if (!stats.isFile() || stats.size > MAX_SOURCE_COPY_BYTES) return;
      copySource(this.dir, source);
    } catch {
      // a source that vanished or cannot be read stays without its copy
    }
  }
}

function realOrResolved(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}
