import { TYPE_KIND, type FieldType, type TypeKind, type TypeRecord, type TypeRegistry, type TypeSpecificInfo } from "./trace-events.js";

/**
 * Registers CodeTracer types on first use. Ids are positions in registration order, so the
 * `onNewType` callback (which writes the `Type` event) runs exactly once per type, in order.
 * Struct types are keyed by their field names and field types too.
 */
export class TypeTable implements TypeRegistry {
  /** Types without specific info, per kind, keyed by lang type: no key string built per lookup. */
  private readonly plainIds = new Map<TypeKind, Map<string, number>>();
  private readonly structRoots = new Map<string, StructShape>();
  /** The rare other specific infos (pointers), keyed by their JSON. */
  private readonly otherIds = new Map<string, number>();
  private count = 0;

  constructor(private readonly onNewType: (type: TypeRecord) => void) {}

  typeId(kind: TypeKind, langType: string, specific?: TypeSpecificInfo): number {
    if (specific === undefined || specific.kind === "None") return this.plainTypeId(kind, langType);
    if (specific.kind === "Struct" && kind === TYPE_KIND.Struct) {
      let shape = this.structShape(langType);
      const fields = specific.fields;
      for (let i = 0; i < fields.length; i++) shape = shape.field(fields[i]!.name, fields[i]!.type_id);
      return this.structTypeId(shape);
    }
    const key = `${kind}:${langType}:${JSON.stringify(specific)}`;
    let id = this.otherIds.get(key);
    if (id === undefined) {
      id = this.register(kind, langType, specific);
      this.otherIds.set(key, id);
    }
    return id;
  }

  /** The type of `kind` named `langType`, with no specific info. */
  plainTypeId(kind: TypeKind, langType: string): number {
    let ofKind = this.plainIds.get(kind);
    if (ofKind === undefined) {
      ofKind = new Map();
      this.plainIds.set(kind, ofKind);
    }
    let id = ofKind.get(langType);
    if (id === undefined) {
      id = this.register(kind, langType, undefined);
      ofKind.set(langType, id);
    }
    return id;
  }

  /**
   * The field-less shape of struct type `langType`: extend it field by field with
   * `StructShape.field` while encoding an object, then ask `structTypeId` for the id.
   */
  structShape(langType: string): StructShape {
    let root = this.structRoots.get(langType);
    if (root === undefined) {
      root = new StructShape(langType, undefined, "", -1);
      this.structRoots.set(langType, root);
    }
    return root;
  }

  structTypeId(shape: StructShape): number {
    if (shape.id < 0) shape.id = this.register(TYPE_KIND.Struct, shape.langType, { kind: "Struct", fields: shape.fields() });
    return shape.id;
  }

  private register(kind: TypeKind, langType: string, specific: TypeSpecificInfo | undefined): number {
    const id = this.count++;
    this.onNewType({ kind, lang_type: langType, specific_info: specific ?? { kind: "None" } });
    return id;
  }

  get size(): number {
    return this.count;
  }
}

/**
 * A node of the trie of struct types: a lang type followed by the fields seen so far. Walking it
 * costs one Map lookup per field and builds no key string; this runs for every object recorded.
 */
export class StructShape {
  /** The struct type id once registered, -1 before. */
  id = -1;
  /** Longer shapes, by their next field's name; same name with another type id: see `sibling`. */
  private children: Map<string, StructShape> | undefined;
  /** A shape with the same parent and field name but another field type id. */
  private sibling: StructShape | undefined;

  constructor(
    readonly langType: string,
    private readonly parent: StructShape | undefined,
    private readonly name: string,
    private readonly fieldTypeId: number,
  ) {}

  /** This shape followed by the field `name` of type `typeId`. */
  field(name: string, typeId: number): StructShape {
    let children = this.children;
    if (children === undefined) children = this.children = new Map();
    const first = children.get(name);
    for (let shape = first; shape !== undefined; shape = shape.sibling) {
      if (shape.fieldTypeId === typeId) return shape;
    }
    const shape = new StructShape(this.langType, this, name, typeId);
    shape.sibling = first;
    children.set(name, shape);
    return shape;
  }

  fields(): FieldType[] {
    let count = 0;
    for (let shape: StructShape = this; shape.parent !== undefined; shape = shape.parent) count++;
    const fields: FieldType[] = new Array<FieldType>(count);
    for (let shape: StructShape = this; shape.parent !== undefined; shape = shape.parent) {
      fields[--count] = { name: shape.name, type_id: shape.fieldTypeId };
    }
    return fields;
  }
}
