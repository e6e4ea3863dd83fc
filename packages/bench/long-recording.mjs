// One long recording in its own process: prints JSON with memory samples.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { probes } from "@ctjs/monitoring";
import { start, stop } from "@ctjs/runtime";

const steps = Number(process.argv[2] ?? 50_000_000);
const table = { ctjs: 1, path: "/bench/long.js", names: ["i"], fns: [["<module>", 1, 0, [], 4], ["loop", 1, 0, [], 0]], sites: [[2, 0, [0]]] };
const dir = mkdtempSync(path.join(tmpdir(), "ctjs-long-"));
start({ outDir: path.join(dir, "trace"), format: "binary", program: table.path, captureOutput: false, processHooks: false });
const t0 = performance.now();
const c = probes;
const f = c.enter(table, 1);
let peakRss = 0, peakHeap = 0, rssAt1M = 0, heapAt1M = 0;
for (let i = 0; i < steps; i++) {
  c.onLine && c.line(f, 0, i);
  if (i % 1_000_000 === 999_999) {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    if (i === 999_999) { rssAt1M = m.rss; heapAt1M = m.heapUsed; }
  }
}
c.exit(f, undefined);
const summary = stop();
const seconds = (performance.now() - t0) / 1000;
const bytes = statSync(summary.eventsFile).size;
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ steps, peakRss, peakHeap, rssAt1M, heapAt1M, bytes, seconds }));
