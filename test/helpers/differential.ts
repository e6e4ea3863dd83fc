/**
 * Differential runs: a snippet runs once as written ("plain"), once instrumented by the Babel
 * plugin and recorded by the runtime writing values on change (CTJS_VALUES=changed, "recorded"),
 * once recorded writing every value at every step (CTJS_VALUES=full, "full"), and once
 * instrumented with no runtime loaded ("dormant", the way a bundle ships); tests compare what the
 * runs printed and how they ended, and read the trace the recorded run left. The two recordings
 * must show the same locals panel at every step (test/helpers/locals-oracle.ts).
 *
 * Layout of one run (under os.tmpdir(), removed when the test finishes):
 *   <tmp>/plain/snippet<ext>  the snippet as written (and its extra files)
 *   <tmp>/rec/snippet<ext>    the instrumented snippet; its site table points at the plain file
 *   <tmp>/trace/              the trace of the recorded run (json format)
 *   <tmp>/trace-full/         the trace of the full run (json format)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, onTestFinished } from "vitest";
import { instrumentSource } from "../../packages/babel-plugin/src/transform.js";
import { compareLocals, type LocalsComparison } from "./locals-oracle.js";
import type { TraceEvent } from "./trace-facts.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const AUTO_START = path.join(REPO_ROOT, "packages/runtime/dist/auto-start.js");
// the shared tools sit beside the repository: ../shared/tools
const VALIDATOR = path.resolve(REPO_ROOT, "../shared/tools/validate_trace.py");

export interface DifferentialOptions {
  /** Extension of the snippet file (default ".mjs"); ".ts", ".mts", ".cts" are type-stripped for the plain run. */
  ext?: string;
  /** Command-line arguments passed to the snippet. */
  args?: string[];
  /** Text written to the snippet's stdin. */
  stdin?: string;
  /** More files beside the snippet, by relative name; instrumented too unless listed in `plainFiles`. */
  files?: Record<string, string>;
  /** Names in `files` that are copied as they are into both runs (never instrumented). */
  plainFiles?: string[];
  /** Child process timeout (default 20 s). */
  timeoutMs?: number;
  /**
   * The program's steps or values differ from run to run (the depth a stack overflow is reached
   * at, a timer object's timestamps): its two recordings are not compared step by step.
   */
  variesBetweenRuns?: boolean;
}

