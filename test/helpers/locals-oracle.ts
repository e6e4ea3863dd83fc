/**
 * The truth oracle for "values on change": what CodeTracer's locals panel shows at every step of
 * a trace, computed the way CodeTracer computes it, so that two recordings of one deterministic
 * program (one writing every variable at every step, one writing only what changed) can be
 * compared by what a user sees rather than by the events written.
 *
 * Modelled on CodeTracer's db-backend (metacraft-labs/codetracer, src/db-backend/src):
 * - loading (`TraceProcessor::process_event`, trace_processor.rs): a `Value` and a call's `args`
 *   attach to the latest `Step`, whatever came between; a `Call` makes the latest step (unless it
 *   is step 0) the callee's and records it as the call's first step; a step belongs to the call on
 *   top of the call stack; after the outermost `Return` the stack's last call stays current; a
 *   `Step` before any `Call` opens a synthetic `<top-level>` call whose function is appended to
 *   the function table.
 * - the panel (`load_locals` and `is_javascript_frame`, db.rs): for a call whose function's path
 *   ends in .js/.mjs/.cjs/.ts/.tsx, the call's args overlaid with the values of every step of the
 *   same call from its first step up to S, by variable id, the latest winning; for any other path,
 *   the values of step S alone. Then sorted by name, and of two entries with one name the first
 *   is kept (at one step of a non-JS frame, the earlier of two values of a variable wins).
 *
 * Views are keyed by variable name; values are records with every type id replaced by a
 * description of the type (`type`), so traces whose ids were numbered differently compare equal.
 */
import { createHash } from "node:crypto";
import type { TraceEvent as RuntimeTraceEvent } from "../../packages/runtime/src/trace-events.js";
import type { TraceEvent as FactsTraceEvent } from "./trace-facts.js";

/** An event as trace.json parses or as the runtime's trace-reader decodes it (json or bin). */
export type OracleEvent = FactsTraceEvent | RuntimeTraceEvent;

/** A value record with its type ids resolved: `type` instead of `type_id`, keys sorted, integers as text. */
export type ResolvedValue = { [key: string]: unknown };

/** A value record as the trace holds it (any reader's decoding). */
export interface RawRecord {
  kind: string;
  type_id?: number;
  [key: string]: unknown;
}
interface VariableRecord {
  variable_id: number;
  value: RawRecord;
}
interface RawType {
  kind: number;
  lang_type: string;
  specific_info: { kind: string; fields?: Array<{ name: string; type_id: number }>; dereference_type_id?: number };
}
interface FunctionRecord {
  path_id: number;
  line: number;
  name: string;
}

export interface OracleStep {
  pathId: number;
  line: number;
  /** Index in `calls` of the call the reader gives this step to. */
  callKey: number;
}

export interface OracleCall {
  functionId: number;
  args: VariableRecord[];
  /** The call's first step: the latest step when its `Call` came. */
  stepId: number;
  parentKey: number;
  returnValue: RawRecord | undefined;
}

/** One step of `LocalsOracle.views()`. */
export interface LocalsView {
  step: number;
  path: string;
  line: number;
  /** Name of the function of the call the step belongs to. */
  function: string;
  locals: Map<string, ResolvedValue>;
}

// CodeTracer's TypeKind names, by number (codetracer_trace_types), for readable type descriptions
const KIND_NAMES = [
  "Seq", "Set", "HashSet", "OrderedSet", "Array", "Varargs", "Struct", "Int", "Float", "String", "CString", "Char", "Bool",
  "Literal", "Ref", "Recursion", "Raw", "Enum", "Enum16", "Enum32", "C", "TableKind", "Union", "Pointer", "Error",
  "FunctionKind", "TypeValue", "Tuple", "Variant", "Html", "None", "NonExpanded", "Any", "Slice",
];

/** `is_javascript_frame`: the path suffixes for which the panel accumulates a call's values. */
const JS_FRAME_SUFFIXES = [".js", ".mjs", ".cjs", ".ts", ".tsx"];

/** A name shown by two variable ids at once: CodeTracer's HashMap order decides, so no fixed view. */
const AMBIGUOUS = "<ambiguous>";
/** The kind of a value kept by a compact oracle as a digest and a preview. */
const COMPACT = "<compact>";

export interface OracleOptions {
  /**
   * Keep each value only as a digest of its resolved form and the form's first characters, for
   * traces whose values do not fit in memory as objects (values are resolved as they are read,
   * so `events` may be a stream). Views then show those instead of the values.
   */
  compact?: boolean;
}

const shorten = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

export function isJavaScriptFramePath(path: string): boolean {
  return JS_FRAME_SUFFIXES.some((suffix) => path.endsWith(suffix));
}

