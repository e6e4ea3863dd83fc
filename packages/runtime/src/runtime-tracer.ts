import { CLOSED, type FileTable, type Frame, type Tracer } from "@ctjs/monitoring";
import type { Activation } from "./activation.js";
import { EVENT_LOG_KIND, TYPE_KIND, type EventLogKind, type FullValueRecord, type TraceWriter, type ValueRecord } from "./trace-events.js";
import { TypeTable } from "./type-registry.js";
import { createValueEncoder, type EncoderLimits, type ValueEncoder } from "./value-encoder.js";
import { accumulatesValues, isPrimitive, ShownValues } from "./shown-values.js";
import { apply, weakMapGet, weakMapSet } from "./builtin-kinds.js";
import { sameValueRecord } from "./value-record-equality.js";
import { DEFAULT_VALUES_MODE, type ValuesMode } from "./values-mode.js";

/** Per-session ids of one instrumented file, kept on the file table under a private symbol. */
interface FileIds {
  readonly tracer: RuntimeTracer;
  readonly pathId: number;
  /** Global FunctionId per function index, -1 until its Function event is written. */
  readonly fnIds: Int32Array;
  /** Global VariableId per name index, -1 until its VariableName event is written. */
  readonly varIds: Int32Array;
}

const FILE_IDS = Symbol("ctjs.fileIds");
type TableWithIds = FileTable & { [FILE_IDS]?: FileIds };

/** What a class's reader of private fields returns for a field the object lacks (its brand check failed). */
const ABSENT_FIELD: unknown = Object.freeze({});
const isArray = Array.isArray;

/** What the tracer keeps on a frame it recorded. */
interface FrameData {
  readonly tracer: RuntimeTracer;
  readonly functionId: number;
  readonly pathId: number;
  readonly line: number;
  /**
   * What the frame's open call shows (its arguments and the values of its steps so far), new at
   * each Call; undefined when its steps write every variable (see `accumulating`).
   */
  shown: ShownValues | undefined;
}

export interface RuntimeTracerOptions {
  writer: TraceWriter;
  /** Only its gate is used, so the browser can pass an always-open one without node:path. */
  activation: Pick<Activation, "isActive" | "enter">;
  /** The program's entry path: the `<toplevel>` call is attributed to it. */
  program: string;
  limits?: Partial<EncoderLimits>;
  /** "changed" (default): a step writes only the variables whose shown value would differ; "full": all of them. */
  values?: ValuesMode;
  /** Called when an armed tracer's activation path is first entered. */
  onActivate?: () => void;
  /** Called once per new source path (the session copies the file into files/). */
  onNewPath?: (path: string, table: FileTable | undefined) => void;
}

export interface TracerCounts {
  calls: number;
  steps: number;
}

/**
 * The recorder as a monitoring tool: turns probe callbacks into CodeTracer events. It keeps the
 * stack of recorded frames so that the event stream stays a well-nested call tree: suspension
 * pops a frame, resumption pushes it again, and every frame still open at the end is closed.
 */
export class RuntimeTracer implements Tracer {
  private readonly writer: TraceWriter;
  /** The writer's shortcuts for Step and Value events, or the same through `write`. */
  private readonly writeStep: (pathId: number, line: number) => void;
  private readonly writeValue: (variableId: number, value: ValueRecord) => void;
  private readonly activation: RuntimeTracerOptions["activation"];
  private readonly encoder: ValueEncoder;
  private readonly types: TypeTable;
  private readonly onNewPath: RuntimeTracerOptions["onNewPath"];
  private readonly onActivate: RuntimeTracerOptions["onActivate"];
  private readonly pathIds = new Map<string, number>();
  private readonly variableIds = new Map<string, number>();
  private readonly stack: Frame[] = [];
  private functionCount = 0;
  private toplevel: { pathId: number; functionId: number; shown: ShownValues | undefined } | undefined;
  private readonly valuesMode: ValuesMode;
  /** Per function id: CodeTracer accumulates its values over a call, and the session writes only changes. */
  private readonly accumulating: boolean[] = [];
  /** The latest record of each object a view holds (see sharedRecord). */
  private readonly lastRecordOf = new WeakMap<object, ValueRecord>();
  private closed = false;
  readonly paths: string[] = [];
  readonly counts: TracerCounts = { calls: 0, steps: 0 };

