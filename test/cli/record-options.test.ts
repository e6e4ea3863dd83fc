/**
 * The options and environment variables of `ctjs record`: where the trace goes and in which
 * format, what values line steps write, when recording starts, what ctjs itself prints. (Which files are instrumented:
 * record-selection.test.ts.)
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CTJS_BIN, ROOT } from "../helpers/cli.js";
import { Raw, type TraceFacts } from "../helpers/trace-facts.js";
import { expectValidTrace, factsOf, metadataOf, outcome, runCtjs, runNode, scratchDir, SUMMARY_LINE, testEnv, writeTree } from "./recording.js";

const scratch = scratchDir("options");
const APP = `function total(values) {\n  return values.reduce((sum, v) => sum + v, 0);\n}\nconsole.log("total", total([1, 2, 3]));\n`;
const appDir = writeTree(path.join(scratch, "app"), { "app.js": APP });
const plainApp = runNode(["app.js"], { cwd: appDir });

/** Size as the summary line shows it (status-line.ts formatBytes). */
function shownSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

describe("where the trace goes", () => {
  it("-o writes it exactly there (parents created); one summary line on stderr names it, its events and size", () => {
    const out = path.join(scratch, "exact/nested/trace");
    const run = runCtjs(["record", "-o", out, "--format", "json", "app.js"], { cwd: appDir });
    expect(outcome(run)).toEqual(outcome(plainApp));
    // stderr is not a terminal here: no status line, only the summary
    expect(run.stderr.split("\n")).toHaveLength(2);
    const [, dir, events, size] = SUMMARY_LINE.exec(run.stderr) ?? [];
    expect(dir).toBe(out);
    expect(Number(events)).toBe(metadataOf(out).events);
    expect(size).toBe(shownSize(statSync(path.join(out, "trace.json")).size));
    expect(readdirSync(out).sort()).toEqual(["files", "trace.json", "trace_metadata.json", "trace_paths.json"]);
    expectValidTrace(out);
  });

  it("--out-dir=<dir> may name an empty directory; --format=binary writes trace.bin", () => {
    const out = writeTree(path.join(scratch, "empty"), {});
    const run = runCtjs(["record", "-q", `--out-dir=${out}`, "--format=binary", "app.js"], { cwd: appDir });
    expect(outcome(run)).toEqual(outcome(plainApp));
    expect(run.stderr).toBe("");
    expect(existsSync(path.join(out, "trace.bin"))).toBe(true);
    expect(existsSync(path.join(out, "trace.json"))).toBe(false);
    expect(factsOf(out).callsOf("total")[0]?.returned).toBe(6);
  });

  it("an existing non-empty directory is refused: exit 2, one line naming it, the program not run", () => {
    const out = writeTree(path.join(scratch, "taken"), { "notes.txt": "mine\n" });
    const run = runCtjs(["record", "-o", out, "app.js"], { cwd: appDir });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^ctjs: .*\n$/);
    expect(run.stderr).toContain(out);
    expect(readdirSync(out)).toEqual(["notes.txt"]);
  });

  it("by default ./ct-traces/<script>-<timestamp>/ under the cwd, in binary; two runs never share one", () => {
    const cwd = writeTree(path.join(scratch, "default-dir"), { "tool.js": APP });
    const first = runCtjs(["record", "tool.js"], { cwd });
    const second = runCtjs(["record", "tool.js"], { cwd });
    expect(first.status, first.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    const made = readdirSync(path.join(cwd, "ct-traces")).sort();
    expect(made).toHaveLength(2);
    for (const name of made) expect(name).toMatch(/^tool\.js-\d{8}-\d{6}(-\d+)?$/);
    expect(made.map((name) => path.join(cwd, "ct-traces", name))).toEqual(expect.arrayContaining([SUMMARY_LINE.exec(first.stderr)?.[1], SUMMARY_LINE.exec(second.stderr)?.[1]]));
    for (const name of made) {
      const dir = path.join(cwd, "ct-traces", name);
      expect(existsSync(path.join(dir, "trace.bin"))).toBe(true);
      expectValidTrace(dir);
    }
  });

  it("CTJS_OUT_DIR and CTJS_FORMAT are defaults; -o and --format override them", () => {
    const fromEnv = path.join(scratch, "env-out");
    const env = { CTJS_OUT_DIR: fromEnv, CTJS_FORMAT: "json" };
    const byEnv = runCtjs(["record", "-q", "app.js"], { cwd: appDir, env });
    expect(outcome(byEnv)).toEqual(outcome(plainApp));
    expect(existsSync(path.join(fromEnv, "trace.json"))).toBe(true);

    const fromFlags = path.join(scratch, "flag-out");
    const otherEnv = { CTJS_OUT_DIR: path.join(scratch, "env-out-unused"), CTJS_FORMAT: "json" };
    const byFlags = runCtjs(["record", "-q", "-o", fromFlags, "--format", "binary", "app.js"], { cwd: appDir, env: otherEnv });
    expect(outcome(byFlags)).toEqual(outcome(plainApp));
    expect(existsSync(path.join(fromFlags, "trace.bin"))).toBe(true);
    expect(existsSync(otherEnv.CTJS_OUT_DIR)).toBe(false);
    expect(existsSync(path.join(appDir, "ct-traces"))).toBe(false);
  });

  it("a bad format, from --format or CTJS_FORMAT, is exit 2 with one line naming it", () => {
    const byFlag = runCtjs(["record", "--format", "xml", "app.js"], { cwd: appDir });
    expect(byFlag.status).toBe(2);
    expect(byFlag.stdout).toBe("");
    expect(byFlag.stderr).toMatch(/^ctjs: .*"xml".*\n$/);
    const byEnv = runCtjs(["record", "app.js"], { cwd: appDir, env: { CTJS_FORMAT: "yaml" } });
    expect(byEnv.status).toBe(2);
    expect(byEnv.stderr).toMatch(/^ctjs: CTJS_FORMAT: .*"yaml".*\n$/);
    expect(existsSync(path.join(appDir, "ct-traces"))).toBe(false);
  });
});