export class LocalsOracle {
  readonly paths: string[] = [];
  readonly functions: FunctionRecord[] = [];
  readonly types: RawType[] = [];
  readonly variableNames: string[] = [];
  readonly steps: OracleStep[] = [];
  readonly calls: OracleCall[] = [];
  /** `Value` events in the trace (call args not counted). */
  valueEvents = 0;
  /** What the reader keeps per step (`db.variables`): its values, and the args of a call it starts. */
  private readonly stepValues: VariableRecord[][] = [];
  /** Index of the last step of each call (for dropping its accumulator in `views()`). */
  private readonly lastStepOfCall: number[] = [];
  private readonly typeDescriptions = new Map<number, string>();
  private readonly canonical = new WeakMap<object, string>();
  readonly compact: boolean;

  constructor(events: Iterable<OracleEvent>, options: OracleOptions = {}) {
    this.compact = options.compact === true;
    let currentStep = 0;
    let currentCall = -1;
    const stack: number[] = [];
    const startCall = (functionId: number, args: VariableRecord[], stepId: number) => {
      const key = this.calls.length;
      this.calls.push({ functionId, args, stepId, parentKey: stack.length > 0 ? stack[stack.length - 1]! : -1, returnValue: undefined });
      stack.push(key);
      return key;
    };
    for (const event of events as Iterable<Record<string, unknown>>) {
      if ("Step" in event) {
        const step = event.Step as { path_id: number; line: number };
        if (currentCall < 0) {
          this.functions.push({ path_id: step.path_id, line: step.line, name: "<top-level>" });
          currentCall = startCall(this.functions.length - 1, [], this.steps.length);
        }
        this.steps.push({ pathId: step.path_id, line: step.line, callKey: currentCall });
        this.stepValues.push([]);
        currentStep = this.steps.length - 1;
      } else if ("Value" in event) {
        this.valueEvents++;
        while (this.stepValues.length < currentStep + 1) this.stepValues.push([]);
        this.stepValues[currentStep]!.push(this.kept(event.Value as VariableRecord));
      } else if ("Call" in event) {
        const call = event.Call as { function_id: number; args: VariableRecord[] };
        const args = call.args.map((arg) => this.kept(arg));
        currentCall = startCall(call.function_id, args, currentStep);
        if (this.stepValues.length === 0) this.stepValues.push([]);
        this.stepValues[currentStep]!.push(...args);
        // step 0 stays with its call even when a Call follows it (the reader's `> 0` test)
        if (currentStep > 0 && currentStep < this.steps.length) this.steps[currentStep]!.callKey = currentCall;
      } else if ("Return" in event) {
        const key = stack.pop();
        if (key === undefined) throw new Error("a Return with no call open: CodeTracer's reader fails on this trace");
        this.calls[key]!.returnValue = (event.Return as { return_value: RawRecord }).return_value;
        if (stack.length > 0) currentCall = stack[stack.length - 1]!;
      } else if ("Path" in event) this.paths.push(event.Path as string);
      else if ("Function" in event) this.functions.push(event.Function as FunctionRecord);
      else if ("Type" in event) this.types.push(event.Type as RawType);
      else if ("VariableName" in event) this.variableNames.push(event.VariableName as string);
    }
    this.stepValues.length = this.steps.length;
    this.steps.forEach((step, index) => (this.lastStepOfCall[step.callKey] = index));
  }

  /** Path, line and function of step `index`. */
  describeStep(index: number): { path: string; line: number; function: string } {
    const step = this.steps[index]!;
    return { path: this.paths[step.pathId] ?? `<path ${step.pathId}>`, line: step.line, function: this.functionOf(step.callKey).name };
  }

  /** The function record of call `key` (a placeholder when the trace names none). */
  functionOf(key: number): FunctionRecord {
    const id = this.calls[key]!.functionId;
    return this.functions[id] ?? { path_id: -1, line: 0, name: `<function ${id}>` };
  }

  /** Whether the panel accumulates values over call `key` (its function's path is a JS one). */
  accumulates(key: number): boolean {
    const path = this.paths[this.functionOf(key).path_id];
    return path !== undefined && isJavaScriptFramePath(path);
  }

  /** The locals panel at step `index`, computed directly as `load_locals` does (rescanning the call). */
  localsAt(index: number): Map<string, ResolvedValue> {
    const key = this.steps[index]!.callKey;
    if (!this.accumulates(key)) return this.resolveAll(this.exactStepLocals(index));
    const active = new Map<number, RawRecord>();
    for (const arg of this.calls[key]!.args) active.set(arg.variable_id, arg.value);
    for (let s = this.calls[key]!.stepId; s <= index; s++) {
      if (this.steps[s]?.callKey !== key) continue;
      for (const v of this.stepValues[s]!) active.set(v.variable_id, v.value);
    }
    return this.resolveAll(this.byName(active));
  }

