/**
 * The CodeTracer event model as ctjs writes it (see shared/TRACE-FORMAT.md). Ids are positions:
 * a PathId is the index of its `Path` event, and so on for functions, types and variable names.
 */

/** TypeKind numbers of the CodeTracer reader. */
export const TYPE_KIND = Object.freeze({
  Seq: 0, Set: 1, HashSet: 2, OrderedSet: 3, Array: 4, Varargs: 5, Struct: 6, Int: 7, Float: 8,
  String: 9, CString: 10, Char: 11, Bool: 12, Literal: 13, Ref: 14, Recursion: 15, Raw: 16,
  Enum: 17, Enum16: 18, Enum32: 19, C: 20, TableKind: 21, Union: 22, Pointer: 23, Error: 24,
  FunctionKind: 25, TypeValue: 26, Tuple: 27, Variant: 28, Html: 29, None: 30, NonExpanded: 31,
  Any: 32, Slice: 33,
} as const);
export type TypeKind = (typeof TYPE_KIND)[keyof typeof TYPE_KIND];

/** EventLogKind numbers of the CodeTracer reader. */
export const EVENT_LOG_KIND = Object.freeze({
  Write: 0, WriteFile: 1, WriteOther: 2, Read: 3, ReadFile: 4, ReadOther: 5, ReadDir: 6,
  OpenDir: 7, CloseDir: 8, Socket: 9, Open: 10, Error: 11, TraceLogEvent: 12, EvmEvent: 13,
} as const);
export type EventLogKind = (typeof EVENT_LOG_KIND)[keyof typeof EVENT_LOG_KIND];

export type ValueRecord =
  | { kind: "Int"; i: number | bigint; type_id: number }
  | { kind: "Float"; f: string; type_id: number }
  | { kind: "Bool"; b: boolean; type_id: number }
  | { kind: "String"; text: string; type_id: number }
  | { kind: "Sequence"; elements: ValueRecord[]; is_slice: boolean; type_id: number }
  | { kind: "Tuple"; elements: ValueRecord[]; type_id: number }
  | { kind: "Struct"; field_values: ValueRecord[]; type_id: number }
  | { kind: "Variant"; discriminator: string; contents: ValueRecord; type_id: number }
  | { kind: "Reference"; dereferenced: ValueRecord; address: number; mutable: boolean; type_id: number }
  | { kind: "Raw"; r: string; type_id: number }
  | { kind: "Error"; msg: string; type_id: number }
  | { kind: "None"; type_id: number }
  | { kind: "BigInt"; b: string; negative: boolean; type_id: number }
  | { kind: "Char"; c: string; type_id: number };

export interface FieldType {
  name: string;
  type_id: number;
}

export type TypeSpecificInfo =
  | { kind: "None" }
  | { kind: "Struct"; fields: FieldType[] }
  | { kind: "Pointer"; dereference_type_id: number };

export interface TypeRecord {
  kind: TypeKind;
  lang_type: string;
  specific_info: TypeSpecificInfo;
}

export interface FullValueRecord {
  variable_id: number;
  value: ValueRecord;
}

export type TraceEvent =
  | { Path: string }
  | { Function: { path_id: number; line: number; name: string } }
  | { Type: TypeRecord }
  | { VariableName: string }
  | { Step: { path_id: number; line: number } }
  | { Value: FullValueRecord }
  | { Call: { function_id: number; args: FullValueRecord[] } }
  | { Return: { return_value: ValueRecord } }
  | { Event: { kind: EventLogKind; metadata: string; content: string } };

export type TraceEventName = "Path" | "Function" | "Type" | "VariableName" | "Step" | "Value" | "Call" | "Return" | "Event";

/**
 * Registers types on first use: returns the TypeId for a (kind, lang_type) pair, writing its
 * `Type` event the first time. Struct types are keyed by their field list too.
 */
export interface TypeRegistry {
  typeId(kind: TypeKind, langType: string, specific?: TypeSpecificInfo): number;
}

/**
 * A streaming trace writer. Events are buffered and written in batches; after `flush()` (and after
 * every automatic flush) the trace directory on disk is a complete, loadable trace.
 */
export interface TraceWriter {
  readonly format: "json" | "binary";
  /** Absolute path of the events file (trace.json or trace.bin). */
  readonly file: string;
  /** Events accepted so far. */
  readonly eventCount: number;
  /** Bytes of the events file on disk as of the last flush. */
  readonly bytesOnDisk: number;
  write(event: TraceEvent): void;
  /**
   * Optional shortcuts for the events written at every line, same as
   * `write({ Step: { path_id, line } })` and `write({ Value: { variable_id, value } })`.
   */
  step?(pathId: number, line: number): void;
  value?(variableId: number, value: ValueRecord): void;
  flush(): void;
  /** Final flush; the writer refuses events afterwards. Idempotent. */
  close(): void;
}