describe("what line steps write: --values and --max-step-nodes", () => {
  const LOOP = `const config = { name: "sizes", sizes: [1, 2, 3] };\nlet total = 0;\nfor (const size of config.sizes) {\n  total += size;\n}\nconsole.log(config.name, total);\n`;
  const dir = writeTree(path.join(scratch, "values"), { "loop.js": LOOP });
  const plainLoop = runNode(["loop.js"], { cwd: dir });
  let traces = 0;

  /** Records loop.js with `options` before the script and `env`; the run must be the plain one's and the trace valid. */
  function recordLoop(options: string[], env: NodeJS.ProcessEnv = {}): { facts: TraceFacts; metadata: Record<string, unknown> } {
    const out = path.join(scratch, `values-trace-${++traces}`);
    const run = runCtjs(["record", "-q", "-o", out, ...options, "loop.js"], { cwd: dir, env });
    expect(outcome(run)).toEqual(outcome(plainLoop));
    expect(run.stderr).toBe("");
    expectValidTrace(out);
    return { facts: factsOf(out), metadata: metadataOf(out) };
  }

  /** How many steps write a value for `name`. */
  const writes = (facts: TraceFacts, name: string) => facts.steps.filter((step) => name in step.written).length;
  /** The first value written for `name`. */
  const firstValue = (facts: TraceFacts, name: string) => facts.steps.find((step) => name in step.written)?.written[name];

  it("by default a variable is written when its value changes; --values full writes it at every step", () => {
    const byDefault = recordLoop([]);
    const full = recordLoop(["--values", "full"]);
    const changed = recordLoop(["--values=changed"]);
    expect(byDefault.metadata.values).toBe("changed");
    expect(full.metadata.values).toBe("full");
    expect(changed.metadata.values).toBe("changed");
    // the same steps in every mode
    expect(full.facts.timeline).toEqual(byDefault.facts.timeline);
    // config never changes: once in "changed", at every step that sees it in "full"
    expect(writes(byDefault.facts, "config")).toBe(1);
    expect(writes(changed.facts, "config")).toBe(1);
    expect(writes(full.facts, "config")).toBeGreaterThan(3);
    expect(writes(full.facts, "config")).toBe(full.facts.steps.filter((step) => step.line > 1).length);
    expect(firstValue(full.facts, "config")).toEqual(firstValue(byDefault.facts, "config"));
  });

  it("CTJS_VALUES is the default; --values overrides it", () => {
    const byEnv = recordLoop([], { CTJS_VALUES: "full" });
    expect(byEnv.metadata.values).toBe("full");
    expect(writes(byEnv.facts, "config")).toBeGreaterThan(1);
    const byFlag = recordLoop(["--values", "changed"], { CTJS_VALUES: "full" });
    expect(byFlag.metadata.values).toBe("changed");
    expect(writes(byFlag.facts, "config")).toBe(1);
  });

  it("--max-step-nodes bounds what one step writes (CTJS_MAX_STEP_NODES the default, the flag overriding it)", () => {
    const shown = { name: "sizes", sizes: [1, 2, 3] };
    expect(firstValue(recordLoop([]).facts, "config")).toEqual(shown);
    // no records to spare: the object is summarized in one Raw record; numbers cost nothing
    const starved = recordLoop(["--max-step-nodes", "0"]).facts;
    expect(firstValue(starved, "config")).toBeInstanceOf(Raw);
    expect(firstValue(starved, "total")).toBe(0);
    expect(firstValue(recordLoop([], { CTJS_MAX_STEP_NODES: "0" }).facts, "config")).toBeInstanceOf(Raw);
    expect(firstValue(recordLoop(["--max-step-nodes=100"], { CTJS_MAX_STEP_NODES: "0" }).facts, "config")).toEqual(shown);
  });
});

