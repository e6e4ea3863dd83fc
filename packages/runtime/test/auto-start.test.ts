/**
 * The runtime as a process sees it: auto-start from the environment, the process hooks that
 * finish the trace however the program ends, output capture, and diagnostics kept off stdout.
 * Each case runs a child `node` that loads the built runtime (packages/runtime/dist).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readTraceEvents } from "../src/index.js";
import { repoRoot } from "./helpers/repo-root.js";
import { makeTempDir } from "./helpers/trace-dir.js";
import { validateTrace } from "./helpers/validate.js";

const dist = resolve(repoRoot, "packages/runtime/dist");
const autoStart = join(dist, "auto-start.js");
const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

function scratch(): string {
  const d = makeTempDir("ctjs-auto-start-");
  dirs.push(d);
  return d.dir;
}

/** Runs `program` (ESM) with `node [--import auto-start]`, in a fresh directory. */
function runChild(program: string, env: Record<string, string | undefined>, options: { autoStart?: boolean } = {}) {
  const dir = scratch();
  const file = join(dir, "program.mjs");
  writeFileSync(file, program);
  const args = options.autoStart === false ? [file] : ["--import", autoStart, file];
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.CTJS_TRACE;
  delete childEnv.CTJS_DISABLED;
  delete childEnv.CTJS_FORMAT;
  delete childEnv.CTJS_VALUES;
  delete childEnv.CTJS_MAX_STEP_NODES;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const run = spawnSync(process.execPath, args, { cwd: dir, env: childEnv, encoding: "utf8", timeout: 30_000 });
  return { dir, stdout: run.stdout, stderr: run.stderr, status: run.status, signal: run.signal };
}

function metadata(traceDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(traceDir, "trace_metadata.json"), "utf8")) as Record<string, unknown>;
}

function expectValid(traceDir: string): void {
  const validation = validateTrace(traceDir);
  expect(validation.ok, validation.output).toBe(true);
}

describe("auto-start", () => {
  it("CTJS_TRACE records where the runtime loads, CTJS_FORMAT picks the format", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`console.log("hello");\n`, { CTJS_TRACE: out, CTJS_FORMAT: "json" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("hello\n");
    expect(existsSync(join(out, "trace.json"))).toBe(true);
    expectValid(out);
    const writes = readTraceEvents(out).flatMap((e) => ("Event" in e ? [e.Event.content] : []));
    expect(writes).toContain("hello\n");
    expect(metadata(out)).toMatchObject({ exit_code: 0 });
  });

  it("defaults to the binary format", () => {
    const out = join(scratch(), "trace");
    runChild(`console.log(1);\n`, { CTJS_TRACE: out });
    expect(existsSync(join(out, "trace.bin"))).toBe(true);
    expectValid(out);
  });

  it("CTJS_DISABLED=1 wins over CTJS_TRACE: no trace, same output", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`console.log("plain");\n`, { CTJS_TRACE: out, CTJS_DISABLED: "1" });
    expect(run.stdout).toBe("plain\n");
    expect(existsSync(out)).toBe(false);
  });

  it("importing the plain API starts nothing", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`import { isTracing } from ${JSON.stringify(join(dist, "index.js"))};\nconsole.log(isTracing());\n`, { CTJS_TRACE: out }, { autoStart: false });
    expect(run.stdout).toBe("false\n");
    expect(existsSync(out)).toBe(false);
  });

  it("a bad format is reported in one line on stderr and the program still runs", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`console.log("still here");\n`, { CTJS_TRACE: out, CTJS_FORMAT: "xml" });
    expect(run.stdout).toBe("still here\n");
    expect(run.status).toBe(0);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ctjs: .*"xml"/);
  });
});

