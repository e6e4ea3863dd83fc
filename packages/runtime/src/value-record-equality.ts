import type { ValueRecord } from "./trace-events.js";

/**
 * Whether two value records show the same thing in CodeTracer: same kinds, same type ids (a
 * struct's type id names its class and fields), same leaves, element by element. Used to skip
 * writing a variable whose freshly encoded value equals the one its call already shows.
 */
export function sameValueRecord(a: ValueRecord, b: ValueRecord): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.type_id !== b.type_id) return false;
  switch (a.kind) {
    case "Int":
      return a.i === (b as typeof a).i;
    case "Float":
      return a.f === (b as typeof a).f;
    case "Bool":
      return a.b === (b as typeof a).b;
    case "String":
      return a.text === (b as typeof a).text;
    case "Raw":
      return a.r === (b as typeof a).r;
    case "Error":
      return a.msg === (b as typeof a).msg;
    case "None":
      return true;
    case "BigInt":
      return a.b === (b as typeof a).b && a.negative === (b as typeof a).negative;
    case "Char":
      return a.c === (b as typeof a).c;
    case "Sequence":
      return a.is_slice === (b as typeof a).is_slice && sameRecords(a.elements, (b as typeof a).elements);
    case "Tuple":
      return sameRecords(a.elements, (b as typeof a).elements);
    case "Struct":
      return sameRecords(a.field_values, (b as typeof a).field_values);
    case "Variant":
      return a.discriminator === (b as typeof a).discriminator && sameValueRecord(a.contents, (b as typeof a).contents);
    case "Reference":
      return a.address === (b as typeof a).address && a.mutable === (b as typeof a).mutable && sameValueRecord(a.dereferenced, (b as typeof a).dereferenced);
    default:
      return false;
  }
}

function sameRecords(a: readonly ValueRecord[], b: readonly ValueRecord[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValueRecord(a[i]!, b[i]!)) return false;
  return true;
}
