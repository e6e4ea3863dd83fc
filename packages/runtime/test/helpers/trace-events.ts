import type { TraceEvent } from "../../src/trace-events.js";

/** Builders for small valid event streams (see shared/TRACE-FORMAT.md). */

export const TEST_PROGRAM = "/tmp/ctjs-test/main.js";

/** TypeIds of the types `prologue()` registers, in order. */
export const TYPE = { None: 0, Int: 1, String: 2, Float: 3, Bool: 4 } as const;

/**
 * Path 0, the `<toplevel>` function 0, the basic types, the top-level call and its first step.
 * Close it with `epilogue()`. No Step precedes the top-level Call: the CodeTracer reader opens a
 * call of its own for Steps before the first Call, which would leave one call open at the end.
 */
export function prologue(path: string = TEST_PROGRAM): TraceEvent[] {
  return [
    { Path: path },
    { Function: { path_id: 0, line: 1, name: "<toplevel>" } },
    { Type: { kind: 30, lang_type: "undefined", specific_info: { kind: "None" } } },
    { Type: { kind: 7, lang_type: "number", specific_info: { kind: "None" } } },
    { Type: { kind: 9, lang_type: "string", specific_info: { kind: "None" } } },
    { Type: { kind: 8, lang_type: "float", specific_info: { kind: "None" } } },
    { Type: { kind: 12, lang_type: "boolean", specific_info: { kind: "None" } } },
    { Call: { function_id: 0, args: [] } },
    { Step: { path_id: 0, line: 1 } },
  ];
}

export function epilogue(): TraceEvent[] {
  return [{ Return: { return_value: { kind: "None", type_id: TYPE.None } } }];
}

/** A complete trace: prologue, `body`, epilogue. */
export function minimalTrace(body: TraceEvent[] = [{ Step: { path_id: 0, line: 2 } }]): TraceEvent[] {
  return [...prologue(), ...body, ...epilogue()];
}

/** The event kinds exercised by round-trip tests: every value kind, unicode, bigints. */
export function richBody(): TraceEvent[] {
  return [
    { VariableName: "x" },
    { VariableName: "ünïcødé 🎉" },
    { Function: { path_id: 0, line: 10, name: "add" } },
    { Step: { path_id: 0, line: 3 } },
    { Value: { variable_id: 0, value: { kind: "Int", i: 42, type_id: TYPE.Int } } },
    { Value: { variable_id: 0, value: { kind: "Int", i: -7, type_id: TYPE.Int } } },
    { Value: { variable_id: 0, value: { kind: "Int", i: 9007199254740993n, type_id: TYPE.Int } } },
    { Value: { variable_id: 0, value: { kind: "Int", i: -9223372036854775808n, type_id: TYPE.Int } } },
    { Value: { variable_id: 0, value: { kind: "Int", i: 9223372036854775807n, type_id: TYPE.Int } } },
    { Value: { variable_id: 1, value: { kind: "Float", f: "2.5", type_id: TYPE.Float } } },
    { Value: { variable_id: 1, value: { kind: "Float", f: "NaN", type_id: TYPE.Float } } },
    { Value: { variable_id: 1, value: { kind: "Bool", b: true, type_id: TYPE.Bool } } },
    { Value: { variable_id: 1, value: { kind: "String", text: "héllo \"wörld\"\n\t\\ 日本語 😀", type_id: TYPE.String } } },
    { Value: { variable_id: 1, value: { kind: "String", text: "x".repeat(100_000), type_id: TYPE.String } } },
    {
      Value: {
        variable_id: 1,
        value: {
          kind: "Sequence",
          is_slice: false,
          type_id: TYPE.Int,
          elements: [
            { kind: "Int", i: 1, type_id: TYPE.Int },
            { kind: "Tuple", elements: [{ kind: "None", type_id: TYPE.None }], type_id: TYPE.Int },
          ],
        },
      },
    },
    { Value: { variable_id: 1, value: { kind: "Raw", r: "[Circular]", type_id: TYPE.String } } },
    { Value: { variable_id: 1, value: { kind: "Error", msg: "boom", type_id: TYPE.String } } },
    { Value: { variable_id: 1, value: { kind: "BigInt", b: "AQ==", negative: true, type_id: TYPE.Int } } },
    { Step: { path_id: 0, line: 10 } },
    {
      Call: {
        function_id: 1,
        args: [
          { variable_id: 0, value: { kind: "Int", i: 1, type_id: TYPE.Int } },
          { variable_id: 1, value: { kind: "String", text: "a", type_id: TYPE.String } },
        ],
      },
    },
    { Step: { path_id: 0, line: 11 } },
    { Event: { kind: 0, metadata: "", content: "hello\n" } },
    { Return: { return_value: { kind: "Int", i: 3, type_id: TYPE.Int } } },
    { Step: { path_id: 0, line: 4 } },
  ];
}
