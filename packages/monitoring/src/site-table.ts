/**
 * The static description of one instrumented file, emitted by the Babel plugin as an object
 * literal. Probes pass small integers that index into it, so the hot path moves no strings.
 * The pair (file table object, index) identifies a function or line site; ids therefore never
 * collide across files, whatever order files load in.
 */
export interface FileTable {
  /** Format version of the table. */
  readonly ctjs: 1;
  /** Absolute path (or bundler id) of the original source file. */
  readonly path: string;
  /** Variable names; functions and sites refer to them by index. */
  readonly names: readonly string[];
  /** Functions: [name, line, column, parameter name indexes, kind]. */
  readonly fns: readonly FunctionEntry[];
  /** Line sites: [line, column, variable name indexes passed at this site, kept parameters, private fields]. */
  readonly sites: readonly SiteEntry[];
  /**
   * "full" (the Babel plugin's `values: "full"`): the runtime writes every variable at every step
   * for this file's frames, whatever the session's values mode. Absent: the session's mode.
   */
  readonly values?: "full";
}

/** [name, line (1-based), column (0-based), parameter name indexes, FunctionKind bits] */
export type FunctionEntry = readonly [string, number, number, readonly number[], number];

/**
 * [line (1-based), column (0-based), variable name indexes, kept parameters, private fields].
 * The line probe passes the values of the named variables, in order. The name "this" (a reserved
 * word, never a variable's name) stands for `this`: it is passed where a class member or an
 * object-literal method binds `this` (in arrows within them too), never in plain functions nor
 * before `super()` returned in a derived constructor.
 * Kept parameters (absent when none; `0` when none but private fields follow) are pairs, flat: a
 * variable name index and that parameter's position among the `enter` probe's arguments. They
 * are never reassigned, so their value is still the one the frame was entered with
 * (`Frame.args`) and the probe need not pass it: fewer arguments keep instrumented functions
 * small enough for V8 to inline.
 * Private fields (absent when none; only at sites that pass "this", in instance members of a
 * class that declares private fields) are name indexes of the names as written, "#count": the
 * instance fields of that class, never private methods or accessors. The probe passes one more
 * value after those of the variables: the class's reader, `(object, absent) => values`, a function
 * made inside the class body that returns, for each listed field in order, its value on `object`,
 * or `absent` where `object` has no such field (its brand check failed: a method called on another
 * object, or on an instance of another evaluation of the class); for a primitive it returns an
 * empty array. It runs no user code and never throws on its own. The fields it finds belong inside
 * the value shown for "this", as fields of those names. One value, whatever the number of fields,
 * keeps the steps of small methods small enough for V8 to inline them.
 */
export type SiteEntry = readonly [number, number, readonly number[], (readonly number[] | 0)?, (readonly number[])?];

/** Bits describing a function entry's kind. */
export const FUNCTION_KIND = Object.freeze({
  PLAIN: 0,
  ASYNC: 1,
  GENERATOR: 2,
  MODULE: 4,
  ARROW: 8,
  METHOD: 16,
  CONSTRUCTOR: 32,
  FIELD: 64,
  STATIC_BLOCK: 128,
} as const);

export function isFileTable(value: unknown): value is FileTable {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { ctjs?: unknown }).ctjs === 1 &&
    typeof (value as { path?: unknown }).path === "string"
  );
}
