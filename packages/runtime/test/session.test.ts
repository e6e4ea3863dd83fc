import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { probes, UNWINDING, type FileTable } from "@ctjs/monitoring";
import { DEFAULT_FORMAT, RecorderError, TRACE_BINARY, TRACE_JSON, flush, isTracing, readTraceEvents, start, stop, trace } from "../src/index.js";
import { makeTempDir } from "./helpers/trace-dir.js";
import { validateTrace } from "./helpers/validate.js";

const dirs: Array<{ cleanup(): void }> = [];
function tempDir(): string {
  const d = makeTempDir();
  dirs.push(d);
  return d.dir;
}

afterEach(() => {
  if (isTracing()) stop();
  for (const d of dirs.splice(0)) d.cleanup();
});

function sourceFile(dir: string): { table: FileTable; file: string } {
  const file = path.join(dir, "src", "prog.js");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "function add(a, b) {\n  const s = a + b;\n  return s;\n}\nadd(1, 2);\n");
  const table: FileTable = {
    ctjs: 1,
    path: file,
    names: ["a", "b", "s"],
    fns: [["<module>", 1, 0, [], 4], ["add", 1, 0, [0, 1], 0]],
    sites: [[5, 0, []], [2, 2, [0, 1]], [3, 2, [0, 1, 2]]],
  };
  return { table, file };
}

/** What instrumented code would do for `add(1, 2)`. */
function runProgram(table: FileTable): void {
  const module = probes.onCall ? probes.enter(table, 0) : table;
  if (probes.onLine) probes.line(module, 0);
  const f = probes.onCall ? probes.enter(table, 1, 1, 2) : table;
  if (probes.onLine) probes.line(f, 1, 1, 2);
  if (probes.onLine) probes.line(f, 2, 1, 2, 3);
  if (probes.onCall) probes.exit(f, 3);
  if (probes.onCall) probes.exit(module, undefined);
}

function names(events: ReturnType<typeof readTraceEvents>): string[] {
  return events.map((e) => Object.keys(e)[0]!);
}

describe.each([TRACE_JSON, TRACE_BINARY])("recording through the probes (%s)", (format) => {
  it("writes a balanced, valid trace with calls, arguments, steps, values and returns", () => {
    const dir = tempDir();
    const { table, file } = sourceFile(dir);
    const out = path.join(dir, "trace");
    start({ outDir: out, format, program: file, args: ["x"], captureOutput: false, processHooks: false });
    expect(isTracing()).toBe(true);
    runProgram(table);
    const summary = stop({ exitCode: 0 });
    expect(isTracing()).toBe(false);
    expect(summary?.calls).toBe(3);
    expect(validateTrace(out, ["--strict-files"]).output).toMatch(/OK events=/);
    const events = readTraceEvents(out);
    const fnNames = events.flatMap((e) => ("Function" in e ? [e.Function.name] : []));
    expect(fnNames).toEqual(["<toplevel>", "<module>", "add"]);
    const call = events.find((e) => "Call" in e && e.Call.function_id === 2) as { Call: { args: Array<{ value: { kind: string; i?: number } }> } };
    expect(call.Call.args.map((a) => a.value)).toMatchObject([{ kind: "Int", i: 1 }, { kind: "Int", i: 2 }]);
    const returns = events.filter((e) => "Return" in e) as Array<{ Return: { return_value: { kind: string; i?: number } } }>;
    expect(returns.map((r) => r.Return.return_value.kind)).toEqual(["Int", "None", "Int"]);
    expect(returns[0]!.Return.return_value.i).toBe(3);
    // a Step at the callee's own line right before each Call but the first (<toplevel>: a Step
    // before the first Call would make the reader open a call of its own)
    const seq = names(events);
    const calls = seq.flatMap((name, i) => (name === "Call" ? [i] : []));
    expect(seq.slice(0, calls[0])).not.toContain("Step");
    for (const i of calls.slice(1)) expect(seq[i - 1]).toBe("Step");
    const meta = JSON.parse(readFileSync(path.join(out, "trace_metadata.json"), "utf8"));
    expect(meta).toMatchObject({ program: file, args: ["x"], format, exit_code: 0, recorder: "ctjs" });
    expect(meta.recording_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(readFileSync(path.join(out, "trace_paths.json"), "utf8"))).toEqual([file]);
    expect(readFileSync(path.join(out, "files", file.slice(1)), "utf8")).toContain("function add");
  });

  it("is a complete trace after flush() while still recording", () => {
    const dir = tempDir();
    const { table, file } = sourceFile(dir);
    const out = path.join(dir, "trace");
    start({ outDir: out, format, program: file, captureOutput: false, processHooks: false });
    runProgram(table);
    flush();
    // calls are still open (the <toplevel>), which the reader tolerates
    const result = validateTrace(out, []);
    expect(result.output).toMatch(/FAIL: .*(open|balanced)|OK/);
    stop();
    expect(validateTrace(out).ok).toBe(true);
  });
});

