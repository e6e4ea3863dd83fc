/**
 * What the plugin cannot instrument safely it leaves alone, instruments the rest of the file and
 * says so once; input it cannot parse fails with Babel's message and position, and no output.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { instrumentSource } from "../src/index.js";
import { emittedTable, loggingProbes, positionOf, runScripts, transformWithPlugin } from "./plugin-harness.js";

const WITH_SOURCE = `function plain(a) { return a + 1; }
function scoped(o) {
  with (o) { return x + plain(y); }
}
const o = { x: 1, y: 2, show() { return this === o; } };
with (o) { print(x, y, show()); }
print(scoped(o), plain(5));
`;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("code inside with", () => {
  it("is left uninstrumented while the rest of the file is instrumented", () => {
    const filename = "/projects/app/legacy-with.js";
    const output = transformWithPlugin(WITH_SOURCE, filename, { warnings: false }, { sourceType: "script" });
    const table = emittedTable(output.code);
    // `scoped` and the top level hold a `with`; `plain` and the object method do not
    expect(table.fns.map((f) => f.name)).toEqual(["<module>", "plain", "o.show"]);
    const plain = runScripts([{ code: WITH_SOURCE, filename }]).printed;
    expect(plain).toEqual(["1 2 true", "4 6"]);
    const { log, probes } = loggingProbes();
    expect(runScripts([{ code: output.code, filename }], probes).printed).toEqual(plain);
    expect(log.filter((l) => l.startsWith("enter"))).toEqual([
      "enter legacy-with.js:o.show()",
      "enter legacy-with.js:plain(a=2)",
      "enter legacy-with.js:plain(a=5)",
    ]);
    expect(log.some((l) => l.includes("<module>") || l.includes("scoped"))).toBe(false);
  });

  it("is reported in the metadata, one entry per with statement, at its position", () => {
    const filename = "/projects/app/legacy-with.js";
    const output = transformWithPlugin(WITH_SOURCE, filename, { warnings: false }, { sourceType: "script" });
    const first = positionOf(WITH_SOURCE, "with (o) { return");
    const second = positionOf(WITH_SOURCE, "with (o) { print");
    expect(output.ctjs?.uninstrumented).toEqual([
      `${filename}:${first.line}:${first.column + 1}: code inside \`with\` is left uninstrumented (names there may resolve to the object's properties)`,
      `${filename}:${second.line}:${second.column + 1}: code inside \`with\` is left uninstrumented (names there may resolve to the object's properties)`,
    ]);
  });

  it("gives one warning per file, to the warnings function", () => {
    const messages: string[] = [];
    const filename = "/projects/app/warned.js";
    transformWithPlugin(WITH_SOURCE, filename, { warnings: (message) => messages.push(message) }, { sourceType: "script" });
    expect(messages).toHaveLength(1);
    const lines = messages[0]!.split("\n");
    expect(lines[0]).toBe(`ctjs: 2 constructs left uninstrumented in ${filename} (the rest of the file is recorded):`);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^  ${filename}:3:3: code inside \`with\``)),
      expect.stringMatching(new RegExp(`^  ${filename}:6:1: code inside \`with\``)),
    ]);
    transformWithPlugin("function clean() { return 1; }\n", "/projects/app/clean.js", { warnings: (message) => messages.push(message) });
    expect(messages).toHaveLength(1);
  });

  it("gives one warning per file on stderr by default, and only once per process for the same file", () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const filename = `/projects/app/stderr-${process.pid}.js`;
    transformWithPlugin(WITH_SOURCE, filename, {}, { sourceType: "script" });
    transformWithPlugin(WITH_SOURCE, filename, {}, { sourceType: "script" });
    vi.restoreAllMocks();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(new RegExp(`^ctjs: 2 constructs left uninstrumented in ${filename} `));
    expect(written[0]!.endsWith("\n")).toBe(true);
  });

  it("is not reported with warnings: false", () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const output = transformWithPlugin(WITH_SOURCE, "/projects/app/quiet.js", { warnings: false }, { sourceType: "script" });
    vi.restoreAllMocks();
    expect(written).toEqual([]);
    expect(output.ctjs?.uninstrumented).toHaveLength(2);
  });

  it("keeps functions nested in a with body uninstrumented, and functions around it instrumented", () => {
    const source = `function outer(o) {
  const inner = () => 1;
  with (o) { (function nested() { return x; })(); }
  return inner();
}
print(outer({ x: 1 }));
`;
    const output = transformWithPlugin(source, "/projects/app/nested-with.js", { warnings: false }, { sourceType: "script" });
    expect(emittedTable(output.code).fns.map((f) => f.name)).toEqual(["<module>", "inner"]);
    const { log, probes } = loggingProbes();
    expect(runScripts([{ code: output.code, filename: "/projects/app/nested-with.js" }], probes).printed).toEqual(["1"]);
    expect(log.filter((l) => l.startsWith("enter"))).toEqual(["enter nested-with.js:<module>()", "enter nested-with.js:inner()"]);
  });
});

describe("syntax errors", () => {
  it("fail with Babel's message naming file, line and column", () => {
    const filename = "/projects/app/broken.js";
    let thrown: (Error & { code?: string; loc?: { line: number; column: number } }) | undefined;
    let output: unknown;
    try {
      output = transformWithPlugin("function ok() {}\nconst value = 1 +;\n", filename);
    } catch (error) {
      thrown = error as typeof thrown;
    }
    expect(output).toBeUndefined();
    expect(thrown?.code).toBe("BABEL_PARSE_ERROR");
    expect(thrown?.message).toMatch(new RegExp(`^${filename}: Unexpected token \\(2:17\\)`));
    expect(thrown?.loc).toEqual(expect.objectContaining({ line: 2, column: 17 }));
  });

  it("fail the same way through instrumentSource, for TypeScript too, and produce nothing", () => {
    const filename = "/projects/app/broken.ts";
    expect(() => instrumentSource("const a: number = 1;\nfunction f(x: number {\n  return x;\n}\n", { filename })).toThrow(
      new RegExp(`^${filename}: .*\\(2:21\\)`),
    );
    // an error the parser only finds in context: await in a parameter default
    expect(() => instrumentSource("async function f(a = await 1) {}\n", { filename: "/projects/app/await.mjs" })).toThrow(/\/projects\/app\/await\.mjs: .*\(1:21\)/);
  });

  it("never come from the instrumentation itself on code that parses", () => {
    const tricky = `label: for (const a of [1]) { if (a) continue label; else break label; }
switch (1) { case 1: let z = 1; function hoisted() {} break; default: }
try { throw 1; } catch { } finally { }
do x = 1; while (false);
if (true) function sloppyDeclaration() {}
var x;
print(typeof hoisted, typeof sloppyDeclaration, x, typeof z);
`;
    const output = transformWithPlugin(tricky, "/projects/app/tricky.js", {}, { sourceType: "script" });
    const plain = runScripts([{ code: tricky, filename: "/projects/app/tricky.js" }]).printed;
    expect(plain).toEqual(["function function 1 undefined"]);
    expect(runScripts([{ code: output.code, filename: "/projects/app/tricky.js" }], loggingProbes().probes).printed).toEqual(plain);
  });
});
