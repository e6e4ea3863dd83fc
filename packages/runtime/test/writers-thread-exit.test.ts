import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../src/trace-events.js";
import { readTraceEvents } from "../src/trace-reader/index.js";
import { makeTempDir, writeSidecars } from "./helpers/trace-dir.js";
import { TEST_PROGRAM } from "./helpers/trace-events.js";
import { runtimeNodeModules } from "./helpers/transpiled-runtime.js";
import { writerChildScript } from "./helpers/writer-child.js";
import { validateTrace } from "./helpers/validate.js";

/**
 * The binary writer compressing on its worker thread, ended every way a program ends. A child
 * writes a known sequence of events in small batches (so dozens of frames go through the thread,
 * more than it has slots), with the hooks the session installs: close the writer on 'exit', and
 * close it before re-raising a signal. Whatever the way out, the trace must hold every event the
 * child wrote, in order, and pass the validator; after SIGKILL, every event flushed before it.
 */

const ROUND_STEPS = 500;
const HALF = ROUND_STEPS / 2;
/** Events per round: Call, (Step, Value) × ROUND_STEPS, Return. */
const ROUND_EVENTS = 2 + 2 * ROUND_STEPS;
const ROUNDS = 60;

const SETUP: TraceEvent[] = [
  { Path: TEST_PROGRAM },
  { Function: { path_id: 0, line: 1, name: "<toplevel>" } },
  { Type: { kind: 30, lang_type: "undefined", specific_info: { kind: "None" } } },
  { Type: { kind: 7, lang_type: "number", specific_info: { kind: "None" } } },
  { Type: { kind: 9, lang_type: "string", specific_info: { kind: "None" } } },
  { VariableName: "i" },
];
const CALL: TraceEvent = { Call: { function_id: 0, args: [] } };
const RETURN: TraceEvent = { Return: { return_value: { kind: "None", type_id: 0 } } };

/** Event `index` of the sequence every child writes. */
function expectedEvent(index: number): TraceEvent {
  if (index < SETUP.length) return SETUP[index]!;
  const k = index - SETUP.length;
  const round = Math.floor(k / ROUND_EVENTS);
  const j = k % ROUND_EVENTS;
  if (j === 0) return CALL;
  if (j === ROUND_EVENTS - 1) return RETURN;
  const s = Math.floor((j - 1) / 2);
  if ((j - 1) % 2 === 0) return { Step: { path_id: 0, line: 2 + (s % 40) } };
  const value = s % 2 ? { kind: "Int" as const, i: round * 1000 + s, type_id: 1 } : { kind: "String" as const, text: `s${s}r${round}`, type_id: 2 };
  return { Value: { variable_id: 0, value } };
}