  /** The panel at every step in order, built incrementally (linear in the trace). */
  *views(): Generator<LocalsView> {
    for (const [step, locals] of this.rawViews()) {
      yield { step, ...this.describeStep(step), locals: this.resolveAll(locals) };
    }
  }

  /**
   * Description of type `id`: kind and language type, with a struct's field names (not their
   * types: each field's value carries its own, and nesting them would grow the description
   * with every level) and a pointer's target.
   */
  describeType(id: number | undefined): string {
    if (id === undefined) return "<no type>";
    let description = this.typeDescriptions.get(id);
    if (description !== undefined) return description;
    const type = this.types[id];
    if (type === undefined) description = `<type ${id}>`;
    else {
      this.typeDescriptions.set(id, "<recursive type>");
      description = `${KIND_NAMES[type.kind] ?? `kind ${type.kind}`} ${type.lang_type}`;
      const info = type.specific_info;
      if (info.kind === "Struct") description += ` {${(info.fields ?? []).map((f) => f.name).join(", ")}}`;
      else if (info.kind === "Pointer") description += ` -> ${this.describeType(info.dereference_type_id)}`;
    }
    this.typeDescriptions.set(id, description);
    return description;
  }

  /** `record` with every type id described, keys sorted, integers as text (json and bin read alike). */
  resolve(record: RawRecord): ResolvedValue {
    const resolved: ResolvedValue = {};
    for (const key of Object.keys(record).sort()) {
      const value = record[key];
      if (key === "type_id") resolved.type = this.describeType(value as number);
      else if (key === "i" || typeof value === "bigint") resolved[key] = String(value);
      else if (Array.isArray(value)) resolved[key] = value.map((v) => (isRecord(v) ? this.resolve(v) : v));
      else if (isRecord(value)) resolved[key] = this.resolve(value);
      else resolved[key] = value;
    }
    return resolved;
  }

  /** `resolve(record)` as one string, computed once per record (a digest of it for a compact oracle). */
  canonicalOf(record: RawRecord): string {
    if (record.kind === COMPACT) return record.digest as string;
    let text = this.canonical.get(record);
    if (text === undefined) {
      text = JSON.stringify(this.resolve(record));
      this.canonical.set(record, text);
    }
    return text;
  }

  /** `canonicalOf(record)` shortened for a message; a compact record's preview. */
  previewOf(record: RawRecord): string {
    return record.kind === COMPACT ? (record.preview as string) : shorten(this.canonicalOf(record));
  }

  /** A variable's record as this oracle keeps it: itself, or a digest and preview when compact. */
  private kept(variable: VariableRecord): VariableRecord {
    if (!this.compact) return variable;
    const text = JSON.stringify(this.resolve(variable.value));
    const digest = `${createHash("sha1").update(text).digest("base64")}:${text.length}`;
    return { variable_id: variable.variable_id, value: { kind: COMPACT, digest, preview: shorten(text) } };
  }

  /**
   * The panel at every step as raw records by name, in step order. One accumulator per JS call,
   * dropped after the call's last step; each step's map is fresh (callers may keep it).
   */
  *rawViews(): Generator<[number, Map<string, RawRecord>]> {
    const accumulators = new Map<number, Map<number, RawRecord>>();
    for (let index = 0; index < this.steps.length; index++) {
      const key = this.steps[index]!.callKey;
      if (!this.accumulates(key)) {
        yield [index, this.exactStepLocals(index)];
        continue;
      }
      let active = accumulators.get(key);
      if (active === undefined) {
        active = new Map();
        for (const arg of this.calls[key]!.args) active.set(arg.variable_id, arg.value);
        accumulators.set(key, active);
      }
      for (const v of this.stepValues[index]!) active.set(v.variable_id, v.value);
      if (this.lastStepOfCall[key] === index) accumulators.delete(key);
      yield [index, this.byName(active)];
    }
  }

  /** Non-JS frames: the values written at exactly this step; of two with one name the first wins. */
  private exactStepLocals(index: number): Map<string, RawRecord> {
    const locals = new Map<string, RawRecord>();
    for (const v of this.stepValues[index]!) {
      const name = this.nameOf(v.variable_id);
      if (!locals.has(name)) locals.set(name, v.value);
    }
    return locals;
  }

  /** Accumulated values by variable id → by name; a name two ids share has no fixed value. */
  private byName(active: Map<number, RawRecord>): Map<string, RawRecord> {
    const locals = new Map<string, RawRecord>();
    const idOfName = new Map<string, number>();
    for (const [id, value] of active) {
      const name = this.nameOf(id);
      const other = idOfName.get(name);
      if (other === undefined) {
        idOfName.set(name, id);
        locals.set(name, value);
      } else if (other !== id) {
        const candidates = [locals.get(name)!, value].map((v) => this.canonicalOf(v)).sort();
        locals.set(name, { kind: AMBIGUOUS, candidates });
      }
    }
    return locals;
  }

