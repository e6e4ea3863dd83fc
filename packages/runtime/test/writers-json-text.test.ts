import { describe, expect, it } from "vitest";
import { eventToJson } from "../src/writers/index.js";
import { TYPE } from "./helpers/trace-events.js";

describe("JSON text of an event", () => {
  it("is JSON.stringify's output for ordinary events", () => {
    const event = { Step: { path_id: 3, line: 42 } };
    expect(eventToJson(event)).toBe(JSON.stringify(event));
  });

  it("writes bigint Int values as plain JSON integers", () => {
    const text = eventToJson({ Value: { variable_id: 0, value: { kind: "Int", i: -9223372036854775808n, type_id: TYPE.Int } } });
    expect(text).toBe('{"Value":{"variable_id":0,"value":{"kind":"Int","i":-9223372036854775808,"type_id":1}}}');
  });

  it("replaces lone surrogates with U+FFFD and keeps valid pairs", () => {
    const text = eventToJson({ Event: { kind: 0, metadata: "\udbff", content: "a\ud800b😀\udc00" } });
    expect(text).toBe('{"Event":{"kind":0,"metadata":"\ufffd","content":"a\ufffdb😀\ufffd"}}');
    expect(text).not.toMatch(/\\ud[89a-f]/i);
  });

  it("keeps a literal backslash-u text intact", () => {
    const event = { VariableName: "C:\\udir\\ud800" };
    expect(JSON.parse(eventToJson(event))).toEqual(event);
  });

  it("handles bigints and lone surrogates together, in nested values and keys", () => {
    const text = eventToJson({
      Value: {
        variable_id: 0,
        value: {
          kind: "Sequence",
          is_slice: false,
          type_id: 0,
          elements: [
            { kind: "Int", i: 2n ** 62n, type_id: 1 },
            { kind: "String", text: "\ud800", type_id: 2 },
          ],
        },
      },
    });
    expect(text).toContain('"i":4611686018427387904');
    expect(text).toContain('"text":"\ufffd"');
    expect(JSON.parse(text)).toBeTruthy();
  });
});

describe("JSON templates of the frequent events", () => {
  it("match JSON.stringify for Step, Value, Call and Return of every scalar kind", () => {
    const values = [
      { kind: "Int", i: 7, type_id: 1 },
      { kind: "Int", i: -0, type_id: 1 },
      { kind: "Float", f: "-Infinity", type_id: 3 },
      { kind: "Bool", b: false, type_id: 4 },
      { kind: "Bool", b: true, type_id: 4 },
      { kind: "String", text: 'quote " backslash \\ newline \n tab \t nul \u0000 日本 😀', type_id: 2 },
      { kind: "None", type_id: 0 },
      { kind: "Sequence", elements: [{ kind: "Int", i: 1, type_id: 1 }], is_slice: false, type_id: 5 },
    ] as const;
    const events = [
      { Step: { path_id: 0, line: 1 } },
      { Step: { path_id: 12, line: 123456 } },
      { Call: { function_id: 3, args: [] } },
      { Call: { function_id: 3, args: values.map((value, variable_id) => ({ variable_id, value })) } },
      ...values.map((value) => ({ Value: { variable_id: 2, value } })),
      ...values.map((return_value) => ({ Return: { return_value } })),
    ];
    for (const event of events) expect(eventToJson(event as never)).toBe(JSON.stringify(event));
  });
});