const CHILD = `
import { BinaryTraceWriter } from "./writers/binary-writer.js";
const [dir, mode] = process.argv.slice(2);
// small batches, and the thread from the first byte on
const writer = new BinaryTraceWriter(dir, { batchBytes: 16 * 1024, compressionThread: true, compressionThreadAfterBytes: 0 });
const say = (line) => process.stdout.write(line + "\\n");
const report = () => say("closed " + writer.eventCount + " " + writer.framesFromThread);
// the session's process hooks
if (mode !== "no-close") {
  process.on("exit", () => {
    writer.close();
    report();
  });
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  const onSignal = () => {
    writer.close();
    report();
    process.off(signal, onSignal);
    process.kill(process.pid, signal);
  };
  process.on(signal, onSignal);
}
const CALL = ${JSON.stringify(CALL)};
const RETURN = ${JSON.stringify(RETURN)};
for (const event of ${JSON.stringify(SETUP)}) writer.write(event);
let round = 0;
const half = (from, to) => {
  for (let s = from; s < to; s++) {
    writer.step(0, 2 + (s % 40));
    writer.value(0, s % 2 ? { kind: "Int", i: round * 1000 + s, type_id: 1 } : { kind: "String", text: "s" + s + "r" + round, type_id: 2 });
  }
};
const firstHalf = () => {
  writer.write(CALL);
  half(0, ${HALF});
};
const secondHalf = () => {
  half(${HALF}, ${ROUND_STEPS});
  writer.write(RETURN);
  round++;
};
const rounds = (count) => {
  for (let r = 0; r < count; r++) {
    firstHalf();
    secondHalf();
  }
};
// until the worker has compressed a frame (it takes a moment to start), then without pause: the
// program's thread outruns the worker, which then has frames in hand whenever the program ends
rounds(4);
for (let waited = 0; writer.framesFromThread === 0 && waited < 20_000; waited += 5) {
  rounds(1);
  await new Promise((resolve) => setTimeout(resolve, 5));
}
rounds(${ROUNDS});
say("progress " + writer.eventCount + " " + writer.framesFromThread);
// ends in the middle of a call, at a moment the thread has frames in hand
const beforeTheEnd = () => {
  for (;;) {
    firstHalf();
    if (writer.framesInThread > 0) break;
    secondHalf();
  }
  say("ending " + writer.eventCount + " " + writer.framesInThread);
};
switch (mode) {
  case "stop":
    beforeTheEnd();
    writer.close();
    break;
  case "natural":
  case "no-close":
    beforeTheEnd();
    break;
  case "exit":
    beforeTheEnd();
    process.exit(3);
  case "throw":
    beforeTheEnd();
    throw new Error("uncaught in the recorded program");
  case "signal": {
    // rounds go on across event-loop turns, so the signal lands between two halves
    const more = () => {
      firstHalf();
      setImmediate(() => {
        secondHalf();
        setImmediate(more);
      });
    };
    more();
    say("ready");
    break;
  }
  case "kill": {
    const more = () => {
      firstHalf();
      setImmediate(() => {
        secondHalf();
        writer.flush();
        say("flushed " + writer.eventCount);
        setImmediate(more);
      });
    };
    more();
    break;
  }
}
`;

const childScript = writerChildScript("ctjs-thread-exit-runtime-", CHILD);
const cleanups: (() => void)[] = [];

afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

/**
 * Runs the child in `mode`; `onLine` may act on its output (send a signal). A child still running
 * after 60 s is killed and reported as hanging: the thread must never keep a program alive.
 */
function runChild(
  dir: string,
  mode: string,
  onLine: (line: string, child: ReturnType<typeof spawn>) => void = () => {},
  node: { args?: string[]; env?: Record<string, string> } = {},
): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(node.args ?? []), childScript(), dir, mode], {
      env: { ...process.env, NODE_PATH: runtimeNodeModules, ...node.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: string[] = [];
    let pending = "";
    let stderr = "";
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, 60_000);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      const complete = pending.split("\n");
      pending = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        onLine(line, child);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (hung) reject(new Error(`the child (${mode}) was still running after 60 s: ${stderr}`));
      else resolvePromise({ code, signal, lines, stderr });
    });
  });
}

function traceDir(): string {
  const temp = makeTempDir("ctjs-thread-exit-trace-");
  cleanups.push(temp.cleanup);
  const dir = join(temp.dir, "trace");
  writeSidecars(dir, { paths: [TEST_PROGRAM], files: { [TEST_PROGRAM]: "// a recorded program\n" } });
  return dir;
}

/** The numbers on the child's last line starting with `word`. */
function lastReport(run: ChildRun, word: string): number[] {
  const line = run.lines.filter((l) => l.startsWith(`${word} `)).at(-1);
  expect(line, `no "${word}" line in ${JSON.stringify(run.lines)}; stderr: ${run.stderr}`).toBeDefined();
  return line!.split(" ").slice(1).map(Number);
}

/** The trace is valid and its events are the first `count` of the sequence (or at least `count`). */
function expectSequence(dir: string, count: number, exact: boolean): TraceEvent[] {
  const check = validateTrace(dir, [], { requireBalanced: false });
  expect(check.ok, check.output).toBe(true);
  const events = readTraceEvents(dir);
  if (exact) expect(events.length).toBe(count);
  else expect(events.length).toBeGreaterThanOrEqual(count);
  const wrong = events.findIndex((event, i) => JSON.stringify(event) !== JSON.stringify(expectedEvent(i)));
  if (wrong >= 0) expect(events[wrong], `event #${wrong}`).toEqual(expectedEvent(wrong));
  return events;
}

