/**
 * The static site table each file carries: its path, variable names, functions and line sites,
 * addressed by small integers that the probes pass. The runtime turns (table, index) into trace
 * ids lazily, so files never collide, whatever order they load in.
 */
import { parseSync } from "@babel/core";
import * as t from "@babel/types";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateTrace } from "../../../test/helpers/differential.js";
import type { TraceEvent } from "../../../test/helpers/trace-facts.js";
import { RUNTIME_ENTRY, emittedTable, runNode, scratchDir, transformWithPlugin, writeFile } from "./plugin-harness.js";

const SOURCE = `import { format } from "node:util";
export function describe(item, { verbose = false } = {}, ...rest) {
  const label = format("%s", item);
  if (verbose) {
    const extra = rest.length;
    return label + extra;
  }
  return label;
}
export class Store {
  items = [];
  add(item) {
    this.items.push(item);
    return this;
  }
}
const store = new Store().add(describe(1));
`;

/** Integer literals passed to the probes that take a function or site index, in code order. */
function probeIndexes(code: string): { enter: number[]; enterField: number[]; line: number[] } {
  const found = { enter: [] as number[], enterField: [] as number[], line: [] as number[] };
  t.traverseFast(parseSync(code, { configFile: false, babelrc: false, sourceType: "module" })!, (node) => {
    if (!t.isCallExpression(node) || !t.isMemberExpression(node.callee) || !t.isIdentifier(node.callee.property)) return;
    const probe = node.callee.property.name;
    if (probe !== "enter" && probe !== "enterField" && probe !== "line") return;
    const index = node.arguments[1];
    if (!t.isNumericLiteral(index)) throw new Error(`${probe} without a literal index`);
    found[probe].push(index.value);
  });
  return found;
}

describe("a file's site table", () => {
  it("names the file, lists functions and sites, and shares one name list", () => {
    const filename = "/projects/app/src/store.mjs";
    const output = transformWithPlugin(SOURCE, filename);
    const table = emittedTable(output.code);
    expect(table.path).toBe(filename);
    expect(new Set(table.names).size).toBe(table.names.length);
    expect(table.fns.map((f) => [f.name, f.params])).toEqual([
      ["<module>", []],
      ["describe", ["item", "verbose", "rest"]],
      ["Store#items =", []],
      ["Store#add", ["item"]],
    ]);
    // every name is used by a function or a site, and every index is in range
    const used = new Set([...table.rawFns.flatMap((f) => f[3]), ...table.rawSites.flatMap((s) => s[2])]);
    expect([...used].sort((a, b) => a - b)).toEqual(table.names.map((_, i) => i));
    expect(output.ctjs).toMatchObject({ functions: table.fns.length, sites: table.sites.length });
  });

  it("is addressed by small integers: each function and each site is used by exactly one probe", () => {
    const output = transformWithPlugin(SOURCE, "/projects/app/src/store.mjs");
    const table = emittedTable(output.code);
    const indexes = probeIndexes(output.code);
    expect([...indexes.enter, ...indexes.enterField].sort((a, b) => a - b)).toEqual(table.fns.map((_, i) => i));
    expect([...indexes.line].sort((a, b) => a - b)).toEqual(table.sites.map((_, i) => i));
    const numbers = [...table.rawFns.flatMap(([, line, column, params, kind]) => [line, column, ...params, kind]), ...table.rawSites.flat(2)];
    for (const n of numbers) expect(Number.isSafeInteger(n) && n >= 0, `${n}`).toBe(true);
  });

  it("is the same for the same input, and independent of other files transformed before", () => {
    const first = emittedTable(transformWithPlugin(SOURCE, "/projects/app/src/store.mjs").code);
    transformWithPlugin("function other(a, b, c) { return a; }\n", "/projects/app/src/other.mjs");
    const again = emittedTable(transformWithPlugin(SOURCE, "/projects/app/src/store.mjs").code);
    expect(again).toEqual(first);
  });
});

/** Two modules alike but for their label: the same function names, lines and local indexes. */
const twin = (label: string) => `export function helper(x) {
  const y = x + 1;
  return y;
}
export const label = ${JSON.stringify(label)};
`;

interface CallRecord {
  name: string;
  path: string;
}

/** Calls of a json trace with the path of the function each one entered. */
function callsWithPaths(events: TraceEvent[]): { functions: Array<{ name: string; path: string }>; calls: CallRecord[] } {
  const paths: string[] = [];
  const functions: Array<{ name: string; path: string }> = [];
  const calls: CallRecord[] = [];
  for (const event of events) {
    if ("Path" in event) paths.push(event.Path);
    else if ("Function" in event) functions.push({ name: event.Function.name, path: paths[event.Function.path_id]! });
    else if ("Call" in event) calls.push(functions[event.Call.function_id]!);
  }
  return { functions, calls };
}

describe("files recorded together", () => {
  it.each([
    [["a", "b"]],
    [["b", "a"]],
  ])("never mix up their functions, loaded in the order %j", (order) => {
    const dir = scratchDir();
    const originals: Record<string, string> = {};
    for (const name of ["a", "b"]) {
      originals[name] = path.join(dir, "src", `${name}.mjs`);
      writeFile(originals[name], twin(name));
      writeFile(path.join(dir, "out", `${name}.mjs`), transformWithPlugin(twin(name), originals[name]).code);
    }
    const driver = writeFile(
      path.join(dir, "out/driver.mjs"),
      `import { start, stop } from ${JSON.stringify(RUNTIME_ENTRY)};
start({ outDir: process.argv[2], format: "json", processHooks: false });
const modules = {};
for (const name of process.argv.slice(3)) modules[name] = await import(\`./\${name}.mjs\`);
console.log(modules.a.helper(1), modules.b.helper(10), modules.a.helper(100), modules.b.label);
stop();
`,
    );
    const traceDir = path.join(dir, "trace");
    const run = runNode([driver, traceDir, ...order]);
    expect(run).toMatchObject({ stdout: "2 11 101 b\n", stderr: "", status: 0 });
    const validation = validateTrace(traceDir);
    expect(validation.ok, validation.output).toBe(true);
    const { functions, calls } = callsWithPaths(JSON.parse(readFileSync(path.join(traceDir, "trace.json"), "utf8")) as TraceEvent[]);
    // one Function per (file, function): the twins' helpers stay two functions
    expect(functions.filter((f) => f.name === "helper").map((f) => f.path).sort()).toEqual([originals.a, originals.b]);
    expect(functions.filter((f) => f.name === "<module>").map((f) => f.path).sort()).toEqual([originals.a, originals.b]);
    // modules run in load order, then each call enters the helper of the module it was made on
    const ordered = order.map((name) => ({ name: "<module>", path: originals[name]! }));
    expect(calls.filter((c) => c.path !== path.join(dir, "out/driver.mjs"))).toEqual([
      ...ordered,
      { name: "helper", path: originals.a },
      { name: "helper", path: originals.b },
      { name: "helper", path: originals.a },
    ]);
  });
});
