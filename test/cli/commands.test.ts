/**
 * The commands beside `record`: `instrument` (files and source maps for pipelines without a
 * bundler), `convert` (json ⇄ binary, losslessly) and `summary` (what a person wants first).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUTO_START } from "../helpers/differential.js";
import { expectValidTrace, factsOf, metadataOf, readEvents, runCtjs, runNode, scratchDir, writeTree } from "./recording.js";

const scratch = scratchDir("commands");

describe("ctjs instrument", () => {
  const src = writeTree(path.join(scratch, "instrument-src"), {
    "main.js": `const { helper } = require("./util.js");\nconsole.log("main", helper(2));\n`,
    "util.js": `function helper(n) {\n  return n * 21;\n}\nmodule.exports = { helper };\n`,
    "esm.mjs": `export function shout(text) {\n  return text.toUpperCase() + "!";\n}\nconsole.log(shout("esm"));\n`,
    "shape.ts": `interface Shape {\n  side: number;\n}\nfunction area(shape: Shape): number {\n  return shape.side ** 2;\n}\nconsole.log("area", area({ side: 3 }));\n`,
    "node_modules/dep/index.js": `module.exports = 1;\n`,
    "types.d.ts": `export type Nothing = never;\n`,
  });
  const out = path.join(scratch, "instrument-out");

  it("writes instrumented files and source maps that lead back to the originals", () => {
    const run = runCtjs(["instrument", src, "--out-dir", out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`ctjs: instrumented 4 files into ${out}\n`);
    expect(readdirSync(out).sort()).toEqual(["esm.mjs", "esm.mjs.map", "main.js", "main.js.map", "shape.js", "shape.js.map", "util.js", "util.js.map"]);
    for (const [output, original] of [["main.js", "main.js"], ["util.js", "util.js"], ["esm.mjs", "esm.mjs"], ["shape.js", "shape.ts"]] as const) {
      const code = readFileSync(path.join(out, output), "utf8");
      expect(code).not.toBe(readFileSync(path.join(src, original), "utf8"));
      expect(code.trimEnd().endsWith(`//# sourceMappingURL=${output}.map`)).toBe(true);
      const map = JSON.parse(readFileSync(path.join(out, `${output}.map`), "utf8")) as { version: number; sources: string[]; mappings: string };
      expect(map.version).toBe(3);
      expect(map.mappings.length).toBeGreaterThan(0);
      expect(map.sources.map((s) => path.resolve(out, s))).toContain(path.join(src, original));
    }
  });

  it("the instrumented files run as the originals do, and record when the runtime is loaded", () => {
    for (const file of ["main.js", "esm.mjs"]) expect(runNode([path.join(out, file)]).stdout).toBe(runNode([path.join(src, file)]).stdout);
    expect(runNode([path.join(out, "shape.js")]).stdout).toBe("area 9\n");

    const trace = path.join(scratch, "instrumented-trace");
    const recorded = runNode(["--import", AUTO_START, path.join(out, "main.js")], { env: { CTJS_TRACE: trace, CTJS_FORMAT: "json" } });
    expect(recorded.stdout).toBe("main 42\n");
    expectValidTrace(trace);
    const facts = factsOf(trace);
    expect(facts.callsOf("helper").map((c) => [c.args, c.returned])).toEqual([[{ n: 2 }, 42]]);
    // the trace names the original sources, not the instrumented copies
    expect(facts.paths).toContain(path.join(src, "util.js"));
  });

  it("instruments a single file; usage errors exit 2", () => {
    const single = path.join(scratch, "instrument-single");
    const run = runCtjs(["instrument", path.join(src, "util.js"), "-o", single]);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(single).sort()).toEqual(["util.js", "util.js.map"]);
    for (const args of [["instrument", src], ["instrument", path.join(scratch, "nowhere"), "--out-dir", single], ["instrument", "--bogus", src, "--out-dir", single], ["instrument"]]) {
      const bad = runCtjs(args);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^ctjs: [^\n]+\n$/);
    }
  });
});

/** A program whose trace holds many kinds of values: what a lossy conversion would get wrong. */
const VALUES_PROGRAM = `function describe(value) {
  return typeof value;
}
const samples = [0, -1, 2 ** 53 + 2, 1.5, -0, NaN, Infinity, 12345678901234567890n, "text", "ünïcødé ✓ 𝄞", "", true, null, undefined,
  [1, [2, [3]]], { nested: { deep: [1, "two"] } }, new Map([["k", 1]]), new Set([1]), new Date(0), /re/g, Symbol("s"), new Error("boom"), () => 1];
const kinds = samples.map(describe);
console.log(kinds.join(" "));
process.exitCode = 3;
`;