describe("session rules", () => {
  it("binary is the default format", () => {
    expect(DEFAULT_FORMAT).toBe(TRACE_BINARY);
    const out = path.join(tempDir(), "t");
    start({ outDir: out, captureOutput: false, processHooks: false });
    stop();
    expect(existsSync(path.join(out, "trace.bin"))).toBe(true);
    expect(validateTrace(out).ok).toBe(true);
  });

  it("refuses a second start while one runs", () => {
    const dir = tempDir();
    start({ outDir: path.join(dir, "a"), captureOutput: false, processHooks: false });
    expect(() => start({ outDir: path.join(dir, "b") })).toThrow(expect.objectContaining({ code: "ERR_ALREADY_TRACING" }));
    stop();
    expect(existsSync(path.join(dir, "b"))).toBe(false);
  });

  it("names the offending value in each error", () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "full"));
    writeFileSync(path.join(dir, "full", "x"), "x");
    const attempt = (options: Parameters<typeof start>[0]) => {
      try {
        start({ captureOutput: false, processHooks: false, ...options });
      } catch (error) {
        return error as RecorderError;
      }
      stop();
      throw new Error("start() did not fail");
    };
    const conflict = attempt({ outDir: path.join(dir, "full") });
    expect(conflict.code).toBe("ERR_TRACE_DIR_CONFLICT");
    expect(conflict.message).toContain(path.join(dir, "full"));
    const format = attempt({ outDir: path.join(dir, "f"), format: "yaml" });
    expect(format.code).toBe("ERR_UNSUPPORTED_FORMAT");
    expect(format.message).toContain('"yaml"');
    writeFileSync(path.join(dir, "file"), "");
    const create = attempt({ outDir: path.join(dir, "file", "sub") });
    expect(create.code).toBe("ERR_TRACE_DIR_CREATE_FAILED");
    expect(create.message).toContain(path.join(dir, "file", "sub"));
    const unknown = attempt({ outDir: path.join(dir, "u"), colour: true } as never);
    expect(unknown.code).toBe("ERR_INVALID_OPTION");
    expect(unknown.message).toContain('"colour"');
    // option values are checked before anything is created on disk
    for (const [options, named] of [
      [{ values: "fast" }, '"fast"'],
      [{ compressionThread: "yes" }, "compressionThread"],
      [{ limits: { maxDepth: 999 } }, "maxDepth"],
      [{ limits: { maxStepNodes: -1 } }, "maxStepNodes"],
    ] as const) {
      const out = path.join(dir, `bad-${named.replace(/\W/g, "")}`);
      const bad = attempt({ outDir: out, ...options } as never);
      expect(bad.code).toBe("ERR_INVALID_OPTION");
      expect(bad.message).toContain(named);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("records the same trace with compression on a worker thread (compressionThread: true)", () => {
    const dir = tempDir();
    const { table, file } = sourceFile(dir);
    const out = path.join(dir, "t");
    // the writer's own tests run the thread itself (it starts past 8 MiB of trace); this one, the option's way there
    start({ outDir: out, program: file, captureOutput: false, processHooks: false, compressionThread: true });
    for (let i = 0; i < 200; i++) runProgram(table);
    stop();
    expect(validateTrace(out).ok).toBe(true);
    expect(readTraceEvents(out).filter((e) => "Call" in e).length).toBeGreaterThan(200);
  });

  it("trace() records a sync function and an async one, and stops even when they throw", async () => {
    const dir = tempDir();
    const { table, file } = sourceFile(dir);
    expect(trace({ outDir: path.join(dir, "sync"), program: file, captureOutput: false }, () => (runProgram(table), 7))).toBe(7);
    expect(isTracing()).toBe(false);
    expect(validateTrace(path.join(dir, "sync")).ok).toBe(true);
    await expect(trace({ outDir: path.join(dir, "async"), program: file, captureOutput: false }, async () => {
      runProgram(table);
      await new Promise((r) => setTimeout(r, 1));
      throw new Error("late");
    })).rejects.toThrow("late");
    expect(isTracing()).toBe(false);
    expect(validateTrace(path.join(dir, "async")).ok).toBe(true);
  });

  it("an activation path delays recording until that file is entered", () => {
    const dir = tempDir();
    const { table, file } = sourceFile(dir);
    const other: FileTable = { ...table, path: path.join(dir, "src", "other.js") };
    const out = path.join(dir, "t");
    start({ outDir: out, format: "json", program: file, activationPath: file, captureOutput: false, processHooks: false });
    runProgram(other);
    runProgram(table);
    runProgram(other);
    stop();
    expect(validateTrace(out).ok).toBe(true);
    const events = readTraceEvents(out);
    expect(events.filter((e) => "Path" in e).map((e) => (e as { Path: string }).Path)).toEqual([file, other.path]);
    // <toplevel> + (module + add) from prog.js + (module + add) from other.js after activation
    expect(events.filter((e) => "Call" in e)).toHaveLength(5);
  });

  it("an exception unwinding a frame records the thrown value", () => {
    const dir = tempDir();
    const { table, file } = sourceFile(dir);
    const out = path.join(dir, "t");
    start({ outDir: out, format: "json", program: file, captureOutput: false, processHooks: false });
    const f = probes.enter(table, 1, 1, 2);
    probes.raise(f, new RangeError("bad"));
    probes.exit(f, UNWINDING);
    stop();
    expect(validateTrace(out).ok).toBe(true);
    const ret = readTraceEvents(out).filter((e) => "Return" in e)[0] as { Return: { return_value: { kind: string; discriminator: string } } };
    expect(ret.Return.return_value).toMatchObject({ kind: "Variant", discriminator: "thrown" });
  });
});
