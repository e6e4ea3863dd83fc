// Runtime figures: probe cost while dormant, steps per second and bytes per step for each
// format, and memory over a long recording. Prints a Markdown section on stdout.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { probes } from "@ctjs/monitoring";
import { start, stop } from "@ctjs/runtime";
import { fmt, interleaved } from "./measure.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const table = { ctjs: 1, path: path.join(here, "runtime.mjs"), names: ["i", "s"], fns: [["<module>", 1, 0, [], 4], ["loop", 1, 0, [], 0]], sites: [[10, 2, [0, 1]], [11, 2, []]] };

function plainLoop(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003;
  return s;
}

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

const lines = [];
const say = (s = "") => lines.push(s);

// 1. dormant probe cost
{
  const n = 20_000_000;
  const t = interleaved({ plain: () => plainLoop(n), probed: () => probedLoop(n) }, 9);
  say("### Probe cost with no tool enabled");
  say("");
  say(`A loop of ${n.toLocaleString("en")} iterations with one line probe each (\`c.onLine && c.line(f, 0, i, s)\`) against the same loop without it; median of 9 interleaved runs.`);
  say("");
  say(`| plain | probed, dormant | ratio | cost per probe |`);
  say(`|---|---|---|---|`);
  say(`| ${fmt(t.plain)} ms | ${fmt(t.probed)} ms | ${fmt(t.probed / t.plain)}x | ${fmt(((t.probed - t.plain) * 1e6) / n, 2)} ns |`);
  say("");
}

// 2. recording throughput and size
say("### Recording throughput and size");
say("");
say("Steps recorded through the probe API, each with two integer variable values (`Step` + 2 `Value` events), into each format; median of 3 runs.");
say("");
say("| format | steps | steps/s | events/s | bytes/step | bytes/event |");
say("|---|---|---|---|---|---|");
for (const format of ["binary", "json"]) {
  const n = 2_000_000;
  const runs = [];
  let size = 0;
  let events = 0;
  for (let r = 0; r < 3; r++) {
    const dir = mkdtempSync(path.join(tmpdir(), "ctjs-bench-"));
    const out = path.join(dir, "trace");
    start({ outDir: out, format, program: table.path, captureOutput: false, processHooks: false });
    const t0 = performance.now();
    probedLoop(n);
    const summary = stop();
    runs.push(performance.now() - t0);
    size = statSync(summary.eventsFile).size;
    events = summary.events;
    rmSync(dir, { recursive: true, force: true });
  }
  runs.sort((a, b) => a - b);
  const ms = runs[1];
  say(`| ${format} | ${n.toLocaleString("en")} | ${Math.round((n / ms) * 1000).toLocaleString("en")} | ${Math.round((events / ms) * 1000).toLocaleString("en")} | ${fmt(size / n)} | ${fmt(size / events)} |`);
}
say("");

// 3. memory over a long recording, in a fresh process
{
  const steps = Number(process.env.CTJS_BENCH_LONG_STEPS ?? 50_000_000);
  const r = spawnSync(process.execPath, [path.join(here, "long-recording.mjs"), String(steps)], { encoding: "utf8" });
  say("### Memory over a long recording");
  say("");
  if (r.status === 0) {
    const m = JSON.parse(r.stdout.trim().split("\n").pop());
    say(`${steps.toLocaleString("en")} steps (binary format, one variable each) in a fresh process; RSS and heap sampled every million steps.`);
    say("");
    say("| RSS after 1M steps | peak RSS | heap after 1M steps | peak heap | trace size | time |");
    say("|---|---|---|---|---|---|");
    say(`| ${fmt(m.rssAt1M / 2 ** 20, 1)} MiB | ${fmt(m.peakRss / 2 ** 20, 1)} MiB | ${fmt(m.heapAt1M / 2 ** 20, 1)} MiB | ${fmt(m.peakHeap / 2 ** 20, 1)} MiB | ${fmt(m.bytes / 2 ** 20, 1)} MiB | ${fmt(m.seconds, 1)} s |`);
  } else {
    say(`long recording failed: ${r.stderr.split("\n")[0]}`);
  }
  say("");
}

process.stdout.write(lines.join("\n") + "\n");
