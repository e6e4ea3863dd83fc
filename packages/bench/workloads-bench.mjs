// The workload benchmark: every workload in every variant (plain, dormant, and the recordings of
// variants.mjs: a format and a values mode), each run in a fresh process, interleaved round by
// round so that the machine's drift affects all variants alike. Prints one JSON document on stdout
// (progress goes to stderr).
//   node workloads-bench.mjs [--rounds N] [--recording-rounds N] [--only name,name] [--variants v,v]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { iterateTraceEvents, locateEventsFile } from "@ctjs/runtime";
import { median } from "./measure.mjs";
import { jsonLines, runNode } from "./node-process.mjs";
import { prepareSubjects } from "./subject-copies.mjs";
import { traceSize } from "./trace-size.mjs";
import { RECORDING_VARIANTS, VARIANTS as ALL_VARIANTS } from "./variants.mjs";
import { workloads as allWorkloads } from "./workloads/index.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const runScript = path.join(here, "workload-process.mjs");

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/** plain and dormant run in every round; recordings, far slower, in the first few only. */
const ROUNDS = Number(option("rounds", 5));
const RECORDING_ROUNDS = Number(option("recording-rounds", 3));
/**
 * A recording still running after this long is ended and reported as a lower bound (its trace is
 * read up to the writer's last flush). Once a format hits the limit on a workload, its later
 * rounds are skipped: they could only say the same.
 */
const RECORDING_LIMIT_MS = Number(option("recording-limit-ms", 30_000));
/**
 * A recording whose executions take this long each is not repeated in later rounds either: one run
 * of that length is timed over enough work, and three would take most of the suite's time.
 */
const SLOW_RECORDING_MS = Number(option("slow-recording-ms", 10_000));
const PLAIN_LIMIT_MS = 120_000;
const only = option("only", "");
const workloads = only ? allWorkloads.filter((w) => only.split(",").includes(w.name)) : allWorkloads;
const chosenVariants = option("variants", "");
const VARIANTS = chosenVariants ? ALL_VARIANTS.filter((v) => chosenVariants.split(",").includes(v)) : ALL_VARIANTS;

const log = (message) => process.stderr.write(`bench workloads: ${message}\n`);

/** Steps, calls, events and bytes (on disk and decompressed) of a trace that a killed run left behind. */
function countPartialTrace(outDir) {
  const counts = { steps: 0, calls: 0, events: 0, bytes: 0, decompressedBytes: 0 };
  try {
    for (const event of iterateTraceEvents(outDir)) {
      counts.events++;
      if ("Step" in event) counts.steps++;
      else if ("Call" in event) counts.calls++;
    }
  } catch {
    // the writer was killed in the middle of a flush: count what could be read
  }
  try {
    Object.assign(counts, traceSize(locateEventsFile(outDir).file));
  } catch {
    // killed before the events file was created
  }
  return counts;
}

async function measure(root, workload, variant) {
  const recording = RECORDING_VARIANTS.includes(variant);
  const run = await runNode(runScript, [root, workload.name, variant], { timeoutMs: recording ? RECORDING_LIMIT_MS : PLAIN_LIMIT_MS });
  const messages = jsonLines(run.lines);
  const result = messages.find((m) => m.variant === variant);
  if (result) return result;
  const started = messages.find((m) => m.recordingStartedAt !== undefined);
  if (run.timedOut && started) {
    const recordingMs = Date.now() - started.recordingStartedAt;
    const partial = countPartialTrace(started.outDir);
    rmSync(path.dirname(started.outDir), { recursive: true, force: true });
    return { workload: workload.name, variant, unfinished: true, ms: recordingMs, recordingMs, executions: 0, maxRssBytes: run.peakRssAtTimeoutBytes, valuesApplied: messages.find((m) => m.valuesApplied !== undefined)?.valuesApplied, ...partial };
  }
  const why = run.timedOut ? `no result within ${RECORDING_LIMIT_MS} ms` : `exit ${run.status ?? run.signal}: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`;
  log(`${workload.name} ${variant} failed (${why})`);
  return { workload: workload.name, variant, failed: why };
}