  private nameOf(variableId: number): string {
    return this.variableNames[variableId] ?? `<variable ${variableId}>`;
  }

  private resolveAll(locals: Map<string, RawRecord>): Map<string, ResolvedValue> {
    return new Map([...locals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => [name, this.resolve(value)]));
  }
}

function isRecord(value: unknown): value is RawRecord {
  return typeof value === "object" && value !== null;
}

export function localsOracle(events: Iterable<OracleEvent>): LocalsOracle {
  return new LocalsOracle(events);
}

export interface LocalsComparison {
  /** The first place where the two traces' steps, calls or locals panels differ; undefined when none. */
  difference: string | undefined;
  steps: number;
  /** `Value` events of each trace, in the order the traces were given. */
  valueEvents: [number, number];
}

/** Function name, path and line of call `key`: how two traces' calls are told apart. */
function callIdentity(oracle: LocalsOracle, key: number): string {
  const fn = oracle.functionOf(key);
  return `${fn.name} (${oracle.paths[fn.path_id] ?? "?"}:${fn.line})`;
}

/**
 * Compares the locals panels of two recordings of one deterministic program step by step. They
 * must have the same steps (path and line), given to the same calls (function, first step,
 * parent); then every step must show the same variables with the same values. Returns the
 * first difference in words (step, place, variable, both values) and each trace's Value count.
 */
export function compareLocals(
  a: Iterable<OracleEvent> | LocalsOracle,
  b: Iterable<OracleEvent> | LocalsOracle,
  labels: [string, string] = ["first", "second"],
  options: OracleOptions = {},
): LocalsComparison {
  const left = a instanceof LocalsOracle ? a : new LocalsOracle(a, options);
  const right = b instanceof LocalsOracle ? b : new LocalsOracle(b, options);
  if (left.compact !== right.compact) throw new Error("compareLocals: one oracle is compact and the other not; their values do not compare");
  const result = (difference: string | undefined): LocalsComparison => ({ difference, steps: left.steps.length, valueEvents: [left.valueEvents, right.valueEvents] });
  const [l, r] = labels;

  const callCount = Math.min(left.calls.length, right.calls.length);
  for (let key = 0; key < callCount; key++) {
    const [x, y] = [left.calls[key]!, right.calls[key]!];
    // return values are not compared: the panel does not show them, and they may hold timestamps
    const facts = (o: LocalsOracle, c: OracleCall) => `${callIdentity(o, key)}, first step ${c.stepId}, parent ${c.parentKey}`;
    const [fx, fy] = [facts(left, x), facts(right, y)];
    if (fx !== fy) return result(`call #${key} differs:\n  ${l}: ${shorten(fx)}\n  ${r}: ${shorten(fy)}`);
  }
  if (left.calls.length !== right.calls.length) {
    const longer = left.calls.length > callCount ? left : right;
    return result(`${l} has ${left.calls.length} calls, ${r} has ${right.calls.length}; the first extra one: ${callIdentity(longer, callCount)}`);
  }

  const leftViews = left.rawViews();
  const rightViews = right.rawViews();
  for (let index = 0; ; index++) {
    const x = leftViews.next();
    const y = rightViews.next();
    if (x.done || y.done) {
      if (x.done && y.done) return result(undefined);
      return result(`${l} has ${left.steps.length} steps, ${r} has ${right.steps.length}`);
    }
    const [sx, sy] = [left.describeStep(index), right.describeStep(index)];
    const where = (s: typeof sx) => `${s.path}:${s.line} in ${s.function}`;
    if (where(sx) !== where(sy) || left.steps[index]!.callKey !== right.steps[index]!.callKey) {
      return result(`step ${index} differs: ${l} is at ${where(sx)} (call #${left.steps[index]!.callKey}), ${r} at ${where(sy)} (call #${right.steps[index]!.callKey})`);
    }
    const [vx, vy] = [x.value[1], y.value[1]];
    const names = [...new Set([...vx.keys(), ...vy.keys()])].sort();
    for (const name of names) {
      const [x1, y1] = [vx.get(name), vy.get(name)];
      const [cx, cy] = [x1 === undefined ? "(not shown)" : left.canonicalOf(x1), y1 === undefined ? "(not shown)" : right.canonicalOf(y1)];
      if (cx !== cy) {
        const [px, py] = [x1 === undefined ? cx : left.previewOf(x1), y1 === undefined ? cy : right.previewOf(y1)];
        return result(`step ${index} (${where(sx)}), variable ${name}:\n  ${l}: ${px}\n  ${r}: ${py}`);
      }
    }
  }
}
