import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTraceEvents } from "../src/trace-reader/index.js";
import { makeTempDir, writeSidecars } from "./helpers/trace-dir.js";
import { TEST_PROGRAM } from "./helpers/trace-events.js";
import { runtimeNodeModules } from "./helpers/transpiled-runtime.js";
import { writerChildScript } from "./helpers/writer-child.js";
import { validateTrace } from "./helpers/validate.js";

/**
 * A writer killed with SIGKILL must leave the trace as of its last flush: complete and valid. The
 * child writes rounds of events, each one complete top-level call, flushes after each round, and
 * reports the flush on stdout; it has then already buffered part of the next round (lost on kill).
 */

const ROUND_STEPS = 300;
/** Events per round: Call, (Step, Value) × ROUND_STEPS, Return. */
const ROUND_EVENTS = 2 + 2 * ROUND_STEPS;
/** Path, Function, 3 Types, VariableName: written and flushed before the first round. */
const SETUP_EVENTS = 6;

const CHILD = `
import { createTraceWriter } from "./writers/create-writer.js";
const [format, dir] = process.argv.slice(2);
// Only explicit flushes: every flushed state ends between two complete calls.
const writer = createTraceWriter(format, dir, { batchBytes: 1 << 30 });
const pause = new Int32Array(new SharedArrayBuffer(4));
writer.write({ Path: ${JSON.stringify(TEST_PROGRAM)} });
writer.write({ Function: { path_id: 0, line: 1, name: "<toplevel>" } });
writer.write({ Type: { kind: 30, lang_type: "undefined", specific_info: { kind: "None" } } });
writer.write({ Type: { kind: 7, lang_type: "number", specific_info: { kind: "None" } } });
writer.write({ Type: { kind: 9, lang_type: "string", specific_info: { kind: "None" } } });
writer.write({ VariableName: "i" });
writer.flush();
let round = 0;
const half = (from, to) => {
  for (let s = from; s < to; s++) {
    writer.write({ Step: { path_id: 0, line: 2 + (s % 40) } });
    writer.write({ Value: { variable_id: 0, value: s % 2 ? { kind: "Int", i: round * 1000 + s, type_id: 1 } : { kind: "String", text: "s" + s, type_id: 2 } } });
  }
};
for (;;) {
  writer.write({ Call: { function_id: 0, args: [] } });
  half(0, ${ROUND_STEPS / 2});
  // Killed from here on, the half-built round must vanish without a trace.
  Atomics.wait(pause, 0, 0, 1);
  half(${ROUND_STEPS / 2}, ${ROUND_STEPS});
  writer.write({ Return: { return_value: { kind: "None", type_id: 0 } } });
  writer.flush();
  round++;
  process.stdout.write("flushed " + round + "\\n");
}
`;

const childScript = writerChildScript("ctjs-kill-runtime-", CHILD);
const cleanups: (() => void)[] = [];

afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** Runs the child until it has reported `flushes` flushes (plus `extraMs`), then SIGKILLs it. */
function recordAndKill(format: string, dir: string, flushes: number, extraMs: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [childScript(), format, dir], {
      env: { ...process.env, NODE_PATH: runtimeNodeModules },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let seen = 0;
    let stderr = "";
    let killing = false;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      seen += chunk.split("\n").filter((line) => line.startsWith("flushed")).length;
      if (seen >= flushes && !killing) {
        killing = true;
        setTimeout(() => child.kill("SIGKILL"), extraMs);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolvePromise(seen);
      else reject(new Error(`the child exited on its own (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

describe.each(["json", "binary"] as const)("%s writer killed with SIGKILL", (format) => {
  it.each([
    [3, 0],
    [8, 2],
    [15, 7],
  ])("after %i flushes (+%i ms) leaves a valid, balanced trace of whole rounds", async (flushes, extraMs) => {
    const temp = makeTempDir("ctjs-kill-trace-");
    cleanups.push(temp.cleanup);
    const dir = join(temp.dir, "trace");
    writeSidecars(dir, { paths: [TEST_PROGRAM], files: { [TEST_PROGRAM]: "// killed program\n" } });
    const reported = await recordAndKill(format, dir, flushes, extraMs);
    const check = validateTrace(dir);
    expect(check.ok, check.output).toBe(true);
    const events = readTraceEvents(dir);
    const rounds = (events.length - SETUP_EVENTS) / ROUND_EVENTS;
    expect(Number.isInteger(rounds), `${events.length} events is not whole rounds`).toBe(true);
    // Every reported flush is on disk (and perhaps a few more made before the kill landed).
    expect(rounds).toBeGreaterThanOrEqual(reported);
    expect(events.at(-1)).toEqual({ Return: { return_value: { kind: "None", type_id: 0 } } });
  });
});
