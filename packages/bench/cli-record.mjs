// End to end through the CLI: a real workload run once by `node cli-driver.mjs <workload>` against
// `ctjs record --include 'node_modules/<package>/**'` of the same program (instrumentation at load
// time included, as a user would see it), interleaved. The trace is read back and its steps counted
// per file, to show that the include glob, given as the user sees node_modules (pnpm links it into
// node_modules/.pnpm), really reaches the package's code. Prints one JSON document.
//   node cli-record.mjs [--rounds N] [workload ...]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { iterateTraceEvents } from "@ctjs/runtime";
import { median } from "./measure.mjs";
import { jsonLines, runNode } from "./node-process.mjs";
import { workloadByName } from "./workloads/index.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, "../cli/bin/ctjs.js");
const driver = path.join(here, "cli-driver.mjs");
const at = process.argv.indexOf("--rounds");
const ROUNDS = at >= 0 ? Number(process.argv[at + 1]) : 3;
const names = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--rounds");
const LIMIT_MS = 5 * 60_000;

/** Steps in the trace, split by whether their file lies in the package. */
function stepsByFile(traceDir, packageName) {
  const paths = [];
  let inPackage = 0;
  let elsewhere = 0;
  for (const event of iterateTraceEvents(traceDir)) {
    if ("Path" in event) paths.push(event.Path);
    else if ("Step" in event) {
      if (paths[event.Step.path_id]?.includes(`/node_modules/${packageName}/`)) inPackage++;
      else elsewhere++;
    }
  }
  return { inPackage, elsewhere, packageFiles: paths.filter((p) => p.includes(`/node_modules/${packageName}/`)).length };
}

const rows = [];
for (const name of names.length ? names : ["marked", "acorn"]) {
  const workload = workloadByName(name);
  const packageName = workload.subject.package;
  const include = `node_modules/${packageName}/**`;
  // everything of the bench itself stays uninstrumented: only the package is recorded
  const recordArgs = ["record", "-q", "--format", "binary", "--include", include, "--exclude", "*.mjs", "--exclude", "workloads/**"];
  const times = { node: [], record: [] };
  let steps;
  let checksums = new Set();
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of round % 2 === 0 ? ["node", "record"] : ["record", "node"]) {
      const scratch = mkdtempSync(path.join(os.tmpdir(), "ctjs-bench-cli-"));
      try {
        const traceDir = path.join(scratch, "trace");
        const [script, args] = variant === "node" ? [driver, [name]] : [cli, [...recordArgs.slice(0, 1), "-o", traceDir, ...recordArgs.slice(1), driver, name]];
        process.stderr.write(`bench cli: ${name} ${variant}\n`);
        const run = await runNode(script, args, { timeoutMs: LIMIT_MS });
        if (run.status !== 0) throw new Error(`${variant} of ${name} failed: exit ${run.status ?? run.signal}: ${run.stderr.trim().split("\n").slice(-2).join(" / ")}`);
        times[variant].push(run.elapsedMs);
        checksums.add(JSON.stringify(jsonLines(run.lines).pop()?.checksum));
        if (variant === "record" && steps === undefined) steps = stepsByFile(traceDir, packageName);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }
  }
  rows.push({ workload: name, package: packageName, command: `ctjs record --format binary --include '${include}' --exclude '*.mjs' --exclude 'workloads/**' cli-driver.mjs ${name}`, nodeMs: median(times.node), recordMs: median(times.record), steps, sameResult: checksums.size === 1 });
}
process.stdout.write(JSON.stringify({ rounds: ROUNDS, cwd: here, rows }) + "\n");
