// Records one execution of a bench workload (packages/bench/workloads) on a given input, the way
// the bench's workload-process.mjs records one: the instrumented copy of its subject is imported
// first (its module code is not recorded), then start(), one run, stop().
//   node record-workload.mjs <subjects root> <workload> <input.json> <trace dir> <format> <values> [<limits json>]
// Prints one JSON line: the run's checksum and the trace's step and event counts.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { readManifest } from "../../packages/bench/manifest.mjs";
import { workloadByName } from "../../packages/bench/workloads/index.mjs";
import { start, stop } from "../../packages/runtime/dist/index.js";

const [root, name, inputFile, outDir, format, values, limits] = process.argv.slice(2);
const workload = workloadByName(name);
const loader = readManifest(root).workloads[name].loaders.instrumented;
const { subject } = await import(pathToFileURL(loader).href);
const input = JSON.parse(readFileSync(inputFile, "utf8"));

start({ outDir, format, values, limits: limits ? JSON.parse(limits) : undefined, program: loader, captureOutput: false, processHooks: false });
const checksum = await workload.run(subject, input);
const summary = stop();
process.stdout.write(JSON.stringify({ checksum, steps: summary.steps, events: summary.events }) + "\n");
