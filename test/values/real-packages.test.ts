/**
 * Values on change on real packages: the bench's workloads (acorn, marked, js-yaml, lodash,
 * terser; packages/bench/workloads), their package files instrumented the way the bench
 * instruments them (packages/bench/subject-copies.mjs), each recorded once with
 * values "changed" and once with "full" on a small input. Both recordings must show the same
 * locals panel at every step (test/helpers/locals-oracle.ts), the changed one with fewer Values.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { iterateTraceEvents } from "../../packages/runtime/src/trace-reader/index.js";
import { REPO_ROOT } from "../helpers/differential.js";
import { compareLocals } from "../helpers/locals-oracle.js";

interface Workload {
  name: string;
}

const DRIVER = path.join(REPO_ROOT, "test/values/record-workload.mjs");
const { prepareSubjects } = (await import(path.join(REPO_ROOT, "packages/bench/subject-copies.mjs"))) as {
  prepareSubjects(root: string, workloads: Workload[]): unknown;
};
const { workloadByName } = (await import(path.join(REPO_ROOT, "packages/bench/workloads/index.mjs"))) as { workloadByName(name: string): Workload };

const scratch = mkdtempSync(path.join(os.tmpdir(), "ctjs-real-values-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Inputs far smaller than the bench's (each recording takes a second or two), still driving
 * each package through its main paths.
 */
const SMALL_INPUTS: Record<string, unknown> = {
  acorn: `import { a } from "./a.js";
export const point = { x: 1, y: [2, 3], ...a };
function area(w, h = 2) { return w * h; }
class Shape extends Base { #id = 1; get id() { return this.#id; } }
for (const k of Object.keys(point)) if (k !== "x") console.log(\`\${k}: \${point[k]}\`);
`,
  marked: `## Section: trace record

A *value* with **strong** words, \`code\` and a [link](https://example.com/1).

- first item
- second item
  - nested item
1. one
2. two

> a quote

| name | count |
|---|---|
| step | 2 |
`,
  "js-yaml": {
    version: 3,
    records: [
      { id: 0, name: "record-0", active: true, score: 12.5, tags: ["alpha", "beta"], position: { x: 1, y: 2, label: "point 0" }, note: "multi\nline\ntext" },
    ],
  },
  lodash: Array.from({ length: 8 }, (_, id) => ({ id, group: ["north", "south", "east"][id % 3], score: (id * 137) % 1000, tags: [`t${id % 4}`, `t${(id * 7) % 5}`] })),
  terser: "var str = 'a' + 'b';\nfunction twice(x) { var unused = 1; return x * 2; }\nvar y = twice(str.length);\n",
};

/**
 * Smaller values than by default, alike in both modes: these packages' frames hold large objects
 * (parser and dumper states, AST nodes, options), and at the default limits the full recording of
 * even a small run is some hundred megabytes of values to read back. The small step budget also
 * makes it cut values short at many steps, which both modes must do alike.
 */
const LIMITS = { maxDepth: 3, maxItems: 12, maxTotalNodes: 200, maxStepNodes: 600 };

describe.each(Object.keys(SMALL_INPUTS))("%s", (name) => {
  it("records the same locals panel at every step with values changed and full", () => {
    const root = path.join(scratch, name);
    prepareSubjects(root, [workloadByName(name)]);
    const inputFile = path.join(root, "input.json");
    writeFileSync(inputFile, JSON.stringify(SMALL_INPUTS[name]));
    const record = (values: "changed" | "full") => {
      const outDir = path.join(root, `trace-${values}`);
      const run = spawnSync(process.execPath, [DRIVER, root, name, inputFile, outDir, "binary", values, JSON.stringify(LIMITS)], { encoding: "utf8", timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
      expect(run.status, `${values}: ${run.stderr}`).toBe(0);
      return { outDir, summary: JSON.parse(run.stdout.trim().split("\n").pop()!) as { checksum: unknown; steps: number } };
    };
    const changed = record("changed");
    const full = record("full");
    expect(changed.summary.checksum).toEqual(full.summary.checksum);
    expect(changed.summary.steps).toBeGreaterThan(100);
    // read as streams into compact oracles: the full trace's values (parser states, AST nodes)
    // would not fit in memory as objects
    const comparison = compareLocals(iterateTraceEvents(changed.outDir), iterateTraceEvents(full.outDir), ["changed", "full"], { compact: true });
    expect(comparison.difference).toBeUndefined();
    expect(comparison.valueEvents[0]).toBeLessThan(comparison.valueEvents[1]);
  });
});
