// Memory over one very long recording (binary format): the instrumented numeric loop recorded for
// up to hundreds of millions of steps in a fresh process, RSS and heap sampled after every million
// iterations. Prints one JSON document: the samples and their start / peak / end.
//   node long-recording.mjs [target steps] [time limit seconds]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LONG_RECORDING_SUBJECT } from "./long-recording-process.mjs";
import { jsonLines, runNode } from "./node-process.mjs";
import { prepareSubjects } from "./subject-copies.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const targetSteps = Number(process.argv[2] ?? 300_000_000);
const limitSeconds = Number(process.argv[3] ?? 180);

/** Samples kept for the report and chart: evenly spread over the run, first and last included. */
function thin(samples, keep) {
  if (samples.length <= keep) return samples;
  return Array.from({ length: keep }, (_, i) => samples[Math.round((i * (samples.length - 1)) / (keep - 1))]);
}

function extremes(samples, key) {
  // "start" is the first sample taken while recording, after the first million iterations
  const recording = samples.filter((s) => s.steps > 0);
  return {
    beforeStart: samples[0]?.[key],
    start: recording[0]?.[key],
    peak: Math.max(...recording.map((s) => s[key])),
    end: recording[recording.length - 1]?.[key],
  };
}

const root = mkdtempSync(path.join(os.tmpdir(), "ctjs-bench-long-"));
try {
  prepareSubjects(root, [LONG_RECORDING_SUBJECT]);
  process.stderr.write(`bench long recording: up to ${targetSteps.toLocaleString("en")} steps or ${limitSeconds} s\n`);
  // the child stops itself at the time limit; the extra minute only guards against a hang
  const run = await runNode(path.join(here, "long-recording-process.mjs"), [root, String(targetSteps), String(limitSeconds * 1000)], { timeoutMs: (limitSeconds + 60) * 1000 });
  const messages = jsonLines(run.lines);
  const samples = messages.filter((m) => m.sample).map((m) => m.sample);
  const done = messages.find((m) => m.done)?.done;
  const result = {
    targetSteps,
    limitSeconds,
    finished: done !== undefined,
    failure: done ? undefined : `exit ${run.status ?? run.signal}${run.timedOut ? " (killed at the guard limit)" : ""}: ${run.stderr.trim().split("\n").slice(-2).join(" / ")}`,
    steps: done?.steps ?? samples[samples.length - 1]?.steps ?? 0,
    events: done?.events,
    seconds: done?.seconds ?? samples[samples.length - 1]?.seconds,
    traceBytes: done?.bytes ?? samples[samples.length - 1]?.bytes,
    maxRssBytes: done?.maxRssBytes,
    rss: extremes(samples, "rss"),
    heapUsed: extremes(samples, "heapUsed"),
    external: extremes(samples, "external"),
    samples: thin(samples, 60),
    sampleCount: samples.length,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
} finally {
  rmSync(root, { recursive: true, force: true });
}
