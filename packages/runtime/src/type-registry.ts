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
    const key = specific === undefined || specific.kind === "None" ? `${kind}:${langType}` : `${kind}:${langType}:${JSON.stringify(specific)}`;
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
