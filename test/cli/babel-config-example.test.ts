import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { ROOT, node } from "../helpers/cli.js";
import { validateTrace } from "../helpers/differential.js";
import { traceFacts, type TraceEvent } from "../helpers/trace-facts.js";

const example = path.join(ROOT, "examples/babel-config");
const scratch = mkdtempSync(path.join(tmpdir(), "ctjs-babel-config-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const { readTraceEvents } = (await import(path.join(ROOT, "packages/runtime/dist/index.js"))) as { readTraceEvents(dir: string): TraceEvent[] };

it("a project built with plugins: ['@ctjs/babel-plugin'] in babel.config.js records with CTJS_TRACE", () => {
  const dist = path.join(scratch, "dist");
  const build = spawnSync(path.join(example, "node_modules/.bin/babel"), ["src", "--out-dir", dist, "--source-maps"], { cwd: example, encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
  // the built files resolve @ctjs/runtime from the example's node_modules
  const runEnv = { NODE_PATH: path.join(example, "node_modules") };
  const dormant = node([path.join(dist, "app.js")], { cwd: example, env: runEnv });
  expect(dormant.stdout).toBe("12 + 30 - 2 = 40\n");
  const out = path.join(scratch, "trace");
  const recorded = node([path.join(dist, "app.js")], { cwd: example, env: { ...runEnv, CTJS_TRACE: out, CTJS_FORMAT: "json" } });
  expect(recorded.stdout).toBe(dormant.stdout);
  expect(recorded.status).toBe(0);
  const validation = validateTrace(out);
  expect(validation.ok, validation.output).toBe(true);
  const facts = traceFacts(readTraceEvents(out));
  expect(facts.paths).toContain(path.join(example, "src/app.js"));
  expect(facts.callsOf("tokenize")[0]?.args).toEqual({ text: "12 + 30 - 2" });
  expect(facts.callsOf("evaluate")[0]?.returned).toBe(40);
  expect(facts.stdout).toBe("12 + 30 - 2 = 40\n");
});