export interface RunOutput {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

export interface Validation {
  ok: boolean;
  /** Last line of the validator's output: `OK ...` or `FAIL: ...`. */
  verdict: string;
  output: string;
}

/** A recording's trace: where it is, its events, and the validator's verdict on it. */
export interface RecordedTrace {
  /** Trace directory (deleted when the test finishes, unless CTJS_KEEP_DIFF=1). */
  traceDir: string;
  /** Events of trace.json ([] when the run left none). */
  events: TraceEvent[];
  /** Validator verdict on the trace, with --require-balanced. */
  validation: Validation;
}

export interface DifferentialResult extends RecordedTrace {
  plain: RunOutput;
  /** The recording with CTJS_VALUES=changed (values written on change); its trace is this result's. */
  recorded: RunOutput;
  /** The recording with CTJS_VALUES=full (every visible value at every step); undefined when dormant. */
  full: (RecordedTrace & { run: RunOutput }) | undefined;
  /** Absolute path the trace should name: the plain snippet. */
  snippetPath: string;
  /** The program's recordings cannot be compared step by step (`DifferentialOptions.variesBetweenRuns`). */
  variesBetweenRuns: boolean;
  /** Instrumented code of each instrumented file, by relative name (for failure messages). */
  instrumented: Record<string, string>;
  /** The recorded run ran without the runtime (CTJS_DIFF_DORMANT=1): no trace to check. */
  dormant: boolean;
  /** The instrumented code run with no runtime loaded: probes dormant, leaf functions on their original copies. */
  dormantRun: RunOutput;
}

const require = createRequire(path.join(REPO_ROOT, "packages/babel-plugin/package.json"));

const TS_EXTENSIONS: Record<string, string> = { ".ts": ".mjs", ".mts": ".mjs", ".cts": ".cjs", ".tsx": ".mjs" };

/** Type-strips TypeScript with Babel's TypeScript transform alone (no ctjs), keeping lines. */
export function stripTypes(code: string, filename: string): string {
  const babel = require("@babel/core") as { transformSync(code: string, options: object): { code?: string | null } | null };
  const result = babel.transformSync(code, {
    filename,
    babelrc: false,
    configFile: false,
    retainLines: true,
    sourceType: filename.endsWith(".cts") ? "script" : "module",
    parserOpts: { plugins: ["decorators-legacy"] },
    plugins: [[require.resolve("@babel/plugin-transform-typescript"), { allowDeclareFields: true, onlyRemoveTypeImports: false }]],
  });
  if (!result?.code) throw new Error(`type stripping produced no output for ${filename}`);
  return result.code;
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("CTJS_") || key === "NODE_OPTIONS" || key.startsWith("VITEST") || key === "NODE_V8_COVERAGE") continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

function run(file: string, cwd: string, nodeArgs: string[], options: DifferentialOptions, env: Record<string, string>): RunOutput {
  const result = spawnSync(process.execPath, [...nodeArgs, file, ...(options.args ?? [])], {
    cwd,
    env: childEnv(env),
    input: options.stdin ?? "",
    encoding: "utf8",
    timeout: options.timeoutMs ?? 20_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code !== "ETIMEDOUT") throw result.error;
  return { stdout: result.stdout ?? "", stderr: result.stderr ?? "", status: result.status, signal: result.signal };
}

/** Both runs print their own directory (paths, file URLs, stacks): make them compare equal. */
function normalize(output: RunOutput, dir: string): RunOutput {
  const fix = (text: string) => text.split(dir).join("<dir>").replace(/^\(node:\d+\)/gm, "(node:PID)");
  return { ...output, stdout: fix(output.stdout), stderr: fix(output.stderr) };
}

export function validateTrace(traceDir: string): Validation {
  const result = spawnSync("python3", [VALIDATOR, "--require-balanced", traceDir], { encoding: "utf8", timeout: 60_000 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  const lines = output.trim().split("\n");
  const verdict = lines[lines.length - 1] ?? "";
  return { ok: result.status === 0 && verdict.startsWith("OK"), verdict, output };
}

function removeLater(dir: string): void {
  if (process.env.CTJS_KEEP_DIFF === "1") {
    process.stderr.write(`differential run kept in ${dir}\n`);
    return;
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // called outside a running test: remove at exit
    process.once("exit", remove);
  }
}

function readRecordedTrace(traceDir: string): RecordedTrace {
  const traceFile = path.join(traceDir, "trace.json");
  if (!existsSync(traceFile)) return { traceDir, events: [], validation: { ok: false, verdict: "FAIL: no trace.json", output: "" } };
  return { traceDir, events: JSON.parse(readFileSync(traceFile, "utf8")) as TraceEvent[], validation: validateTrace(traceDir) };
}

function writeFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * Runs `source` plain and recorded (see the file comment) and returns both outcomes, the trace
 * events and the validator's verdict. `source` may be a function of the plain snippet's absolute
 * path, for snippets that must name themselves.
 */
export function runDifferential(source: string | ((snippetPath: string) => string), options: DifferentialOptions = {}): DifferentialResult {
  const ext = options.ext ?? ".mjs";
  const runExt = TS_EXTENSIONS[ext] ?? ext;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "ctjs-diff-"));
  removeLater(tmp);
  const plainDir = path.join(tmp, "plain");
  const recDir = path.join(tmp, "rec");
  const traceDir = path.join(tmp, "trace");
  const instrumented: Record<string, string> = {};

  const snippetText = typeof source === "function" ? source(path.join(plainDir, `snippet${ext}`)) : source;
  const sources: Record<string, string> = { [`snippet${ext}`]: snippetText, ...(options.files ?? {}) };
  const plainOnly = new Set(options.plainFiles ?? []);
  for (const [name, text] of Object.entries(sources)) {
    const original = path.join(plainDir, name);
    writeFile(original, text);
    const fileExt = path.extname(name);
    const target = TS_EXTENSIONS[fileExt];
    if (plainOnly.has(name)) {
      writeFile(path.join(recDir, name), text);
      continue;
    }
    if (target !== undefined) {
      // the plain run executes the stripped JS beside the TypeScript original
      writeFile(path.join(plainDir, name.slice(0, -fileExt.length) + target), stripTypes(text, original));
    }
    const result = instrumentSource(text, { filename: original, cwd: plainDir, warnings: false });
    instrumented[name] = result.code;
    const recName = target !== undefined ? name.slice(0, -fileExt.length) + target : name;
    writeFile(path.join(recDir, recName), result.code);
  }

  const main = `snippet${runExt}`;
  const plain = normalize(run(path.join(plainDir, main), plainDir, [], options, {}), plainDir);
  // CTJS_DIFF_DORMANT=1 runs the instrumented code without the runtime (to tell instrumentation
  // bugs from recording bugs); there is no trace then
  const dormant = process.env.CTJS_DIFF_DORMANT === "1";
  const record = (dir: string, values: "changed" | "full") =>
    normalize(run(path.join(recDir, main), recDir, ["--import", AUTO_START], options, { CTJS_TRACE: dir, CTJS_FORMAT: "json", CTJS_VALUES: values }), recDir);
  const recorded = dormant ? normalize(run(path.join(recDir, main), recDir, [], options, {}), recDir) : record(traceDir, "changed");
  const fullTraceDir = path.join(tmp, "trace-full");
  const full = dormant ? undefined : { run: record(fullTraceDir, "full"), ...readRecordedTrace(fullTraceDir) };

  const dormantRun = normalize(run(path.join(recDir, main), recDir, [], options, {}), recDir);

  return { plain, recorded, full, ...readRecordedTrace(traceDir), snippetPath: path.join(plainDir, `snippet${ext}`), variesBetweenRuns: options.variesBetweenRuns === true, instrumented, dormant, dormantRun };
}

/** The first line of stderr that names an error (`TypeError: …`, `Error [CODE]: …`, `Uncaught …`). */
export function errorLine(stderr: string): string | undefined {
  return stderr.split("\n").find((l) => /^(Uncaught |\w*(Error|Exception)\b)/.test(l) || /^\[\w+\]/.test(l));
}

function explain(result: DifferentialResult): string {
  const files = Object.entries(result.instrumented).map(([name, code]) => `--- instrumented ${name}\n${code}`).join("\n");
  return [
    `plain:    status=${result.plain.status} signal=${result.plain.signal}\n${result.plain.stdout}\n${result.plain.stderr}`,
    `recorded: status=${result.recorded.status} signal=${result.recorded.signal}\n${result.recorded.stdout}\n${result.recorded.stderr}`,
    `dormant:  status=${result.dormantRun.status} signal=${result.dormantRun.signal}\n${result.dormantRun.stdout}\n${result.dormantRun.stderr}`,
    ...(result.full ? [`full:     status=${result.full.run.status} signal=${result.full.run.signal}\n${result.full.run.stdout}\n${result.full.run.stderr}`] : []),
    `validator: ${result.validation.verdict}${result.full ? `; full: ${result.full.validation.verdict}` : ""}`,
    files,
  ].join("\n");
}

/**
 * The recorded runs behaved like the plain one: same stdout, same exit status and signal, same
 * first stderr line and same error line; both traces pass the validator (--require-balanced) and
 * show the same locals at every step, the changed trace with no more Value events than the full.
 */
export function expectSameBehaviour(result: DifferentialResult): void {
  const context = explain(result);
  const firstLine = (s: string) => s.split("\n")[0] ?? "";
  const runs: Array<[string, RunOutput]> = [["recorded", result.recorded], ["dormant", result.dormantRun]];
  if (result.full) runs.push(["full", result.full.run]);
  for (const [which, run] of runs) {
    expect(run.stdout, `${which}: stdout differs\n${context}`).toBe(result.plain.stdout);
    expect(run.status, `${which}: exit status differs\n${context}`).toBe(result.plain.status);
    expect(run.signal, `${which}: signal differs\n${context}`).toBe(result.plain.signal);
    expect(firstLine(run.stderr), `${which}: first stderr line differs\n${context}`).toBe(firstLine(result.plain.stderr));
    expect(errorLine(run.stderr), `${which}: error line differs\n${context}`).toBe(errorLine(result.plain.stderr));
  }
  if (result.dormant) return;
  expect(result.validation.verdict, `trace invalid\n${result.validation.output}\n${context}`).toMatch(/^OK/);
  if (result.variesBetweenRuns) expect(result.full!.validation.verdict, `full trace invalid\n${result.full!.validation.output}\n${context}`).toMatch(/^OK/);
  else expectSameLocals(result, context);
}

/**
 * The CTJS_VALUES=changed and =full recordings show the same locals panel at every step (and have
 * the same steps and calls), the full trace is valid, and the changed one writes no more Values.
 */
export function expectSameLocals(result: DifferentialResult, context = explain(result)): LocalsComparison {
  const full = result.full;
  if (full === undefined) throw new Error("no full recording: the differential run was dormant");
  expect(full.validation.verdict, `full trace invalid\n${full.validation.output}\n${context}`).toMatch(/^OK/);
  const comparison = compareLocals(result.events, full.events, ["changed", "full"]);
  const kept = process.env.CTJS_KEEP_DIFF === "1" ? "" : " (CTJS_KEEP_DIFF=1 keeps both traces)";
  expect(comparison.difference, `locals panels differ between CTJS_VALUES=changed and full${kept}\n${context}`).toBeUndefined();
  expect(comparison.valueEvents[0], "the changed trace writes more Value events than the full one").toBeLessThanOrEqual(comparison.valueEvents[1]);
  return comparison;
}

/** `runDifferential` + `expectSameBehaviour`, returning the result for trace assertions. */
export function differential(source: string | ((snippetPath: string) => string), options: DifferentialOptions = {}): DifferentialResult {
  const result = runDifferential(source, options);
  expectSameBehaviour(result);
  return result;
}

/** 1-based line of the first line of `source` containing `marker` (e.g. a `// @ret` comment). */
export function lineOf(source: string, marker: string): number {
  const index = source.split("\n").findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`marker ${marker} not in snippet`);
  return index + 1;
}
