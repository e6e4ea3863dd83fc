import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ctjs, firstLine, node, ROOT } from "../helpers/cli.js";
import { validateTrace } from "../helpers/differential.js";
import { Thrown, traceFacts, type TraceEvent } from "../helpers/trace-facts.js";
import { expectSameLocals, recordOncePerMode, shownValuesAt, VALUES_MODES } from "./recording.js";

interface Expected {
  script: string;
  args?: string[];
  exitCode: number;
  calls: Array<{ function: string; args: Record<string, unknown> }>;
  returns: Array<{ function: string; value?: unknown; thrown?: string }>;
  values: Array<{ line: number; variable: string; value: unknown }>;
  output: string[];
  paths?: string[];
  errorEvent?: string;
}

const FIXTURES = path.join(ROOT, "fixtures");
const { readTraceEvents } = (await import(path.join(ROOT, "packages/runtime/dist/index.js"))) as { readTraceEvents(dir: string): TraceEvent[] };
const scratch = mkdtempSync(path.join(tmpdir(), "ctjs-fixtures-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function isSubset(actual: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([k, v]) => JSON.stringify(actual[k]) === JSON.stringify(v));
}

/** Each expected item must appear, in order, as a subsequence of `actual`. */
function inOrder<A, E>(actual: A[], expected: E[], matches: (a: A, e: E) => boolean): E | undefined {
  let at = 0;
  for (const e of expected) {
    while (at < actual.length && !matches(actual[at]!, e)) at++;
    if (at === actual.length) return e;
    at++;
  }
  return undefined;
}

// programs with expected trace facts; other fixture folders (bundled-app) belong to other suites
const fixtures = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(FIXTURES, d.name, "expected.json")))
  .map((d) => d.name);

describe.each(fixtures)("fixture %s", (name) => {
  const dir = path.join(FIXTURES, name);
  const expected = JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as Expected;
  const args = expected.args ?? [];
  const isTs = /\.[mc]?tsx?$/.test(expected.script);
  const plain = isTs ? undefined : node([expected.script, ...args], { cwd: dir });
  // each format with one values mode; the two are compared below
  const record = recordOncePerMode(path.join(scratch, name), (mode, out) =>
    ctjs(["record", "-q", "-o", out, "--format", mode.format, "--values", mode.values, expected.script, ...args], { cwd: dir }));

  it.each(VALUES_MODES)("records the same run as node, and the expected facts ($format, values $values)", (mode) => {
    const { out, recorded } = record(mode);
    expect(recorded.status, recorded.stderr).toBe(expected.exitCode);
    if (plain) {
      expect(recorded.stdout).toBe(plain.stdout);
      expect(recorded.status).toBe(plain.status);
      expect(firstLine(recorded.stderr)).toBe(firstLine(plain.stderr));
    }
    const validation = validateTrace(out);
    expect(validation.ok, validation.output).toBe(true);
    const events = readTraceEvents(out);
    const facts = traceFacts(events);
    expect(facts.stdout).toBe(expected.output.join(""));
    const missingCall = inOrder(facts.calls, expected.calls, (c, e) => c.name === e.function && isSubset(c.args, e.args));
    expect(missingCall, `calls: ${JSON.stringify(facts.calls.map((c) => [c.name, c.args]))}`).toBeUndefined();
    const byReturn = [...facts.calls].filter((c) => c.returnAt >= 0).sort((a, b) => a.returnAt - b.returnAt);
    const missingReturn = inOrder(byReturn, expected.returns, (c, e) =>
      c.name === e.function && (e.thrown !== undefined ? c.returned instanceof Thrown && JSON.stringify(c.returnRecord).includes(e.thrown) : JSON.stringify(c.returned) === JSON.stringify(e.value)));
    expect(missingReturn, `returns: ${JSON.stringify(facts.calls.map((c) => [c.name, c.returned]))}`).toBeUndefined();
    // what CodeTracer's locals panel shows at the line's steps
    for (const v of expected.values) {
      const seen = shownValuesAt(events, v.line, v.variable);
      expect(seen.map((s) => JSON.stringify(s)), `${v.variable} at line ${v.line}`).toContain(JSON.stringify(v.value));
    }
    for (const p of expected.paths ?? []) expect(facts.paths).toContain(path.join(dir, p));
    if (expected.errorEvent !== undefined) {
      const last = facts.events[facts.events.length - 1] as { Event?: { kind: number; content: string } };
      expect(last.Event?.kind).toBe(11);
      expect(last.Event?.content).toContain(expected.errorEvent);
    }
  });

  it("shows the same locals panel at every step with --values changed and full", () => {
    expectSameLocals(record(VALUES_MODES[0]).out, record(VALUES_MODES[1]).out);
  });
});