/** Median figures of one variant's runs; for recordings, rates are taken per run, then the median. */
function summarize(runs) {
  const ok = runs.filter((r) => !r.failed);
  if (ok.length === 0) return { runs: runs.length, failed: runs[0]?.failed ?? "not run" };
  const pick = (f) => median(ok.map(f));
  const figures = { runs: ok.length, ms: pick((r) => r.ms), maxRssBytes: pick((r) => r.maxRssBytes ?? 0) };
  if (ok[0].dormantRatio !== undefined) Object.assign(figures, { pairedPlainMs: pick((r) => r.pairedPlainMs), ratio: pick((r) => r.dormantRatio) });
  if (ok[0].steps !== undefined) {
    Object.assign(figures, {
      unfinished: ok.some((r) => r.unfinished),
      executions: pick((r) => r.executions),
      stepsPerExecution: pick((r) => (r.executions > 0 ? r.steps / r.executions : NaN)),
      eventsPerExecution: pick((r) => (r.executions > 0 ? r.events / r.executions : NaN)),
      stepsPerSecond: pick((r) => r.steps / (r.recordingMs / 1000)),
      eventsPerSecond: pick((r) => r.events / (r.recordingMs / 1000)),
      bytesPerStep: pick((r) => r.bytes / r.steps),
      bytesPerEvent: pick((r) => r.bytes / r.events),
      traceBytes: pick((r) => r.bytes),
      decompressedBytesPerStep: pick((r) => r.decompressedBytes / r.steps),
      decompressedBytesPerExecution: pick((r) => (r.executions > 0 ? r.decompressedBytes / r.executions : NaN)),
      // false when the runtime measured had no values option: the recording wrote every value at every step
      valuesApplied: ok.every((r) => r.valuesApplied !== false),
    });
  }
  return figures;
}

const t0 = performance.now();
const root = mkdtempSync(path.join(os.tmpdir(), "ctjs-bench-"));
try {
  log(`instrumenting the subjects of ${workloads.length} workloads into ${root}`);
  const manifest = prepareSubjects(root, workloads);
  const results = [];
  for (const workload of workloads) {
    const runs = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    const limited = new Set();
    for (let round = 0; round < ROUNDS; round++) {
      // rotate the order each round, so that no variant always runs first (or right after another)
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
      for (const variant of order) {
        const recording = RECORDING_VARIANTS.includes(variant);
        if (recording && (round >= RECORDING_ROUNDS || limited.has(variant))) continue;
        const result = await measure(root, workload, variant);
        if (result.unfinished || (recording && result.ms >= SLOW_RECORDING_MS)) limited.add(variant);
        runs[variant].push(result);
        log(`${workload.name} round ${round + 1}/${ROUNDS} ${variant}: ${result.failed ? "failed" : `${result.ms.toFixed(2)} ms${result.unfinished ? " (ended at the time limit)" : ""}`}`);
      }
    }
    const checksums = new Set(VARIANTS.flatMap((v) => runs[v].flatMap((r) => [r.checksum, r.plainChecksum]).filter((c) => c !== undefined).map((c) => JSON.stringify(c))));
    const files = manifest.workloads[workload.name].files;
    results.push({
      name: workload.name,
      kind: workload.kind,
      description: workload.description,
      note: workload.note,
      instrumented: {
        files: files.length,
        bytesIn: files.reduce((s, f) => s + f.bytesIn, 0),
        bytesOut: files.reduce((s, f) => s + f.bytesOut, 0),
        ms: files.reduce((s, f) => s + f.ms, 0),
      },
      checksumsAgree: checksums.size === 1,
      ...Object.fromEntries(VARIANTS.map((v) => [v, summarize(runs[v])])),
      runs,
    });
  }
  const settings = { variants: VARIANTS, rounds: ROUNDS, recordingRounds: RECORDING_ROUNDS, recordingLimitMs: RECORDING_LIMIT_MS, slowRecordingMs: SLOW_RECORDING_MS, seconds: (performance.now() - t0) / 1000 };
  process.stdout.write(JSON.stringify({ settings, workloads: results }) + "\n");
} finally {
  rmSync(root, { recursive: true, force: true });
}
