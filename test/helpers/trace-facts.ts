/**
 * Reads facts out of a trace's event list (trace.json): which functions were called in which
 * order with which arguments, what they returned, which lines ran and what the variables held.
 * Values are decoded to plain JS values where that is unambiguous (see `decode`).
 */

export interface ValueRecord {
  kind: string;
  type_id: number;
  i?: number | string;
  f?: string;
  b?: boolean | string;
  text?: string;
  elements?: ValueRecord[];
  field_values?: ValueRecord[];
  discriminator?: string;
  contents?: ValueRecord;
  dereferenced?: ValueRecord;
  r?: string;
  msg?: string;
  negative?: boolean;
  c?: string;
}

export interface TypeRecord {
  kind: number;
  lang_type: string;
  specific_info: { kind: string; fields?: Array<{ name: string; type_id: number }> };
}

export interface ArgRecord {
  variable_id: number;
  value: ValueRecord;
}

export type TraceEvent =
  | { Path: string }
  | { Function: { path_id: number; line: number; name: string } }
  | { Type: TypeRecord }
  | { VariableName: string }
  | { Step: { path_id: number; line: number } }
  | { Value: ArgRecord }
  | { Call: { function_id: number; args: ArgRecord[] } }
  | { Return: { return_value: ValueRecord } }
  | { Event: { kind: number; metadata: string; content: string } };

/** A value the trace shows as text only (`Raw`), e.g. `<suspended>`. */
export class Raw {
  constructor(readonly text: string) {}
}

/** A value encoded as an `Error` record. */
export class ErrorValue {
  constructor(readonly msg: string) {}
}

/** The thrown value of an unwinding frame (a `Variant` "thrown"). */
export class Thrown {
  constructor(readonly value: unknown) {}
}

/** One activation segment: from a Call to its matching Return (a suspension ends a segment). */
export interface CallFact {
  name: string;
  /** Arguments by parameter name (resumptions carry `<resumed>` when a value was sent in). */
  args: Record<string, unknown>;
  /** Decoded return value; a `Thrown` when the frame unwound; undefined while still open. */
  returned: unknown;
  returnRecord: ValueRecord | undefined;
  /** Number of segments open around this one when it started. */
  depth: number;
  /** Index of the Call event, and of its Return event (-1 when never closed). */
  callAt: number;
  returnAt: number;
  /** Name of the calling segment ("" for the outermost). */
  parent: string;
}

/** One entry of the flattened timeline. */
export type TimelineEntry =
  | { kind: "call"; name: string; args: Record<string, unknown> }
  | { kind: "return"; name: string; value: unknown }
  | { kind: "step"; line: number; path: string }
  | { kind: "output"; content: string; eventKind: number };

export class TraceFacts {
  readonly paths: string[] = [];
  readonly functions: Array<{ name: string; line: number; path: string }> = [];
  readonly types: TypeRecord[] = [];
  readonly variables: string[] = [];
  readonly calls: CallFact[] = [];
  readonly timeline: TimelineEntry[] = [];
  /**
   * Steps in order. `values` is what CodeTracer's locals panel shows there: for a call of a
   * function in a .js/.mjs/.cjs/.ts/.tsx file, the call's arguments overlaid with every value its
   * steps wrote so far; elsewhere only the values written at that step. `written` is exactly the
   * values written right after the step.
   */
  readonly steps: Array<{ line: number; path: string; function: string; values: Record<string, unknown>; written: Record<string, unknown> }> = [];

  constructor(readonly events: TraceEvent[]) {
    const stack: CallFact[] = [];
    /** What each open call shows (undefined: its frames show exact-step values only), parallel to `stack`; [0] is outside any call. */
    const shown: Array<Record<string, unknown> | undefined> = [undefined];
    const accumulates = (functionId: number) => /\.(js|mjs|cjs|ts|tsx)$/.test(this.functions[functionId]?.path ?? "");
    events.forEach((event, at) => {
      if ("Path" in event) this.paths.push(event.Path);
      else if ("Function" in event) this.functions.push({ name: event.Function.name, line: event.Function.line, path: this.paths[event.Function.path_id] ?? "?" });
      else if ("Type" in event) this.types.push(event.Type);
      else if ("VariableName" in event) this.variables.push(event.VariableName);
      else if ("Call" in event) {
        const name = this.functions[event.Call.function_id]?.name ?? `<fn ${event.Call.function_id}>`;
        const args: Record<string, unknown> = {};
        for (const arg of event.Call.args) args[this.variables[arg.variable_id] ?? `<var ${arg.variable_id}>`] = this.decode(arg.value);
        const fact: CallFact = { name, args, returned: undefined, returnRecord: undefined, depth: stack.length, callAt: at, returnAt: -1, parent: stack[stack.length - 1]?.name ?? "" };
        // the reader gives the Step right before a Call to the callee
        const previous = events[at - 1];
        const view = accumulates(event.Call.function_id) ? { ...args } : undefined;
        if (previous !== undefined && "Step" in previous) {
          const step = this.steps[this.steps.length - 1]!;
          step.function = name;
          step.values = { ...args };
        }
        stack.push(fact);
        shown.push(view);
        this.calls.push(fact);
        this.timeline.push({ kind: "call", name, args });
      } else if ("Return" in event) {
        const fact = stack.pop();
        if (shown.length > 1) shown.pop();
        const value = this.decode(event.Return.return_value);
        if (fact) {
          fact.returned = value;
          fact.returnRecord = event.Return.return_value;
          fact.returnAt = at;
        }
        this.timeline.push({ kind: "return", name: fact?.name ?? "<none>", value });
      } else if ("Step" in event) {
        const path = this.paths[event.Step.path_id] ?? "?";
        const view = shown[shown.length - 1];
        this.steps.push({ line: event.Step.line, path, function: stack[stack.length - 1]?.name ?? "", values: view === undefined ? {} : { ...view }, written: {} });
        this.timeline.push({ kind: "step", line: event.Step.line, path });
      } else if ("Value" in event) {
        const step = this.steps[this.steps.length - 1];
        const name = this.variables[event.Value.variable_id] ?? `<var ${event.Value.variable_id}>`;
        const value = this.decode(event.Value.value);
        if (step) {
          step.values[name] = value;
          step.written[name] = value;
        }
        const view = shown[shown.length - 1];
        if (view !== undefined) view[name] = value;
      } else if ("Event" in event) {
        this.timeline.push({ kind: "output", content: event.Event.content, eventKind: event.Event.kind });
      }
    });
  }

