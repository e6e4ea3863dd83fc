/**
 * Every example a newcomer is pointed to records in both formats and both values modes: the
 * program behaves as under plain node, the trace is valid, it shows the calls the example is
 * about, and the two values modes show the same locals panel at every step.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import type { TraceFacts } from "../helpers/trace-facts.js";
import { expectSameLocals, expectValidTrace, factsOf, outcome, recordOncePerMode, runCtjs, runNode, scratchDir, SUMMARY_LINE, testEnv, VALUES_MODES } from "./recording.js";

interface Example {
  dir: string;
  script: string;
  /** Node 20 cannot run it by itself: compare with this output instead of a plain run. */
  expectedStdout?: string;
  facts(facts: TraceFacts, dir: string): void;
}

const argsOf = (facts: TraceFacts, name: string) => facts.callsOf(name).map((c) => c.args);
const firstCall = (facts: TraceFacts, name: string) => {
  const call = facts.callsOf(name)[0];
  expect(call, `no call of ${name} in ${JSON.stringify(facts.callNames())}`).toBeDefined();
  return call!;
};

const EXAMPLES: Example[] = [
  {
    dir: "hello",
    script: "hello.js",
    facts(facts) {
      expect(argsOf(facts, "greet")).toEqual([{ name: "Ada", punctuation: "!" }, { name: "Grace", punctuation: "!" }, { name: "Linus", punctuation: "!" }]);
      expect(facts.callsOf("greet").map((c) => c.returned)).toEqual(["Hello, Ada!", "Hello, Grace!", "Hello, Linus!"]);
    },
  },
  {
    dir: "recursion",
    script: "fib.js",
    facts(facts) {
      const fib = firstCall(facts, "fib");
      expect(fib.args).toEqual({ n: 10 });
      expect(fib.returned).toBe(55);
      // fib(10) makes 177 calls in all
      expect(facts.callsOf("fib")).toHaveLength(177);
      expect(firstCall(facts, "factorial").returned).toBe(3628800);
    },
  },
  {
    dir: "classes",
    script: "shapes.js",
    facts(facts) {
      expect(argsOf(facts, "Circle.constructor")).toEqual([{ radius: 1 }, { radius: 0.5 }]);
      expect(argsOf(facts, "Rectangle.constructor")).toEqual([{ width: 2, height: 3 }]);
      expect(facts.callsOf("Shape#describe").map((c) => c.returned)).toEqual(["circle with area 3.14", "rectangle with area 6.00", "circle with area 0.79"]);
      expect(firstCall(facts, "get Rectangle#area").returned).toBe(6);
    },
  },
  {
    dir: "async-timers",
    script: "async.js",
    facts(facts) {
      // resumptions of fetchUser carry no parameters: only the first segments do
      expect(facts.callsOf("fetchUser").filter((c) => "id" in c.args).map((c) => c.args)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
      expect(argsOf(facts, "sleep")[0]).toEqual({ ms: 5 });
      expect(facts.callsOf("main").at(-1)?.returned).toBe(3);
      expect(facts.callsOf("setTimeout callback")).toHaveLength(1);
    },
  },
  {
    dir: "generators",
    script: "pipeline.js",
    facts(facts) {
      expect(firstCall(facts, "naturals").args).toEqual({ limit: 5 });
      // one segment per resumption: the first, then one per next() until the loop ends
      expect(facts.callsOf("squares").length).toBeGreaterThanOrEqual(6);
    },
  },
  {
    dir: "typescript",
    script: "inventory.ts",
    expectedStdout: "total value: 39\n",
    facts(facts, dir) {
      expect(facts.paths).toContain(path.join(dir, "inventory.ts"));
      expect(argsOf(facts, "Inventory#add")).toEqual([{ item: { name: "pen", price: 1.5, quantity: 10 } }, { item: { name: "book", price: 12, quantity: 2 } }]);
      expect(firstCall(facts, "Inventory#total").returned).toBe(39);
    },
  },
  {
    dir: "esm-modules",
    script: "main.mjs",
    facts(facts, dir) {
      for (const file of ["main.mjs", "csv.mjs", "stats.mjs"]) expect(facts.paths).toContain(path.join(dir, file));
      expect(firstCall(facts, "parseCsv").args).toEqual({ text: "name,score\nada,91\ngrace,87\nlinus,78" });
      expect(firstCall(facts, "summarize").args).toEqual({ values: [91, 87, 78] });
      expect(firstCall(facts, "summarize").returned).toEqual({ count: 3, mean: 85.33, max: 91 });
    },
  },
  {
    dir: "npm-dependency",
    script: "match.js",
    facts(facts, dir) {
      // node_modules stays out by default (record-options.test.ts opts picomatch in)
      expect(facts.paths).toEqual([path.join(dir, "match.js")]);
      expect(facts.callNames()).toEqual(["<toplevel>", "<module>"]);
    },
  },
];

const scratch = scratchDir("examples");

describe.each(EXAMPLES)("example $dir", (example) => {
  const dir = path.join(ROOT, "examples", example.dir);
  const plain = example.expectedStdout === undefined ? runNode([example.script], { cwd: dir }) : undefined;
  // each format with one values mode; the two are compared below
  const record = recordOncePerMode(path.join(scratch, example.dir), (mode, out) =>
    runCtjs(["record", "--quiet", "-o", out, "--format", mode.format, "--values", mode.values, example.script], { cwd: dir }));

  it.each(VALUES_MODES)("records as node runs it, with the calls it is about ($format, values $values)", (mode) => {
    const { out, recorded } = record(mode);
    if (plain) {
      expect(plain.status, plain.stderr).toBe(0);
      expect(outcome(recorded)).toEqual(outcome(plain));
      expect(recorded.stderr).toBe(plain.stderr);
    } else {
      expect(recorded.status, recorded.stderr).toBe(0);
      expect(recorded.stdout).toBe(example.expectedStdout);
    }
    expectValidTrace(out);
    const facts = factsOf(out);
    expect(facts.stdout).toBe(recorded.stdout);
    example.facts(facts, dir);
  });

  it("shows the same locals panel at every step with --values changed and full", () => {
    expectSameLocals(record(VALUES_MODES[0]).out, record(VALUES_MODES[1]).out);
  });
});

it("from the repo root, node_modules/.bin/ctjs records an example (the README's way in)", () => {
  const out = path.join(scratch, "readme");
  const run = spawnSync(path.join(ROOT, "node_modules/.bin/ctjs"), ["record", "-o", out, "examples/hello/hello.js"], { cwd: ROOT, env: testEnv(), encoding: "utf8", timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toBe("Hello, Ada!\nHello, Grace!\nHello, Linus!\n");
  expect(SUMMARY_LINE.exec(run.stderr)?.[1]).toBe(out);
  expectValidTrace(out);
});
