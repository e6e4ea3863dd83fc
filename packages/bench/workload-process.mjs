// One measured run of one workload in a fresh process, so that every run starts from the same JIT
// and heap state and the process's peak RSS belongs to that run alone.
//   node workload-process.mjs <scratch root> <workload> <variant>
// variant: plain (original code) | dormant (instrumented, not recording, paired with the original
// in the same process) | a recording of variants.mjs (a format and a values mode).
// Prints JSON lines; the last one is the result: milliseconds per execution of the workload, its
// checksum, peak RSS, and for recordings the trace's steps, calls, events, bytes on disk and
// decompressed.
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { start, stop } from "@ctjs/runtime";
import { median } from "./measure.mjs";
import { peakRssBytes } from "./peak-rss.mjs";
import { readManifest } from "./manifest.mjs";
import { workloadByName } from "./workloads/index.mjs";
import { traceSize } from "./trace-size.mjs";
import { RECORDINGS, VARIANTS } from "./variants.mjs";

/** Untimed executions first, so that timed ones run optimized code in every variant. */
const WARMUP_EXECUTIONS = 3;
/** plain and dormant: executions are timed in batches of at least this long, then the median batch is taken. */
const BATCH_MS = 50;
const BATCHES = 6;
/**
 * Recordings repeat the workload inside one session until this much time has passed (at least one
 * execution), so a fast recorder is timed over enough work and a slow one still ends. The time of
 * start() and stop() is included and spread over the executions.
 */
const RECORDING_BUDGET_MS = 1500;
const MAX_RECORDED_EXECUTIONS = 1000;

/** Executions per batch: enough that one batch lasts at least BATCH_MS. */
async function batchSize(workload, subject, input) {
  const t0 = performance.now();
  await workload.run(subject, input);
  return Math.max(1, Math.ceil(BATCH_MS / Math.max(performance.now() - t0, 0.001)));
}

async function timeBatch(workload, subject, input, executions) {
  const t0 = performance.now();
  for (let i = 0; i < executions; i++) await workload.run(subject, input);
  return (performance.now() - t0) / executions;
}

/** plain: the original code alone; milliseconds per execution, median of the batches. */
async function timePlain(workload, subject, input, result) {
  result.checksum = await workload.run(subject, input);
  const perBatch = await batchSize(workload, subject, input);
  const perExecution = [];
  for (let b = 0; b < BATCHES; b++) perExecution.push(await timeBatch(workload, subject, input, perBatch));
  result.ms = median(perExecution);
  result.executions = 2 + BATCHES * perBatch;
}

/**
 * dormant: the instrumented code with no recording, paired in this same process with the original
 * code, batch after batch in alternating order, so that the machine's load falls on both alike;
 * the ratio of their medians is the dormant overhead this run saw.
 */
async function timeDormant(workload, subject, plainSubject, input, result) {
  result.checksum = await workload.run(subject, input);
  result.plainChecksum = await workload.run(plainSubject, input);
  const perBatch = await batchSize(workload, plainSubject, input);
  const instrumented = [];
  const plain = [];
  for (let b = 0; b < BATCHES; b++) {
    if (b % 2 === 0) {
      plain.push(await timeBatch(workload, plainSubject, input, perBatch));
      instrumented.push(await timeBatch(workload, subject, input, perBatch));
    } else {
      instrumented.push(await timeBatch(workload, subject, input, perBatch));
      plain.push(await timeBatch(workload, plainSubject, input, perBatch));
    }
  }
  result.ms = median(instrumented);
  result.pairedPlainMs = median(plain);
  result.dormantRatio = result.ms / result.pairedPlainMs;
  result.executions = 2 + BATCHES * perBatch;
}

/**
 * start() with the values mode; a runtime that predates the option rejects it as unknown, and is
 * then started without it (every step's values, as "full"): the result says which happened.
 */
function startRecording(options, values) {
  try {
    start({ ...options, values });
    return true;
  } catch (error) {
    if (error?.code !== "ERR_INVALID_OPTION" || !String(error.message).includes('"values"')) throw error;
    start(options);
    return false;
  }
}

async function timeRecording(workload, subject, input, result, { format, values }, root, loader) {
  const scratch = mkdtempSync(path.join(root, `trace-${workload.name}-${format}-${values}-`));
  const outDir = path.join(scratch, "trace");
  // told before recording starts, so that the parent can still read the trace (complete up to the
  // writer's last flush) if it has to end a run that takes too long
  process.stdout.write(JSON.stringify({ recordingStartedAt: Date.now(), outDir }) + "\n");
  try {
    const t0 = performance.now();
    result.valuesApplied = startRecording({ outDir, format, program: loader, captureOutput: false, processHooks: false }, values);
    process.stdout.write(JSON.stringify({ valuesApplied: result.valuesApplied }) + "\n");
    let executions = 0;
    do {
      result.checksum = await workload.run(subject, input);
      executions++;
    } while (performance.now() - t0 < RECORDING_BUDGET_MS && executions < MAX_RECORDED_EXECUTIONS);
    const summary = stop();
    const elapsed = performance.now() - t0;
    Object.assign(result, {
      ms: elapsed / executions,
      executions,
      recordingMs: elapsed,
      steps: summary.steps,
      calls: summary.calls,
      events: summary.events,
      ...traceSize(summary.eventsFile),
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const [root, name, variant] = process.argv.slice(2);
if (!VARIANTS.includes(variant)) throw new Error(`unknown variant ${JSON.stringify(variant)} (known: ${VARIANTS.join(", ")})`);
const workload = workloadByName(name);
const loaders = readManifest(root).workloads[name].loaders;
const loader = variant === "plain" ? loaders.plain : loaders.instrumented;
const { subject } = await import(pathToFileURL(loader).href);
const plainSubject = variant === "dormant" ? (await import(pathToFileURL(loaders.plain).href)).subject : undefined;
const input = workload.makeInput();

for (let i = 0; i < WARMUP_EXECUTIONS; i++) {
  await workload.run(subject, input);
  if (plainSubject) await workload.run(plainSubject, input);
}

const result = { workload: name, variant };
if (variant === "plain") await timePlain(workload, subject, input, result);
else if (variant === "dormant") await timeDormant(workload, subject, plainSubject, input, result);
else await timeRecording(workload, subject, input, result, RECORDINGS[variant], root, loader);
result.maxRssBytes = peakRssBytes() ?? process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify(result) + "\n");