describe("ctjs convert", () => {
  const dir = writeTree(path.join(scratch, "convert"), { "values.js": VALUES_PROGRAM });
  const original = path.join(scratch, "convert-json");
  const recorded = runCtjs(["record", "-q", "--format", "json", "-o", original, "values.js"], { cwd: dir });

  it("json → binary → json gives the same events, and the same sidecars", () => {
    expect(recorded.status, recorded.stderr).toBe(3);
    const binary = path.join(scratch, "convert-binary");
    const back = path.join(scratch, "convert-back");
    const toBinary = runCtjs(["convert", original, "--format", "binary", "-o", binary]);
    expect(toBinary.status, toBinary.stderr).toBe(0);
    const toJson = runCtjs(["convert", binary, "--format=json", "--out-dir", back]);
    expect(toJson.status, toJson.stderr).toBe(0);
    expect(existsSync(path.join(binary, "trace.bin"))).toBe(true);
    expect(existsSync(path.join(binary, "trace.json"))).toBe(false);

    const events = readEvents(original);
    expect(events.length).toBeGreaterThan(50);
    expect(readEvents(binary)).toEqual(events);
    expect(readEvents(back)).toEqual(events);
    expect(JSON.parse(readFileSync(path.join(back, "trace.json"), "utf8"))).toEqual(JSON.parse(readFileSync(path.join(original, "trace.json"), "utf8")));
    for (const converted of [binary, back]) {
      expectValidTrace(converted);
      expect(readFileSync(path.join(converted, "trace_paths.json"), "utf8")).toBe(readFileSync(path.join(original, "trace_paths.json"), "utf8"));
      expect(readFileSync(path.join(converted, "files", dir, "values.js"), "utf8")).toBe(VALUES_PROGRAM);
      const { format, ...rest } = metadataOf(converted);
      const { format: originalFormat, ...originalRest } = metadataOf(original);
      expect(rest).toEqual(originalRest);
      expect([originalFormat, format]).toEqual(["json", converted === binary ? "binary" : "json"]);
    }
  });

  it("bad calls exit 2 with one line", () => {
    const taken = writeTree(path.join(scratch, "convert-taken"), { "keep.txt": "x" });
    const calls = [
      ["convert", original, "--format", "yaml", "-o", path.join(scratch, "convert-yaml")],
      ["convert", original, "--format", "binary", "-o", taken],
      ["convert", path.join(scratch, "no-trace-here"), "--format", "binary", "-o", path.join(scratch, "convert-none")],
      ["convert", original, "-o", path.join(scratch, "convert-no-format")],
      ["convert", original, "--format", "binary"],
      ["convert"],
    ];
    for (const args of calls) {
      const run = runCtjs(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/^ctjs: [^\n]+\n$/);
    }
    expect(readdirSync(taken)).toEqual(["keep.txt"]);
    expect(existsSync(path.join(scratch, "convert-yaml"))).toBe(false);
  });
});

describe("ctjs summary", () => {
  const dir = writeTree(path.join(scratch, "summary"), {
    "busy.js": `const { tick } = require("./lib.js");\nfor (let i = 0; i < 5; i++) tick(i);\nfunction once() {\n  return "once";\n}\nonce();\nprocess.exitCode = 4;\n`,
    "lib.js": `exports.tick = function tick(i) {\n  return i * 2;\n};\n`,
  });
  const trace = path.join(scratch, "summary-trace");
  const recorded = runCtjs(["record", "-q", "-o", trace, "busy.js"], { cwd: dir });

  it("prints program, exit code, duration, events by kind, most called functions, steps per file, size", () => {
    expect(recorded.status, recorded.stderr).toBe(4);
    const run = runCtjs(["summary", trace]);
    expect(run.status, run.stderr).toBe(0);
    const text = run.stdout;
    const metadata = metadataOf(trace);
    expect(text).toMatch(new RegExp(`^program: +${escape(path.join(dir, "busy.js"))}$`, "m"));
    expect(text).toMatch(/^exit code: +4$/m);
    expect(text).toMatch(/^duration: +\d+\.\d{3} s$/m);
    expect(text).toMatch(/^size: +[\d.]+ (B|KiB|MiB) on disk$/m);
    expect(text).toMatch(new RegExp(`^events: +${metadata.events}$`, "m"));
    const facts = factsOf(trace);
    for (const kind of ["Step", "Call", "Return", "Function", "Path"]) {
      const count = facts.events.filter((e) => kind in e).length;
      expect(text).toMatch(new RegExp(`^  ${kind} +${count}$`, "m"));
    }
    const mostCalled = section(text, "most called functions:");
    expect(mostCalled[0]).toMatch(/^ +5 +tick$/);
    expect(mostCalled).toContainEqual(expect.stringMatching(/^ +1 +once$/));
    const steps = section(text, "steps per file:");
    for (const file of ["busy.js", "lib.js"]) {
      const count = facts.steps.filter((s) => s.path === path.join(dir, file)).length;
      expect(steps).toContainEqual(expect.stringMatching(new RegExp(`^ +${count} +${escape(path.join(dir, file))}$`)));
    }
    expect(text).toMatch(/^valid: yes$/m);
  });

  it("a broken trace is reported invalid (exit 1); a directory without a trace is exit 2", () => {
    const broken = path.join(scratch, "summary-broken");
    const copy = runCtjs(["convert", trace, "--format", "json", "-o", broken]);
    expect(copy.status, copy.stderr).toBe(0);
    // drop the last Return: the toplevel call is left open
    const events = JSON.parse(readFileSync(path.join(broken, "trace.json"), "utf8")) as object[];
    const lastReturn = events.map((e) => "Return" in e).lastIndexOf(true);
    writeFileSync(path.join(broken, "trace.json"), JSON.stringify(events.filter((_, i) => i !== lastReturn)));
    const run = runCtjs(["summary", broken]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^valid: no — 1 calls left open$/m);

    for (const args of [["summary", path.join(scratch, "nothing-here")], ["summary", dir], ["summary"], ["summary", "--bogus", trace]]) {
      const bad = runCtjs(args);
      expect(bad.status, args.join(" ")).toBe(2);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toMatch(/^ctjs: [^\n]+\n$/);
    }
  });
});

/** The indented lines under a heading of the summary. */
function section(text: string, heading: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(heading);
  expect(start, `no "${heading}" in\n${text}`).toBeGreaterThanOrEqual(0);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(" ")) break;
    body.push(line);
  }
  return body;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
