import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { METADATA_FILE, iterateTraceEvents, type TraceEvent } from "@ctjs/runtime";
import { formatBytes } from "./status-line.js";
import { UsageError } from "./usage-error.js";

interface Summary {
  program: string;
  exitCode: unknown;
  durationMs: number | undefined;
  byKind: Map<string, number>;
  calls: Map<string, number>;
  stepsPerFile: Map<string, number>;
  open: number;
  problems: string[];
}

/** `ctjs summary <trace-dir>`: checks the trace's structure and prints what a person wants first. */
export function summaryCommand(argv: string[]): number {
  const input = argv.find((a) => !a.startsWith("-"));
  const unknown = argv.find((a) => a.startsWith("-"));
  if (unknown !== undefined) throw new UsageError(`unknown option ${JSON.stringify(unknown)} for ctjs summary`);
  if (input === undefined) throw new UsageError("ctjs summary needs a trace directory");
  const dir = path.resolve(input);
  if (!existsSync(path.join(dir, METADATA_FILE))) throw new UsageError(`not a trace directory: ${dir}`);
  const metadata = JSON.parse(readFileSync(path.join(dir, METADATA_FILE), "utf8")) as Record<string, unknown>;
  const s = summarize(dir, metadata);
  const lines: string[] = [];
  lines.push(`program:   ${s.program}`);
  lines.push(`exit code: ${s.exitCode === null || s.exitCode === undefined ? "unknown" : String(s.exitCode)}`);
  if (s.durationMs !== undefined) lines.push(`duration:  ${(s.durationMs / 1000).toFixed(3)} s`);
  lines.push(`size:      ${formatBytes(directorySize(dir))} on disk`);
  lines.push(`events:    ${[...s.byKind.values()].reduce((a, b) => a + b, 0)}`);
  for (const [kind, n] of [...s.byKind].sort((a, b) => b[1] - a[1])) lines.push(`  ${kind.padEnd(13)} ${n}`);
  lines.push("most called functions:");
  for (const [name, n] of [...s.calls].sort((a, b) => b[1] - a[1]).slice(0, 10)) lines.push(`  ${String(n).padStart(8)}  ${name}`);
  lines.push("steps per file:");
  for (const [file, n] of [...s.stepsPerFile].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(8)}  ${file}`);
  lines.push(s.problems.length === 0 ? "valid: yes" : `valid: no — ${s.problems[0]}`);
  process.stdout.write(lines.join("\n") + "\n");
  return s.problems.length === 0 ? 0 : 1;
}

function summarize(dir: string, metadata: Record<string, unknown>): Summary {
  const s: Summary = {
    program: String(metadata.program ?? "?"),
    exitCode: metadata.exit_code,
    durationMs: typeof metadata.started_at === "string" && typeof metadata.finished_at === "string" ? Date.parse(metadata.finished_at) - Date.parse(metadata.started_at) : undefined,
    byKind: new Map(),
    calls: new Map(),
    stepsPerFile: new Map(),
    open: 0,
    problems: [],
  };
  const paths: string[] = [];
  const functions: string[] = [];
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  try {
    for (const event of iterateTraceEvents(dir) as Iterable<TraceEvent>) {
      const kind = Object.keys(event)[0]!;
      bump(s.byKind, kind);
      if ("Path" in event) paths.push(event.Path);
      else if ("Function" in event) functions.push(event.Function.name);
      else if ("Step" in event) {
        const p = paths[event.Step.path_id];
        if (p === undefined) s.problems.push(`Step uses unknown path ${event.Step.path_id}`);
        bump(s.stepsPerFile, p ?? "?");
      } else if ("Call" in event) {
        const name = functions[event.Call.function_id];
        if (name === undefined) s.problems.push(`Call uses unknown function ${event.Call.function_id}`);
        bump(s.calls, name ?? "?");
        s.open++;
      } else if ("Return" in event) {
        if (s.open === 0) s.problems.push("Return with no open call");
        else s.open--;
      }
    }
  } catch (error) {
    s.problems.push((error as Error).message);
  }
  if (s.open > 0) s.problems.push(`${s.open} calls left open`);
  return s;
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? directorySize(full) : statSync(full).size;
  }
  return total;
}
