// The probe API alone, without instrumented library code around it: the cost of a line probe
// while no tool listens, and the recorder's ceiling in steps per second and bytes per step when
// every step carries two small integers. Prints one JSON document.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { probes } from "@ctjs/monitoring";
import { start, stop } from "@ctjs/runtime";
import { interleaved, median } from "./measure.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
// a site table as the Babel plugin would emit it for the loop below: two sites, variables i and s
const table = { ctjs: 1, path: path.join(here, "probe-api.mjs"), names: ["i", "s"], fns: [["<module>", 1, 0, [], 4], ["loop", 1, 0, [], 0]], sites: [[10, 2, [0, 1]], [11, 2, []]] };

function plainLoop(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003;
  return s;
}

/** The same loop with the probes the Babel plugin would add: a call probe and one line probe per iteration. */
function probedLoop(n) {
  const c = probes;
  const f = c.onCall ? c.enter(table, 1) : table;
  let s = 0;
  for (let i = 0; i < n; i++) {
    c.onLine && c.line(f, 0, i, s);
    s = (s + i * 7) % 1000003;
  }
  c.onCall && c.exit(f, s);
  return s;
}

const DORMANT_ITERATIONS = 20_000_000;
const DORMANT_ROUNDS = 9;
const RECORDED_STEPS = 2_000_000;
const RECORDING_ROUNDS = 3;

const dormantMs = interleaved({ plain: () => plainLoop(DORMANT_ITERATIONS), probed: () => probedLoop(DORMANT_ITERATIONS) }, DORMANT_ROUNDS);

const throughput = [];
for (const format of ["binary", "json"]) {
  const runs = [];
  for (let r = 0; r < RECORDING_ROUNDS; r++) {
    const dir = mkdtempSync(path.join(tmpdir(), "ctjs-bench-probe-"));
    try {
      start({ outDir: path.join(dir, "trace"), format, program: table.path, captureOutput: false, processHooks: false });
      const t0 = performance.now();
      probedLoop(RECORDED_STEPS);
      const summary = stop();
      runs.push({ ms: performance.now() - t0, steps: summary.steps, events: summary.events, bytes: statSync(summary.eventsFile).size });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ms = median(runs.map((r) => r.ms));
  const { steps, events, bytes } = runs[runs.length - 1];
  throughput.push({ format, loopSteps: RECORDED_STEPS, ms, steps, events, bytes });
}

process.stdout.write(JSON.stringify({
  dormant: { iterations: DORMANT_ITERATIONS, rounds: DORMANT_ROUNDS, plainMs: dormantMs.plain, probedMs: dormantMs.probed },
  recording: { rounds: RECORDING_ROUNDS, valuesPerStep: 2, formats: throughput },
}) + "\n");