describe("binary writer with its compression thread, at every way out of the program", () => {
  it.each([
    ["stop", "close() in the middle of a call, then the program's natural end", 0],
    ["natural", "the program's natural end in the middle of a call", 0],
    ["exit", "process.exit(3) in the middle of a call", 3],
    ["throw", "an uncaught error in the middle of a call", 1],
  ] as const)("%s: %s leaves every event written", { timeout: 90_000 }, async (mode, _what, status) => {
    const dir = traceDir();
    const run = await runChild(dir, mode);
    expect(run.code, run.stderr).toBe(status);
    const [, fromThreadBefore] = lastReport(run, "progress");
    const [atTheEnd, inThread] = lastReport(run, "ending");
    const [written, fromThread] = lastReport(run, "closed");
    expect(fromThreadBefore).toBeGreaterThan(0);
    // frames were in the thread's hands as the program ended, and they are in the trace
    expect(inThread).toBeGreaterThan(0);
    expect(fromThread).toBeGreaterThanOrEqual(fromThreadBefore!);
    expect(written).toBe(atTheEnd);
    expectSequence(dir, written!, true);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("%s between two halves of a call leaves every event written", { timeout: 90_000 }, async (signal) => {
    const dir = traceDir();
    let sent = false;
    const run = await runChild(dir, "signal", (line, child) => {
      if (line === "ready" && !sent) {
        sent = true;
        child.kill(signal);
      }
    });
    expect(run.signal, run.stderr).toBe(signal);
    const [written, fromThread] = lastReport(run, "closed");
    expect(fromThread).toBeGreaterThan(0);
    const [before] = lastReport(run, "progress");
    expect(written).toBeGreaterThanOrEqual(before!);
    expectSequence(dir, written!, true);
  });

  it("never keeps the program alive, even with the writer left open", { timeout: 90_000 }, async () => {
    const dir = traceDir();
    const run = await runChild(dir, "no-close");
    expect(run.code, run.stderr).toBe(0);
    const [, fromThread] = lastReport(run, "progress");
    expect(fromThread).toBeGreaterThan(0);
    // never closed: the events of the frames written before the end, a valid prefix
    const check = validateTrace(dir, [], { requireBalanced: false });
    expect(check.ok, check.output).toBe(true);
    const events = readTraceEvents(dir);
    events.forEach((event, i) => {
      if (JSON.stringify(event) !== JSON.stringify(expectedEvent(i))) expect(event, `event #${i}`).toEqual(expectedEvent(i));
    });
  });

  it("runs none of the program's preloads in its thread", { timeout: 90_000 }, async () => {
    const dir = traceDir();
    const temp = makeTempDir("ctjs-thread-preload-");
    cleanups.push(temp.cleanup);
    const preload = join(temp.dir, "preload.cjs");
    const threads = join(temp.dir, "threads");
    writeFileSync(preload, `require("node:fs").appendFileSync(${JSON.stringify(threads)}, require("node:worker_threads").isMainThread ? "main\\n" : "other\\n");\n`);
    // as a recorder's preload reaches the program: on the command line, or through NODE_OPTIONS
    const run = await runChild(dir, "stop", undefined, { args: ["--require", preload], env: { NODE_OPTIONS: `--require ${preload}` } });
    expect(run.code, run.stderr).toBe(0);
    expect(lastReport(run, "progress")[1]).toBeGreaterThan(0);
    // loaded once per thread that runs it (the same module both ways)
    expect(readFileSync(threads, "utf8")).toBe("main\n");
  });

  it.each([3, 12])("SIGKILL after %i explicit flushes keeps every event flushed", { timeout: 90_000 }, async (flushes) => {
    const dir = traceDir();
    let seen = 0;
    const run = await runChild(dir, "kill", (line, child) => {
      if (line.startsWith("flushed ") && ++seen === flushes) child.kill("SIGKILL");
    });
    expect(run.signal, run.stderr).toBe("SIGKILL");
    // the kill lands a few flushes later still
    const [flushed] = lastReport(run, "flushed");
    const [before, fromThread] = lastReport(run, "progress");
    expect(flushed).toBeGreaterThanOrEqual(before! + flushes * ROUND_EVENTS);
    expect(fromThread).toBeGreaterThan(0);
    expectSequence(dir, flushed!, false);
  });
});
