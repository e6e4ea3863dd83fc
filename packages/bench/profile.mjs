// Where recording time goes: one workload recorded under `node --cpu-prof`, its samples' self time
// summed per function and per area of ctjs (probes, value encoder, type table, tracer, writers,
// ...), with positions mapped back to the TypeScript sources. Prints one JSON document.
//   node profile.mjs [workload (default acorn)] [recording variant of variants.mjs (default binary-changed)]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { jsonLines, runNode } from "./node-process.mjs";
import { originalPosition } from "./source-map-lines.mjs";
import { prepareSubjects } from "./subject-copies.mjs";
import { RECORDING_VARIANTS } from "./variants.mjs";
import { workloadByName } from "./workloads/index.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const packagesDir = path.resolve(here, "..");
const workload = workloadByName(process.argv[2] ?? "acorn");
const variant = process.argv[3] ?? "binary-changed";
if (!RECORDING_VARIANTS.includes(variant)) throw new Error(`unknown recording variant ${JSON.stringify(variant)} (known: ${RECORDING_VARIANTS.join(", ")})`);
const TOP_FUNCTIONS = 25;

/** The area of a source file, for the summary: ctjs's own layers by file, everything else by kind. */
function areaOf(file, functionName, root) {
  if (functionName === "(garbage collector)") return "garbage collector";
  if (!file) return "V8 / native";
  if (file.startsWith(root)) return `instrumented ${workload.name} code`;
  const relative = path.relative(packagesDir, file).split(path.sep).join("/");
  if (relative.startsWith("monitoring/src/probes")) return "probes (monitoring/src/probes.ts)";
  if (relative.startsWith("monitoring/")) return "monitoring, other";
  if (relative.startsWith("runtime/src/value-encoder")) return "value encoder (runtime/src/value-encoder.ts)";
  if (relative.startsWith("runtime/src/type-registry")) return "type table (runtime/src/type-registry.ts)";
  if (relative.startsWith("runtime/src/runtime-tracer")) return "tracer (runtime/src/runtime-tracer.ts)";
  if (relative.startsWith("runtime/src/writers/")) return "writers (runtime/src/writers/)";
  if (relative.startsWith("runtime/")) return "runtime, other";
  if (file.startsWith("node:")) return "Node built-ins";
  return "other JavaScript";
}

function sourceOf(callFrame) {
  if (!callFrame.url) return { file: "", line: 0 };
  const file = callFrame.url.startsWith("file://") ? fileURLToPath(callFrame.url) : callFrame.url;
  // inside ctjs's compiled packages, name the TypeScript source line
  if (file.startsWith(packagesDir) && file.includes(`${path.sep}dist${path.sep}`)) {
    const original = originalPosition(file, callFrame.lineNumber, callFrame.columnNumber);
    if (original) return original;
  }
  return { file, line: callFrame.lineNumber + 1 };
}

function analyse(profile, root) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = nodes.get(profile.samples[i]);
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    const name = node.callFrame.functionName || "(anonymous)";
    const { file, line } = sourceOf(node.callFrame);
    const key = `${name}\u0000${file}\u0000${line}`;
    const entry = byFunction.get(key) ?? { name, file, line, area: areaOf(file, name, root), us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const areas = new Map();
  for (const entry of byFunction.values()) areas.set(entry.area, (areas.get(entry.area) ?? 0) + entry.us);
  const show = (file) => (file.startsWith(packagesDir) ? path.relative(packagesDir, file) : file.startsWith(root) ? `<instrumented copy>/${path.relative(root, file)}` : file);
  const ranked = [...byFunction.values()].sort((a, b) => b.us - a.us);
  const row = (e) => ({ name: e.name, file: show(e.file), line: e.line, area: e.area, ms: e.us / 1000, share: e.us / totalUs });
  return {
    totalMs: totalUs / 1000,
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000, share: us / totalUs })),
    topOverall: ranked.slice(0, TOP_FUNCTIONS).map(row),
    topCtjs: ranked.filter((e) => e.file.startsWith(packagesDir)).slice(0, TOP_FUNCTIONS).map(row),
  };
}

const root = mkdtempSync(path.join(os.tmpdir(), "ctjs-bench-profile-"));
try {
  prepareSubjects(root, [workload]);
  const profileDir = path.join(root, "cpu-profile");
  process.stderr.write(`bench profile: ${workload.name}, ${variant}\n`);
  const run = await runNode(path.join(here, "workload-process.mjs"), [root, workload.name, variant], { nodeArgs: ["--cpu-prof", "--cpu-prof-dir", profileDir], timeoutMs: 10 * 60_000 });
  const result = jsonLines(run.lines).find((m) => m.variant === variant);
  const profileFile = run.status === 0 ? readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile")) : undefined;
  if (!result || !profileFile) throw new Error(`the profiled run failed: exit ${run.status ?? run.signal}: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`);
  const profile = JSON.parse(readFileSync(path.join(profileDir, profileFile), "utf8"));
  const command = `node --cpu-prof packages/bench/workload-process.mjs <scratch> ${workload.name} ${variant}`;
  process.stdout.write(JSON.stringify({ workload: workload.name, variant, command, run: result, ...analyse(profile, root) }) + "\n");
} finally {
  rmSync(root, { recursive: true, force: true });
}