  /**
   * ValueRecord → JS value: Int → number (bigint beyond 2^53), Float → number, String, Bool,
   * None → undefined or null (by lang_type), Sequence/Tuple → array, Struct → object keyed by its
   * Type's field names, Reference → its target, BigInt → bigint, Char → string; Raw, Error and
   * thrown Variants become `Raw`, `ErrorValue` and `Thrown`; other Variants `{ [discriminator]: contents }`.
   */
  decode(value: ValueRecord): unknown {
    switch (value.kind) {
      case "Int": {
        const n = typeof value.i === "string" ? BigInt(value.i) : value.i!;
        return typeof n === "bigint" && n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
      }
      case "Float":
        return Number(value.f);
      case "String":
        return value.text;
      case "Bool":
        return value.b === true || value.b === "true";
      case "None":
        return this.types[value.type_id]?.lang_type === "null" ? null : undefined;
      case "Sequence":
      case "Tuple":
        return (value.elements ?? []).map((e) => this.decode(e));
      case "Struct": {
        const fields = this.types[value.type_id]?.specific_info.fields ?? [];
        const object: Record<string, unknown> = {};
        (value.field_values ?? []).forEach((v, i) => (object[fields[i]?.name ?? `#${i}`] = this.decode(v)));
        return object;
      }
      case "Reference":
        return value.dereferenced ? this.decode(value.dereferenced) : undefined;
      case "BigInt": {
        const bytes = Buffer.from(String(value.b ?? ""), "base64");
        let n = 0n;
        for (const byte of bytes) n = (n << 8n) | BigInt(byte);
        return value.negative ? -n : n;
      }
      case "Char":
        return value.c;
      case "Raw":
        return new Raw(value.r ?? "");
      case "Error":
        return new ErrorValue(value.msg ?? "");
      case "Variant":
        if (value.discriminator === "thrown") return new Thrown(value.contents ? this.decode(value.contents) : undefined);
        return { [value.discriminator ?? "?"]: value.contents ? this.decode(value.contents) : undefined };
      default:
        return new Raw(`<${value.kind}>`);
    }
  }

  /** Call segments of the function named `name`, in order. */
  callsOf(name: string): CallFact[] {
    return this.calls.filter((c) => c.name === name);
  }

  /** Names of the call segments, in order (resumptions appear again). */
  callNames(): string[] {
    return this.calls.map((c) => c.name);
  }

  /** What CodeTracer shows at each step at `line` (one record per time the line ran), optionally within `fn`. */
  valuesAt(line: number, fn?: string): Array<Record<string, unknown>> {
    return this.steps.filter((s) => s.line === line && (fn === undefined || s.function === fn)).map((s) => s.values);
  }

  /** Lines stepped within calls of `fn` (all lines when omitted), in order. */
  linesOf(fn?: string): number[] {
    return this.steps.filter((s) => fn === undefined || s.function === fn).map((s) => s.line);
  }

  /** stdout text captured by the trace (Event kind 0). */
  get stdout(): string {
    return this.timeline.filter((e): e is Extract<TimelineEntry, { kind: "output" }> => e.kind === "output" && e.eventKind === 0).map((e) => e.content).join("");
  }

  /** Compact form of the timeline for ordering assertions: "call f", "return f", "out hi\n". */
  outline(filter: (entry: TimelineEntry) => boolean = (e) => e.kind !== "step"): string[] {
    return this.timeline.filter(filter).map((e) => {
      if (e.kind === "call") return `call ${e.name}`;
      if (e.kind === "return") return `return ${e.name}`;
      if (e.kind === "step") return `step ${e.line}`;
      return `out ${e.content.trimEnd()}`;
    });
  }
}

export function traceFacts(events: TraceEvent[]): TraceFacts {
  return new TraceFacts(events);
}

/** Whether a decoded return value marks a suspension (`Raw` "<suspended>"). */
export function isSuspended(value: unknown): boolean {
  return value instanceof Raw && value.text.includes("suspended");
}
