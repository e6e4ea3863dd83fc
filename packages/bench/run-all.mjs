// `pnpm bench`: runs every part of the suite one after the other (never two at once: the machine
// has 2 cores), each in its own process with a time limit, collects what they print into
// results.json, and renders RESULTS.md and results.svg from it. A part that fails or overruns is
// reported as such and the others still run.
//   node run-all.mjs                 run everything
//   node run-all.mjs --render-only   re-render RESULTS.md and results.svg from results.json
//   node run-all.mjs --only a,b      run only these parts (the others keep their previous results)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderChart } from "./chart-svg.mjs";
import { jsonLines, runNode } from "./node-process.mjs";
import { renderReport } from "./report.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_JSON = path.join(here, "results.json");
const MINUTE = 60_000;

/** The parts, in the order they run; `markdown` parts print Markdown instead of JSON. */
const PARTS = [
  { key: "transform", script: "transform.mjs", args: [], limitMs: 8 * MINUTE },
  { key: "probeApi", script: "probe-api.mjs", args: [], limitMs: 4 * MINUTE },
  { key: "workloads", script: "workloads-bench.mjs", args: [], limitMs: 40 * MINUTE },
  { key: "longRecording", script: "long-recording.mjs", args: ["300000000", "180"], limitMs: 6 * MINUTE },
  { key: "cliRecord", script: "cli-record.mjs", args: ["marked", "acorn"], limitMs: 8 * MINUTE },
  // where time goes on a real package (large values at every step), and on the loop that shows the per-step floor
  { key: "profile", script: "profile.mjs", args: ["acorn", "binary-changed"], limitMs: 6 * MINUTE },
  { key: "profileLoop", script: "profile.mjs", args: ["numeric-loop", "binary-changed"], limitMs: 4 * MINUTE },
  // written by another engineer; run when present, its Markdown included as it is
  { key: "bundlers", script: "bundlers.mjs", args: [], limitMs: 10 * MINUTE, markdown: true, optional: true },
];

async function runPart(part) {
  const script = path.join(here, part.script);
  if (!existsSync(script)) return part.optional ? undefined : { error: `${part.script} is missing` };
  process.stderr.write(`bench: ${part.script} ${part.args.join(" ")}\n`);
  const t0 = performance.now();
  let run;
  try {
    run = await runNode(script, part.args, { timeoutMs: part.limitMs, showStderr: true });
  } catch (error) {
    return { error: `could not start: ${error.message}` };
  }
  const seconds = (performance.now() - t0) / 1000;
  if (run.timedOut) return { seconds, error: `ended after the ${part.limitMs / MINUTE}-minute limit` };
  if (run.status !== 0) return { seconds, error: `exited with status ${run.status ?? run.signal}` };
  if (part.markdown) return { seconds, markdown: run.lines.join("\n") + "\n" };
  const data = jsonLines(run.lines).pop();
  return data ? { seconds, data } : { seconds, error: "printed no result" };
}

/** The commit measured, and the files changed in the work tree beyond it (others work in the same tree). */
function sourceState() {
  const git = (...args) => (spawnSync("git", args, { cwd: here, encoding: "utf8" }).stdout ?? "").replace(/\n+$/, "");
  const changed = git("status", "--porcelain", "--untracked-files=no", "--", "..").split("\n").filter(Boolean).map((l) => l.slice(3));
  return { commit: git("rev-parse", "--short", "HEAD").trim(), changedFiles: changed.filter((f) => !f.startsWith("packages/bench/")) };
}

const COMPILED_DIRS = ["monitoring", "runtime", "babel-plugin", "cli"].map((name) => path.resolve(here, "..", name, "dist"));

/**
 * The newest modification time among ctjs's compiled files. Other engineers rebuild them in this
 * same work tree; a part during which it changes measured a mix of old and new code.
 */
function compiledCodeStamp() {
  let newest = 0;
  for (const dir of COMPILED_DIRS) {
    let files = [];
    try {
      files = readdirSync(dir, { recursive: true });
    } catch {
      continue;
    }
    for (const file of files) {
      try {
        newest = Math.max(newest, statSync(path.join(dir, file)).mtimeMs);
      } catch {
        // removed while we looked
      }
    }
  }
  return newest;
}

function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model?.trim() ?? "cpu", memoryBytes: os.totalmem(), node: process.version };
}

function render(results) {
  writeFileSync(path.join(here, "RESULTS.md"), renderReport(results));
  writeFileSync(path.join(here, "results.svg"), renderChart(results));
  process.stderr.write(`bench: wrote ${path.join(here, "RESULTS.md")} and results.svg\n`);
}

const at = process.argv.indexOf("--only");
const only = at >= 0 ? process.argv[at + 1].split(",") : undefined;

if (process.argv.includes("--render-only")) {
  render(JSON.parse(readFileSync(RESULTS_JSON, "utf8")));
} else {
  const previous = only && existsSync(RESULTS_JSON) ? JSON.parse(readFileSync(RESULTS_JSON, "utf8")) : { sections: {} };
  const t0 = performance.now();
  const loadAverageStart = os.loadavg();
  const source = sourceState();
  const sections = { ...previous.sections };
  for (const part of PARTS) {
    if (only && !only.includes(part.key)) continue;
    const stampBefore = compiledCodeStamp();
    const outcome = await runPart(part);
    if (outcome && compiledCodeStamp() !== stampBefore) outcome.compiledCodeChanged = true;
    if (outcome === undefined) delete sections[part.key];
    else sections[part.key] = outcome;
    if (outcome?.error) process.stderr.write(`bench: ${part.script}: ${outcome.error}\n`);
  }
  const run = { date: new Date().toISOString(), ...machine(), ...source, loadAverageStart, loadAverageEnd: os.loadavg(), seconds: (performance.now() - t0) / 1000 };
  // a partial run keeps the whole run's description and says which parts it replaced
  const meta = only && previous.meta ? { ...previous.meta, rerun: { ...run, parts: only } } : run;
  const results = { meta, sections };
  writeFileSync(RESULTS_JSON, JSON.stringify(results, null, 1) + "\n");
  render(results);
}
