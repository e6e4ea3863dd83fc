/**
 * For each bundler, the bundled-app fixture (TypeScript and JavaScript modules, a class, async
 * functions, a caught exception) is bundled for Node with and without the plugin. The
 * instrumented bundle run with CTJS_TRACE must print what the plain bundle prints and leave a
 * valid trace that names the original files and lines; run without it, it must stay dormant.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readTraceEvents } from "@ctjs/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateTrace } from "../../../test/helpers/differential.js";
import { Raw, Thrown, traceFacts, type TraceEvent } from "../../../test/helpers/trace-facts.js";
import { BUNDLED_APP, NODE_BUNDLERS, buildNodeBundle } from "./helpers/bundlers.js";
import { runBundle } from "./helpers/run-bundle.js";
import { lineIn, originalPositionOf } from "./helpers/source-maps.js";

const MAIN = path.join(BUNDLED_APP, "main.ts");
const COUNTER = path.join(BUNDLED_APP, "counter.ts");
const FORMAT = path.join(BUNDLED_APP, "format.js");
const MARKER = '"ctjs-marker-42"';
const EXPECTED_OUTPUT = "rejected many plums: no amount\nctjs-marker-42 fruit: 7 items 3\n";

const scratch = mkdtempSync(path.join(os.tmpdir(), "ctjs-bundles-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function freshDir(name: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe.each(NODE_BUNDLERS)("%s Node bundle", (bundler) => {
  let plainBundle = "";
  let bundle = "";

  beforeAll(async () => {
    plainBundle = await buildNodeBundle(bundler, { entry: MAIN, outDir: freshDir(`${bundler}/plain`), ctjs: null });
    bundle = await buildNodeBundle(bundler, { entry: MAIN, outDir: freshDir(`${bundler}/ctjs`), ctjs: {}, root: BUNDLED_APP });
  });

  it("records with CTJS_TRACE: same output as the plain bundle, a valid trace, original paths and lines", () => {
    const runDir = freshDir(`${bundler}/run-json`);
    const traceDir = path.join(runDir, "trace");
    const plain = runBundle(plainBundle, runDir);
    expect(plain.stdout).toBe(EXPECTED_OUTPUT);
    const recorded = runBundle(bundle, runDir, { CTJS_TRACE: traceDir, CTJS_FORMAT: "json" });
    expect(recorded.stdout, recorded.stderr).toBe(plain.stdout);
    expect(recorded.status).toBe(0);
    expect(recorded.stderr).toBe(plain.stderr);

    const validation = validateTrace(traceDir);
    expect(validation.ok, validation.output).toBe(true);
    const facts = traceFacts(readTraceEvents(traceDir) as TraceEvent[]);
    expect(facts.paths).toEqual(expect.arrayContaining([MAIN, COUNTER, FORMAT]));
    for (const source of [MAIN, COUNTER, FORMAT]) {
      expect(readFileSync(path.join(traceDir, "files", source.slice(1)), "utf8")).toBe(readFileSync(source, "utf8"));
    }

    const fn = (name: string) => facts.functions.find((f) => f.name === name);
    expect(fn("Counter#add")).toEqual({ name: "Counter#add", path: COUNTER, line: lineIn(COUNTER, "add(amount") });
    expect(fn("parseAmount")).toEqual({ name: "parseAmount", path: FORMAT, line: lineIn(FORMAT, "function parseAmount") });
    expect(fn("fetchAmounts")).toEqual({ name: "fetchAmounts", path: MAIN, line: lineIn(MAIN, "async function fetchAmounts") });

    expect(facts.callsOf("Counter.constructor").map((c) => c.args)).toEqual([{ label: "fruit" }]);
    expect(facts.callsOf("Counter#add").map((c) => [c.args.amount, c.returned])).toEqual([[3, 3], [4, 7], [0, 7]]);
    const fetches = facts.callsOf("fetchAmounts");
    expect(fetches[0]!.args).toEqual({ names: ["3 apples", "4 pears"] });
    expect(fetches[fetches.length - 1]!.returned).toEqual([3, 4]);
    const failed = facts.callsOf("parseAmount").find((c) => c.args.text === "many plums");
    expect(failed?.returned).toBeInstanceOf(Thrown);
    expect(facts.callsOf("safeParse").map((c) => c.returned)).toEqual([0]);
    expect(facts.callsOf("describeTotal").map((c) => c.returned)).toEqual(["fruit: 7 items"]);

    // the step after the marker's line sees `marker`, at main.ts's own line numbers
    const markerLine = lineIn(MAIN, MARKER);
    const after = facts.steps.find((s) => s.path === MAIN && s.line === markerLine + 1);
    expect(after?.values.marker).toBe("ctjs-marker-42");
    expect(facts.stdout).toBe(EXPECTED_OUTPUT);
  });

  it("records a valid binary trace (the default format)", () => {
    const runDir = freshDir(`${bundler}/run-binary`);
    const traceDir = path.join(runDir, "trace");
    const recorded = runBundle(bundle, runDir, { CTJS_TRACE: traceDir });
    expect(recorded.stdout, recorded.stderr).toBe(EXPECTED_OUTPUT);
    expect(readdirSync(traceDir)).toContain("trace.bin");
    const validation = validateTrace(traceDir);
    expect(validation.ok, validation.output).toBe(true);
    expect(traceFacts(readTraceEvents(traceDir) as TraceEvent[]).callsOf("Counter#add")).toHaveLength(3);
  });

  it("reads CTJS_VALUES and CTJS_MAX_STEP_NODES when it runs: the bundle is built the same for every mode", () => {
    const runDir = freshDir(`${bundler}/run-values`);
    const recordWith = (name: string, env: Record<string, string>) => {
      const traceDir = path.join(runDir, name);
      const recorded = runBundle(bundle, runDir, { CTJS_TRACE: traceDir, CTJS_FORMAT: "json", ...env });
      expect(recorded.stdout, recorded.stderr).toBe(EXPECTED_OUTPUT);
      const validation = validateTrace(traceDir);
      expect(validation.ok, validation.output).toBe(true);
      const metadata = JSON.parse(readFileSync(path.join(traceDir, "trace_metadata.json"), "utf8")) as { values?: string };
      return { facts: traceFacts(readTraceEvents(traceDir) as TraceEvent[]), values: metadata.values };
    };
    const valueWrites = (events: readonly TraceEvent[]) => events.filter((e) => "Value" in e).length;
    const byDefault = recordWith("default", {});
    const full = recordWith("full", { CTJS_VALUES: "full" });
    expect([byDefault.values, full.values]).toEqual(["changed", "full"]);
    expect(valueWrites(full.facts.events)).toBeGreaterThan(valueWrites(byDefault.facts.events));
    // a budget of no records: the array argument is summarized, numbers are still shown
    const starved = recordWith("starved", { CTJS_MAX_STEP_NODES: "0" });
    expect(byDefault.facts.callsOf("fetchAmounts")[0]!.args.names).toEqual(["3 apples", "4 pears"]);
    expect(starved.facts.callsOf("fetchAmounts")[0]!.args.names).toBeInstanceOf(Raw);
    expect(starved.facts.callsOf("Counter#add").map((c) => c.args.amount)).toEqual([3, 4, 0]);
  });

  it("stays dormant without CTJS_TRACE: same output, nothing written", () => {
    expect(readFileSync(bundle, "utf8")).toContain("ctjs.probes");
    const runDir = freshDir(`${bundler}/run-dormant`);
    const dormant = runBundle(bundle, runDir);
    expect(dormant.stdout).toBe(EXPECTED_OUTPUT);
    expect(dormant.stderr).toBe("");
    expect(dormant.status).toBe(0);
    expect(readdirSync(runDir)).toEqual([]);
  });

  it("has a source map that takes the marker back to main.ts", () => {
    const position = originalPositionOf(bundle, MARKER);
    expect(position.source, JSON.stringify(position)).toMatch(/(^|\/)main\.ts$/);
    expect(position.line, JSON.stringify(position)).toBe(lineIn(MAIN, MARKER));
  });
});

/**
 * An import cycle in which a module calls a hoisted function of a module whose body has not run
 * yet: bundlers keep that order (Rollup and esbuild concatenate scopes, webpack and Vite SSR wrap
 * modules), and the instrumented function must find its probes all the same.
 */