describe("auto-start: values mode and step budget from the environment", () => {
  it("CTJS_VALUES picks the values mode, \"changed\" by default", () => {
    for (const [setting, mode] of [[undefined, "changed"], ["full", "full"], ["changed", "changed"]] as const) {
      const out = join(scratch(), "trace");
      const run = runChild(`console.log("ok");\n`, { CTJS_TRACE: out, CTJS_VALUES: setting });
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe("ok\n");
      expectValid(out);
      expect(metadata(out)).toMatchObject({ values: mode });
    }
  });

  it("CTJS_MAX_STEP_NODES=0 is a budget like any other: the recording starts", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`console.log("ok");\n`, { CTJS_TRACE: out, CTJS_MAX_STEP_NODES: "0" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("ok\n");
    expectValid(out);
  });

  it.each([
    [{ CTJS_VALUES: "fast" }, /^ctjs: recording not started: CTJS_VALUES must be "changed" or "full", got "fast"$/],
    [{ CTJS_MAX_STEP_NODES: "many" }, /^ctjs: recording not started: CTJS_MAX_STEP_NODES must be a whole number, got "many"$/],
    [{ CTJS_MAX_STEP_NODES: "-5" }, /^ctjs: recording not started: CTJS_MAX_STEP_NODES must be a whole number, got "-5"$/],
    [{ CTJS_MAX_STEP_NODES: "1e99" }, /^ctjs: recording not started: CTJS_MAX_STEP_NODES must be a whole number, got "1e99"$/],
    [{ CTJS_MAX_STEP_NODES: "99999999999999" }, /^ctjs: recording not started: CTJS_MAX_STEP_NODES: .*maxStepNodes.*99999999999999/],
  ])("%j is reported in one line on stderr, and the program runs unrecorded", (env, message) => {
    const out = join(scratch(), "trace");
    const program = `console.log("still here");\n`;
    const run = runChild(program, { CTJS_TRACE: out, ...env });
    const plain = runChild(program, {}, { autoStart: false });
    expect(run.stdout).toBe(plain.stdout);
    expect(run.status).toBe(0);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});

describe("process hooks finish the trace however the program ends", () => {
  it("process.exit(n) records the exit code", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`console.log("bye");\nprocess.exit(3);\n`, { CTJS_TRACE: out });
    expect(run.status).toBe(3);
    expectValid(out);
    expect(metadata(out)).toMatchObject({ exit_code: 3 });
  });

  it("process.exitCode is the exit code when the program ends on its own", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`process.exitCode = 4;\nsetTimeout(() => console.log("later"), 5);\n`, { CTJS_TRACE: out });
    expect(run.status).toBe(4);
    expect(run.stdout).toBe("later\n");
    expectValid(out);
    expect(metadata(out)).toMatchObject({ exit_code: 4 });
  });

  it("an uncaught exception ends the trace with an error event, and node reports it as usual", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`throw new RangeError("out of range");\n`, { CTJS_TRACE: out, CTJS_FORMAT: "json" });
    const plain = runChild(`throw new RangeError("out of range");\n`, {}, { autoStart: false });
    expect(run.status).toBe(plain.status);
    expect(run.stderr).toContain("RangeError: out of range");
    expectValid(out);
    const events = readTraceEvents(out);
    const last = events[events.length - 1]!;
    expect("Event" in last && last.Event.kind).toBe(11);
    expect("Event" in last && last.Event.content).toContain("out of range");
  });

  it("a terminating signal still leaves a complete trace, and the process dies of that signal", () => {
    const out = join(scratch(), "trace");
    const run = runChild(`console.log("up");\nprocess.kill(process.pid, "SIGTERM");\nsetTimeout(() => {}, 10_000);\n`, { CTJS_TRACE: out });
    const plain = runChild(`process.kill(process.pid, "SIGTERM");\nsetTimeout(() => {}, 10_000);\n`, {}, { autoStart: false });
    expect(run.signal).toBe(plain.signal);
    expect(run.status).toBe(plain.status);
    expectValid(out);
  });
});

describe("output capture", () => {
  it("console.* and direct stream writes become events, the terminal sees the same bytes", () => {
    const out = join(scratch(), "trace");
    const program = `console.log("a", 1);\nconsole.error("b");\nprocess.stdout.write("c");\nprocess.stderr.write(Buffer.from("d"));\nconsole.warn({ k: 1 });\n`;
    const run = runChild(program, { CTJS_TRACE: out, CTJS_FORMAT: "json" });
    const plain = runChild(program, {}, { autoStart: false });
    expect(run.stdout).toBe(plain.stdout);
    expect(run.stderr).toBe(plain.stderr);
    const events = readTraceEvents(out).flatMap((e) => ("Event" in e ? [[e.Event.kind, e.Event.content]] : []));
    expect(events).toEqual([[0, "a 1\n"], [2, "b\n"], [0, "c"], [2, "d"], [2, "{ k: 1 }\n"]]);
  });

  it("the recorder's own diagnostics go to stderr, never into the trace or stdout", () => {
    const out = join(scratch(), "trace");
    // a second start() fails: the program sees the error, the trace does not
    const program = `import { start } from ${JSON.stringify(join(dist, "index.js"))};\ntry { start({ outDir: "elsewhere" }) } catch (e) { console.log(e.code) }\n`;
    const run = runChild(program, { CTJS_TRACE: out, CTJS_FORMAT: "json" });
    expect(run.stdout).toBe("ERR_ALREADY_TRACING\n");
    const contents = readTraceEvents(out).flatMap((e) => ("Event" in e ? [e.Event.content] : []));
    expect(contents).toEqual(["ERR_ALREADY_TRACING\n"]);
  });
});
