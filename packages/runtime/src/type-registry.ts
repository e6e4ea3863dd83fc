import type { TypeKind, TypeRecord, TypeRegistry, TypeSpecificInfo } from "./trace-events.js";

/**
 * Registers CodeTracer types on first use. Ids are positions in registration order, so the
 * `onNewType` callback (which writes the `Type` event) runs exactly once per type, in order.
 * Struct types are keyed by their field names and field types too.
 */
export class TypeTable implements TypeRegistry {
  private readonly ids = new Map<string, number>();
  private count = 0;

  constructor(private readonly onNewType: (type: TypeRecord) => void) {}

  typeId(kind: TypeKind, langType: string, specific?: TypeSpecificInfo): number {
    const key = typeKey(kind, langType, specific);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.count++;
      this.ids.set(key, id);
      this.onNewType({ kind, lang_type: langType, specific_info: specific ?? { kind: "None" } });
    }
    return id;
  }

  get size(): number {
    return this.count;
  }
}

/**
 * The identity of a type. Struct keys are built field by field, each name prefixed by its length
 * so that no two field lists share a key: this runs for every object recorded, and a
 * JSON.stringify of the field list cost a third of the recording time on object-heavy code.
 */
function typeKey(kind: TypeKind, langType: string, specific: TypeSpecificInfo | undefined): string {
  if (specific === undefined || specific.kind === "None") return `${kind}:${langType}`;
  if (specific.kind === "Struct") {
    let key = `${kind}:${langType}{`;
    const fields = specific.fields;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      key += `${field.name.length}:${field.name}=${field.type_id};`;
    }
    return key;
  }
  return `${kind}:${langType}:${JSON.stringify(specific)}`;
}