const CYCLE = {
  "main.mjs": `import { total } from "./a.mjs";\nconsole.log("total", total());\n`,
  "a.mjs": `import { seen } from "./b.mjs";\nexport function early(n) {\n  const twice = (x) => x * 2;\n  return twice(n) + 1;\n}\nexport function total() { return seen + early(10) }\n`,
  "b.mjs": `import { early } from "./a.mjs";\nexport const seen = early(1);\nconsole.log("b saw", seen);\n`,
};

describe.each(NODE_BUNDLERS)("%s bundle of an import cycle", (bundler) => {
  it("runs as the plain bundle does, dormant and recorded, and records the early calls", async () => {
    const app = freshDir(`${bundler}-cycle/app`);
    for (const [name, text] of Object.entries(CYCLE)) writeFileSync(path.join(app, name), text);
    const entry = path.join(app, "main.mjs");
    const plainBundle = await buildNodeBundle(bundler, { entry, outDir: freshDir(`${bundler}-cycle/plain`), ctjs: null });
    const bundle = await buildNodeBundle(bundler, { entry, outDir: freshDir(`${bundler}-cycle/ctjs`), ctjs: {}, root: app });
    const runDir = freshDir(`${bundler}-cycle/run`);
    const plain = runBundle(plainBundle, runDir);
    expect(plain.stdout).toBe("b saw 3\ntotal 24\n");
    const dormant = runBundle(bundle, runDir);
    expect([dormant.stdout, dormant.stderr, dormant.status]).toEqual([plain.stdout, plain.stderr, plain.status]);
    const traceDir = path.join(runDir, "trace");
    const recorded = runBundle(bundle, runDir, { CTJS_TRACE: traceDir });
    expect([recorded.stdout, recorded.stderr, recorded.status]).toEqual([plain.stdout, plain.stderr, plain.status]);
    const validation = validateTrace(traceDir);
    expect(validation.ok, validation.output).toBe(true);
    const facts = traceFacts(readTraceEvents(traceDir) as TraceEvent[]);
    expect(facts.callsOf("early").map((c) => [c.args.n, c.returned])).toEqual([[1, 3], [10, 21]]);
    expect(facts.callsOf("twice")).toHaveLength(2);
  });
});