  constructor(options: RuntimeTracerOptions) {
    const writer = (this.writer = options.writer);
    this.writeStep = writer.step ? writer.step.bind(writer) : (path_id, line) => writer.write({ Step: { path_id, line } });
    this.writeValue = writer.value ? writer.value.bind(writer) : (variable_id, value) => writer.write({ Value: { variable_id, value } });
    this.activation = options.activation;
    this.onNewPath = options.onNewPath;
    this.onActivate = options.onActivate;
    this.types = new TypeTable((type) => this.writer.write({ Type: type }));
    this.encoder = createValueEncoder(this.types, options.limits);
    this.valuesMode = options.values ?? DEFAULT_VALUES_MODE;
    if (this.activation.isActive) this.openToplevel(options.program);
    else this.pendingProgram = options.program;
  }

  private pendingProgram: string | undefined;

  /** Calls of functions defined in `path` write only the values that change (see ShownValues). */
  private writesChanges(path: string): boolean {
    return this.valuesMode === "changed" && accumulatesValues(path);
  }

  get isRecording(): boolean {
    return this.activation.isActive && !this.closed;
  }

  // -- registration ----------------------------------------------------------------------------

  private pathId(path: string, table?: FileTable): number {
    let id = this.pathIds.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.pathIds.set(path, id);
      this.writer.write({ Path: path });
      this.onNewPath?.(path, table);
    }
    return id;
  }

  private fileIds(file: FileTable): FileIds {
    const table = file as TableWithIds;
    const known = table[FILE_IDS];
    if (known !== undefined && known.tracer === this) return known;
    const ids: FileIds = {
      tracer: this,
      pathId: this.pathId(file.path, file),
      fnIds: new Int32Array(file.fns.length).fill(-1),
      varIds: new Int32Array(file.names.length).fill(-1),
    };
    try {
      Object.defineProperty(table, FILE_IDS, { value: ids, writable: true, configurable: true, enumerable: false });
    } catch {
      // a frozen table cannot cache ids; fall back to registering again (same path id)
    }
    return ids;
  }

  private functionId(file: FileTable, ids: FileIds, fn: number): number {
    let id = ids.fnIds[fn]!;
    if (id < 0) {
      const entry = file.fns[fn]!;
      id = this.functionCount++;
      this.writer.write({ Function: { path_id: ids.pathId, line: Math.max(1, entry[1]), name: entry[0] } });
      this.accumulating[id] = file.values !== "full" && this.writesChanges(file.path);
      ids.fnIds[fn] = id;
    }
    return id;
  }

  private variableId(file: FileTable, ids: FileIds, nameIndex: number): number {
    let id = ids.varIds[nameIndex]!;
    if (id < 0) {
      id = this.variableIdByName(file.names[nameIndex] ?? `<var ${nameIndex}>`);
      ids.varIds[nameIndex] = id;
    }
    return id;
  }

  private variableIdByName(name: string): number {
    let id = this.variableIds.get(name);
    if (id === undefined) {
      id = this.variableIds.size;
      this.variableIds.set(name, id);
      this.writer.write({ VariableName: name });
    }
    return id;
  }

  private openToplevel(program: string): void {
    const pathId = this.pathId(program);
    const functionId = this.functionCount++;
    this.writer.write({ Function: { path_id: pathId, line: 1, name: "<toplevel>" } });
    this.toplevel = { pathId, functionId, shown: this.writesChanges(program) ? new ShownValues() : undefined };
    // no Step before the first Call: the reader would open a synthetic top-level call for it
    this.writer.write({ Call: { function_id: functionId, args: [] } });
    this.writer.write({ Step: { path_id: pathId, line: 1 } });
    this.counts.calls++;
    this.counts.steps++;
  }

  private ensureActive(file: FileTable): boolean {
    if (this.closed) return false;
    if (this.activation.isActive) return true;
    if (!this.activation.enter(file.path)) return false;
    this.openToplevel(this.pendingProgram ?? file.path);
    this.onActivate?.();
    return true;
  }

  // -- monitoring callbacks --------------------------------------------------------------------

  onStart(frame: Frame, args: unknown[]): void {
    if (!this.ensureActive(frame.file)) return;
    const file = frame.file;
    const ids = this.fileIds(file);
    const entry = file.fns[frame.fn];
    if (entry === undefined) return;
    const functionId = this.functionId(file, ids, frame.fn);
    const params = entry[3];
    const argRecords: FullValueRecord[] = [];
    this.encoder.startMoment();
    for (let i = 0; i < params.length && i < args.length; i++) {
      argRecords.push({ variable_id: this.variableId(file, ids, params[i]!), value: this.encoder.encodeMore(args[i]) });
    }
    const data: FrameData = { tracer: this, functionId, pathId: ids.pathId, line: Math.max(1, entry[1]), shown: undefined };
    this.pushCall(frame, data, argRecords, args);
    frame.data = data;
  }

  onResume(frame: Frame, value: unknown): void {
    const data = this.dataOf(frame);
    if (data === undefined) return;
    const args: FullValueRecord[] = value === undefined ? [] : [{ variable_id: this.variableIdByName("<resumed>"), value: this.encoder.encode(value) }];
    this.pushCall(frame, data, args, [value]);
  }

  onReturn(frame: Frame, value: unknown): void {
    if (this.dataOf(frame) === undefined) return;
    const record = value === CLOSED ? { kind: "Raw" as const, r: "<closed by return() or throw()>", type_id: this.types.typeId(TYPE_KIND.Raw, "closed") } : this.encoder.encode(value);
    this.popTo(frame, record);
  }

  onYield(frame: Frame, value: unknown): void {
    if (this.dataOf(frame) === undefined) return;
    this.popTo(frame, this.encoder.encode(value));
  }

  onUnwind(frame: Frame, exception: unknown, known: boolean): void {
    if (this.dataOf(frame) === undefined) return;
    this.popTo(frame, this.thrownRecord(exception, known));
  }

  /** Listening to RAISE lets the monitoring layer name the exception an unwinding frame carries. */
  onRaise(): void {}

  /** Listening to EXCEPTION_HANDLED lets the monitoring layer forget a caught exception. */
  onHandled(): void {}

  onLine(file: FileTable, frame: Frame | null, site: number, values: unknown[]): void {
    if (!this.activation.isActive || this.closed) return;
    if (frame !== null && this.stack[this.stack.length - 1] !== frame) this.heal(frame);
    const ids = this.fileIds(file);
    const entry = file.sites[site];
    if (entry === undefined) return;
    this.writeStep(ids.pathId, Math.max(1, entry[0]));
    this.counts.steps++;
    this.encoder.startMoment();
    // the step belongs to the call on top of the stack, whichever frame's probe wrote it (a frame
    // entered before recording started has no call of its own): its values join that call's
    const shown = this.shownByTopCall();
    // a file instrumented with values "full" writes every variable, and keeps the call's view current
    const writeAll = file.values === "full";
    const kept = entry[3];
    if (kept && frame !== null) {
      // parameters never reassigned still hold the values the frame was entered with
      const args = frame.args;
      for (let i = 0; i + 1 < kept.length; i += 2) {
        const position = kept[i + 1]!;
        if (position < args.length) this.showValue(shown, writeAll, this.variableId(file, ids, kept[i]!), args[position]);
      }
    }
    const names = entry[2];
    const n = Math.min(names.length, values.length);
    const privates = entry[4];
    for (let i = 0; i < n; i++) {
      const nameIndex = names[i]!;
      if (privates !== undefined && privates.length > 0 && file.names[nameIndex] === "this") {
        this.showThis(shown, writeAll, this.variableId(file, ids, nameIndex), values[i], file, privates, values[names.length]);
      } else {
        this.showValue(shown, writeAll, this.variableId(file, ids, nameIndex), values[i]);
      }
    }
  }

  /** What the call on top of the stack shows, or undefined when its steps write every variable. */
  private shownByTopCall(): ShownValues | undefined {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return this.toplevel?.shown;
    return (top.data as FrameData).shown;
  }

  /** Writes `value` as variable `variableId` unless the call already shows exactly that. */
  private showValue(shown: ShownValues | undefined, writeAll: boolean, variableId: number, value: unknown, privateNames?: string[], privateValues?: unknown[]): void {
    if (shown === undefined) {
      this.writeValue(variableId, this.encoder.encodeMore(value, privateNames, privateValues));
      return;
    }
    if (!writeAll && shown.showsPrimitive(variableId, value)) return;
    let record = this.encoder.encodeMore(value, privateNames, privateValues);
    if (!isPrimitive(value)) record = this.sharedRecord(value as object, record);
    if (writeAll || shown.differs(variableId, record)) this.writeValue(variableId, record);
    shown.set(variableId, value, record);
  }

  /**
   * The record an object showed last, if `record` shows the same: the views of open calls keep
   * records, and one object seen by many frames (a deep recursion passing one large structure)
   * then costs one record, not one per frame.
   */
  private sharedRecord(object: object, record: ValueRecord): ValueRecord {
    const prior = apply(weakMapGet, this.lastRecordOf, [object]) as ValueRecord | undefined;
    if (prior !== undefined && sameValueRecord(prior, record)) return prior;
    apply(weakMapSet, this.lastRecordOf, [object, record]);
    return record;
  }

  /**
   * `this` with its private fields, as the class's reader (the value the site passes after its
   * variables, see SiteEntry) finds them. Only that slot's value is ever called, and only if it is
   * a function: the plugin's reader, in a variable no program code names, which runs no user code
   * (brand checks and field reads only). Its results are in the order of `privates`.
   */
  private showThis(shown: ShownValues | undefined, writeAll: boolean, variableId: number, self: unknown, file: FileTable, privates: readonly number[], reader: unknown): void {
    const privateNames: string[] = [];
    const privateValues: unknown[] = [];
    if (typeof reader === "function" && typeof self === "object" && self !== null) {
      let read: unknown;
      try {
        read = (reader as (object: object, absent: unknown) => unknown)(self, ABSENT_FIELD);
      } catch {
        read = undefined;
      }
      if (isArray(read)) {
        for (let p = 0; p < privates.length && p < read.length; p++) {
          const value: unknown = read[p];
          if (value === ABSENT_FIELD) continue;
          privateNames.push(file.names[privates[p]!] ?? "#?");
          privateValues.push(value);
        }
      }
    }
    this.showValue(shown, writeAll, variableId, self, privateNames, privateValues);
  }

  // -- output and end ----------------------------------------------------------------------------

  /** Records program output as an Event attached to the latest step. */
  output(kind: EventLogKind, content: string): void {
    if (!this.isRecording) return;
    this.writer.write({ Event: { kind, metadata: "", content } });
  }

  /**
   * Closes every open frame and the `<toplevel>` call (with the exit code), then writes the error
   * event of an uncaught exception, if any, as the very last event.
   */
  close(exitCode: number | undefined, error?: string): void {
    if (this.closed) return;
    if (this.toplevel === undefined && !this.activation.isActive) {
      this.closed = true;
      return;
    }
    while (this.stack.length > 0) {
      const frame = this.stack.pop()!;
      frame.data = undefined;
      this.writer.write({ Return: { return_value: { kind: "Raw", r: "<running when recording stopped>", type_id: this.types.typeId(TYPE_KIND.Raw, "running") } } });
    }
    const code = exitCode === undefined ? this.encoder.encode(undefined) : this.encoder.encode(exitCode);
    this.writer.write({ Return: { return_value: code } });
    if (error !== undefined) this.writer.write({ Event: { kind: EVENT_LOG_KIND.Error, metadata: "", content: error } });
    this.closed = true;
  }

  // -- internals -------------------------------------------------------------------------------

  private dataOf(frame: Frame): FrameData | undefined {
    const data = frame.data as FrameData | undefined;
    return data !== undefined && data.tracer === this && !this.closed ? data : undefined;
  }

  // The stack changes only after its event is written: a write cut short by a stack overflow
  // (the program recursing to the limit) loses that event but never unbalances the trace.

  /** `rawArgs` are the values `args` encode, in order (for the view of the call they start). */
  private pushCall(frame: Frame, data: FrameData, args: FullValueRecord[], rawArgs: readonly unknown[]): void {
    // the reader attributes the Step right before a Call to the callee: put it at the definition
    this.writeStep(data.pathId, data.line);
    this.counts.steps++;
    const accumulates = this.accumulating[data.functionId] === true;
    if (accumulates) {
      for (let i = 0; i < args.length; i++) {
        const raw = rawArgs[i];
        if (!isPrimitive(raw)) args[i]!.value = this.sharedRecord(raw as object, args[i]!.value);
      }
    }
    this.writer.write({ Call: { function_id: data.functionId, args } });
    // a Call (a resumption too) starts a new view in CodeTracer: its arguments, nothing else
    if (accumulates) data.shown = ShownValues.ofArguments(args, rawArgs);
    this.stack.push(frame);
    this.counts.calls++;
  }

  /** Pops `frame` with `value`; frames above it were left without their own exit probe. */
  private popTo(frame: Frame, value: ValueRecord): void {
    let at = this.stack.lastIndexOf(frame);
    if (at < 0) {
      // it suspended without a probe (an implicit await) and now ends: show the resumption
      const data = this.dataOf(frame);
      if (data === undefined) return;
      this.pushCall(frame, data, [], []);
      at = this.stack.length - 1;
    }
    this.popAbove(at);
    this.writer.write({ Return: { return_value: value } });
    this.stack.pop();
  }

  /**
   * Some code ran in `frame` while another frame was on top of the stack: the frames above it
   * suspended without a probe (the implicit awaits of `for await`, a module that threw at its top
   * level), or `frame` itself is resuming from such a suspension. Restore the nesting.
   */
  private heal(frame: Frame): void {
    const data = this.dataOf(frame);
    if (data === undefined) return;
    const at = this.stack.lastIndexOf(frame);
    if (at >= 0) this.popAbove(at);
    else this.pushCall(frame, data, [], []);
  }

  private popAbove(at: number): void {
    while (this.stack.length - 1 > at) {
      this.writer.write({ Return: { return_value: this.suspendedRecord() } });
      this.stack.pop();
    }
  }

  private suspendedRecord(): ValueRecord {
    return { kind: "Raw", r: "<suspended>", type_id: this.types.typeId(TYPE_KIND.Raw, "suspended") };
  }

  /** An unwinding frame's return value: the thrown value, tagged so it is not mistaken for a return. */
  private thrownRecord(exception: unknown, known: boolean): ValueRecord {
    const type_id = this.types.typeId(TYPE_KIND.Variant, "thrown");
    const contents: ValueRecord = known
      ? this.encoder.encode(exception)
      : { kind: "Error", msg: "exception (raised outside instrumented code)", type_id: this.types.typeId(TYPE_KIND.Error, "Error") };
    return { kind: "Variant", discriminator: "thrown", contents, type_id };
  }
}
