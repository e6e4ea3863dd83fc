// The long recording itself, in a process of its own: the instrumented numeric-loop subject called
// over and over (one million iterations a call) while recording to the binary format, until the
// target number of steps is reached or the time limit passes. After every call it prints a JSON
// sample line (steps so far, RSS, heap, external memory, bytes on disk), so that whoever reads the
// output sees memory over the whole run even if the run is cut short.
//   node long-recording-process.mjs <scratch root> <target steps> <time limit ms>
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { currentSummary, start, stop } from "@ctjs/runtime";
import { readManifest } from "./manifest.mjs";
import { peakRssBytes } from "./peak-rss.mjs";

export const LONG_RECORDING_SUBJECT = { name: "long-recording", subject: { file: "subjects/numeric-loop.mjs" } };
const ITERATIONS_PER_CALL = 1_000_000;

function sample(t0, steps, bytes) {
  const m = process.memoryUsage();
  return { seconds: (performance.now() - t0) / 1000, steps, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, bytes };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [root, targetArg, limitArg] = process.argv.slice(2);
  const targetSteps = Number(targetArg);
  const limitMs = Number(limitArg);
  const loader = readManifest(root).workloads[LONG_RECORDING_SUBJECT.name].loaders.instrumented;
  const { subject } = await import(pathToFileURL(loader).href);
  const scratch = mkdtempSync(path.join(root, "long-"));
  try {
    const t0 = performance.now();
    process.stdout.write(JSON.stringify({ sample: sample(t0, 0, 0) }) + "\n");
    start({ outDir: path.join(scratch, "trace"), format: "binary", program: loader, captureOutput: false, processHooks: false });
    let steps = 0;
    while (steps < targetSteps && performance.now() - t0 < limitMs) {
      subject.numericLoop(ITERATIONS_PER_CALL);
      const summary = currentSummary();
      steps = summary.steps;
      process.stdout.write(JSON.stringify({ sample: sample(t0, steps, summary.bytes) }) + "\n");
    }
    const summary = stop();
    const end = sample(t0, summary.steps, summary.bytes);
    process.stdout.write(JSON.stringify({ done: { ...end, events: summary.events, calls: summary.calls, maxRssBytes: peakRssBytes(), targetSteps, limitMs } }) + "\n");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
