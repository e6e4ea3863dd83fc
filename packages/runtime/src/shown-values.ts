import type { FullValueRecord, ValueRecord } from "./trace-events.js";
import { sameValueRecord } from "./value-record-equality.js";

/**
 * Whether CodeTracer shows a frame of a function defined in `path` with the values accumulated
 * over its call (the call's arguments overlaid with every Value of its steps so far), rather
 * than with the values of the exact step only. CodeTracer decides by the path's ending
 * (`is_javascript_frame` in its db-backend), so this test must match it character for character.
 */
export function accumulatesValues(path: string): boolean {
  return path.endsWith(".js") || path.endsWith(".mjs") || path.endsWith(".cjs") || path.endsWith(".ts") || path.endsWith(".tsx");
}

interface Shown {
  record: ValueRecord;
  /** The primitive the record encodes, when it encodes one: the same primitive encodes the same. */
  primitive: unknown;
  isPrimitive: boolean;
}

/** Not an object nor a function: its encoding depends on nothing but the value itself. */
export function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== "object" && typeof value !== "function");
}

/**
 * What one call shows in CodeTracer's locals panel right now, by variable id: its arguments,
 * overlaid with every value its steps wrote. A variable needs writing again only when its
 * fresh encoding differs from what is shown. Objects are encoded again at every step (a callee,
 * an alias or a native method may have changed them without a probe seeing it) and compared
 * record by record; primitives are compared by identity first, which needs no encoding.
 */
export class ShownValues {
  private readonly byVariable = new Map<number, Shown>();

  static ofArguments(args: readonly FullValueRecord[], raw: readonly unknown[]): ShownValues {
    const shown = new ShownValues();
    for (let i = 0; i < args.length; i++) shown.set(args[i]!.variable_id, raw[i], args[i]!.value);
    return shown;
  }

  /** The variable shows `value`, a primitive, already: no need to encode it. */
  showsPrimitive(variableId: number, value: unknown): boolean {
    const known = this.byVariable.get(variableId);
    return known !== undefined && known.isPrimitive && isPrimitive(value) && Object.is(known.primitive, value);
  }

  /** Whether `record` differs from what the variable shows now (a variable never shown differs). */
  differs(variableId: number, record: ValueRecord): boolean {
    const known = this.byVariable.get(variableId);
    return known === undefined || !sameValueRecord(known.record, record);
  }

  /**
   * Records that the variable now shows `record`, the encoding of `value`. Called only once the
   * value is written (or needed no writing): a write cut short by a stack overflow must leave
   * the view as it was, so that the next step writes the value again.
   */
  set(variableId: number, value: unknown, record: ValueRecord): void {
    const known = this.byVariable.get(variableId);
    const primitive = isPrimitive(value);
    if (known === undefined) {
      this.byVariable.set(variableId, { record, primitive: primitive ? value : undefined, isPrimitive: primitive });
      return;
    }
    known.record = record;
    known.primitive = primitive ? value : undefined;
    known.isPrimitive = primitive;
  }
}