/** util-linux `script` runs a command on a pseudo-terminal: stderr is a TTY there. */
const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;

it.skipIf(!hasScript)("on a terminal, a live status line on stderr shows the bytes written, then gives way to the summary", () => {
  // busy for about two seconds: the status line redraws every half second
  const dir = writeTree(path.join(scratch, "terminal"), {
    "busy.js": `function work(i) {\n  return i * 2;\n}\nlet rounds = 0;\nconst timer = setInterval(() => {\n  for (let i = 0; i < 5000; i++) work(i);\n  if (++rounds === 20) {\n    clearInterval(timer);\n    console.log("rounds", rounds);\n  }\n}, 100);\n`,
  });
  const out = path.join(scratch, "terminal-trace");
  const command = [process.execPath, CTJS_BIN, "record", "-o", out, "busy.js"].map((a) => JSON.stringify(a)).join(" ");
  const run = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: dir, env: testEnv(), encoding: "utf8", timeout: 60_000 });
  expect(run.status, run.stdout).toBe(0);
  const terminal = run.stdout.replace(/\r\n/g, "\n");
  expect(terminal).toMatch(/\r\x1b\[2Kctjs: recording… [\d.]+ (B|KiB|MiB) written/);
  // cleared before the summary line
  expect(terminal).toMatch(/\r\x1b\[2Kctjs: trace written to /);
  expect(SUMMARY_LINE.exec(terminal.replace(/\r\x1b\[2K/g, "\n"))?.[1]).toBe(out);
  expect(terminal).toContain("rounds 20\n");
});

it("--activation-path: recording starts when execution first enters that file", () => {
  const dir = writeTree(path.join(scratch, "activation"), {
    "main.js": `function warmUp(n) {\n  return n + 1;\n}\nwarmUp(1);\nconst { work } = require("./work.js");\nconsole.log(work(2));\nwarmUp(3);\n`,
    "work.js": `function work(n) {\n  return n * 10;\n}\nmodule.exports = { work };\n`,
  });
  const out = path.join(scratch, "activation-trace");
  const run = runCtjs(["record", "-q", "-o", out, "--activation-path", "work.js", "main.js"], { cwd: dir });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toBe("20\n");
  expect(run.stderr).toBe("");
  expectValidTrace(out);
  const facts = factsOf(out);
  expect(facts.callsOf("work").map((c) => [c.args, c.returned])).toEqual([[{ n: 2 }, 20]]);
  // before the activation file ran, nothing; after it, everything
  expect(facts.callsOf("warmUp").map((c) => c.args)).toEqual([{ n: 3 }]);
  expect(metadataOf(out).activation_path).toBe(path.join(dir, "work.js"));
});

it("CTJS_DISABLED=1 runs the program as it is: same output, no trace, no summary", () => {
  const out = path.join(scratch, "disabled-trace");
  const run = runCtjs(["record", "-o", out, "app.js"], { cwd: appDir, env: { CTJS_DISABLED: "1" } });
  expect(outcome(run)).toEqual(outcome(plainApp));
  expect(run.stderr).toBe("");
  expect(existsSync(out)).toBe(false);
  expect(existsSync(path.join(appDir, "ct-traces"))).toBe(false);
});

describe("help and version", () => {
  it("--version prints the package version", () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "packages/cli/package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) {
      const run = runCtjs([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${manifest.version}\n`);
    }
  });

  it("--help lists the commands; record --help lists every option", () => {
    const main = runCtjs(["--help"]);
    expect(main.status).toBe(0);
    for (const command of ["ctjs record", "ctjs instrument", "ctjs convert", "ctjs summary"]) expect(main.stdout).toContain(command);
    const record = runCtjs(["record", "--help"]);
    expect(record.status).toBe(0);
    for (const option of ["-o, --out-dir", "--format json|binary", "--include", "--exclude", "--activation-path", "--quiet", "--help", "--values changed|full", "--max-step-nodes <n>", "CTJS_DISABLED", "CTJS_OUT_DIR", "CTJS_FORMAT", "CTJS_VALUES", "CTJS_MAX_STEP_NODES"]) {
      expect(record.stdout).toContain(option);
    }
  });
});
