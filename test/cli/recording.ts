/**
 * What the CLI end-to-end tests share: scratch folders, the real CLI run with a controlled
 * environment, and reading what a recording left behind.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect } from "vitest";
import { ctjs, node, ROOT, type Run } from "../helpers/cli.js";
import { validateTrace } from "../helpers/differential.js";
import { compareLocals, LocalsOracle, type LocalsComparison } from "../helpers/locals-oracle.js";
import { traceFacts, type TraceEvent, type TraceFacts, type ValueRecord } from "../helpers/trace-facts.js";

const runtime = (await import(path.join(ROOT, "packages/runtime/dist/index.js"))) as { readTraceEvents(dir: string): TraceEvent[] };

/**
 * The CTJS_* variables of the environment the tests run in, unset: each test sets what it
 * means to test (CTJS_FORMAT or CTJS_DISABLED left over in a shell would change every run).
 */
const WITHOUT_CTJS_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith("CTJS_")).map((k) => [k, undefined]));

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/** The environment of the runs: this one without CTJS_* variables, no colours, plus `extra`. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...WITHOUT_CTJS_ENV, NO_COLOR: "1", ...extra };
}

/** `ctjs <args>` in a child process. */
export function runCtjs(args: string[], options: RunOptions = {}): Run {
  return ctjs(args, { ...options, env: testEnv(options.env) });
}

/** `node <args>` in a child process, in the same environment as `runCtjs`. */
export function runNode(args: string[], options: RunOptions = {}): Run {
  return node(args, { ...options, env: testEnv(options.env) });
}

/** A scratch folder (its real path, as Node reports paths) removed when the test file ends. */
export function scratchDir(name: string): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), `ctjs-${name}-`)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (by path relative to `dir`); returns `dir`. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/** The trace passes the shared validator, every call returned included. */
export function expectValidTrace(traceDir: string): void {
  const validation = validateTrace(traceDir);
  expect(validation.ok, validation.output).toBe(true);
}

export function readEvents(traceDir: string): TraceEvent[] {
  return runtime.readTraceEvents(traceDir);
}

export function factsOf(traceDir: string): TraceFacts {
  return traceFacts(readEvents(traceDir));
}

/** The two recordings of a program the CLI tests compare: each format with one values mode. */
export const VALUES_MODES = [
  { format: "json", values: "changed" },
  { format: "binary", values: "full" },
] as const;
export type ValuesModeRun = (typeof VALUES_MODES)[number];

/**
 * Records with `record(mode, out)` into `<outPrefix>-<format>` once per mode, for whichever test
 * needs that recording first.
 */
export function recordOncePerMode(outPrefix: string, record: (mode: ValuesModeRun, out: string) => Run): (mode: ValuesModeRun) => { out: string; recorded: Run } {
  const recordings = new Map<ValuesModeRun, { out: string; recorded: Run }>();
  return (mode) => {
    let recording = recordings.get(mode);
    if (recording === undefined) {
      const out = `${outPrefix}-${mode.format}`;
      recording = { out, recorded: record(mode, out) };
      recordings.set(mode, recording);
    }
    return recording;
  };
}

/**
 * Recordings of one run with `--values changed` and `--values full` show the same locals panel
 * at every step (test/helpers/locals-oracle.ts), the changed one writing no more Values.
 */
export function expectSameLocals(changedDir: string, fullDir: string): LocalsComparison {
  const comparison = compareLocals(readEvents(changedDir), readEvents(fullDir), ["--values changed", "--values full"]);
  expect(comparison.difference, `locals panels differ: ${changedDir} and ${fullDir}`).toBeUndefined();
  expect(comparison.valueEvents[0], "the changed trace writes more Value events than the full one").toBeLessThanOrEqual(comparison.valueEvents[1]);
  return comparison;
}

/** What CodeTracer's locals panel shows for `variable` at each step on `line` (decoded; undefined where not shown). */
export function shownValuesAt(events: TraceEvent[], line: number, variable: string): unknown[] {
  const oracle = new LocalsOracle(events);
  const facts = traceFacts(events);
  const shown: unknown[] = [];
  for (const [step, locals] of oracle.rawViews()) {
    if (oracle.steps[step]!.line !== line) continue;
    const record = locals.get(variable);
    shown.push(record === undefined ? undefined : facts.decode(record as ValueRecord));
  }
  return shown;
}

export function metadataOf(traceDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(traceDir, "trace_metadata.json"), "utf8")) as Record<string, unknown>;
}

/** What a run printed and how it ended, for comparing a recorded run with a plain one. */
export function outcome(run: Run): { stdout: string; status: number | null; signal: NodeJS.Signals | null } {
  return { stdout: run.stdout, status: run.status, signal: run.signal };
}

/** The summary line `ctjs record` prints last on stderr. */
export const SUMMARY_LINE = /^ctjs: trace written to (.+) \((\d+) events, ([\d.]+ (?:B|KiB|MiB|GiB))\)$/m;
