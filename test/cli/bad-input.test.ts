/**
 * Mistakes in how ctjs is called get one clear line and exit 2, never a stack trace; mistakes in
 * the program (syntax errors) are reported as node reports them, and the partial trace is valid.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { firstLine } from "../helpers/cli.js";
import { errorLine } from "../helpers/differential.js";
import { expectValidTrace, outcome, runCtjs, runNode, scratchDir, writeTree } from "./recording.js";

const scratch = scratchDir("bad-input");
const dir = writeTree(path.join(scratch, "app"), { "app.js": `console.log("ran");\n` });
const aFile = path.join(scratch, "a-file");
writeFileSync(aFile, "not a directory\n");

/** Exit 2, nothing on stdout, exactly one line on stderr, which contains every `mentions`. */
function expectUsageError(args: string[], ...mentions: string[]): void {
  expectUsageErrorWith({}, args, ...mentions);
}

/** The same, with `env` added to the environment ctjs runs in. */
function expectUsageErrorWith(env: NodeJS.ProcessEnv, args: string[], ...mentions: string[]): void {
  const run = runCtjs(args, { cwd: dir, env });
  expect(run.status, run.stderr).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/^ctjs: [^\n]+\n$/);
  for (const text of mentions) expect(run.stderr).toContain(text);
}

describe("bad calls of ctjs", () => {
  it("a script that does not exist (or is a directory)", () => {
    expectUsageError(["record", "missing.js"], path.join(dir, "missing.js"));
    expectUsageError(["record", "."], dir);
  });

  it("an unknown option, of record or of ctjs", () => {
    expectUsageError(["record", "--bogus", "app.js"], "--bogus");
    expectUsageError(["record", "-x", "app.js"], "-x");
    expectUsageError(["frobnicate"], "frobnicate");
  });

  it("an option without its value", () => {
    for (const option of ["-o", "--out-dir", "--format", "--values", "--max-step-nodes", "--include", "--exclude", "--activation-path"]) expectUsageError(["record", option], option);
    expectUsageError(["record", "--out-dir=", "app.js"]);
  });

  it("an activation path that does not exist", () => {
    expectUsageError(["record", "--activation-path", "src/typo.js", "app.js"], path.join(dir, "src/typo.js"));
  });

  it("a values mode that is not \"changed\" or \"full\", from --values or CTJS_VALUES", () => {
    expectUsageError(["record", "--values", "fast", "app.js"], '--values must be "changed" or "full", got "fast"');
    expectUsageError(["record", "--values=", "app.js"], "--values", 'got ""');
    expectUsageErrorWith({ CTJS_VALUES: "everything" }, ["record", "app.js"], 'CTJS_VALUES must be "changed" or "full", got "everything"');
    // the flag is checked even when the environment's value is fine, and wins over it
    expectUsageErrorWith({ CTJS_VALUES: "full" }, ["record", "--values", "none", "app.js"], "--values", '"none"');
    expect(existsSync(path.join(dir, "ct-traces"))).toBe(false);
  });

  it("a step budget that is not a whole number in range, from --max-step-nodes or CTJS_MAX_STEP_NODES", () => {
    expectUsageError(["record", "--max-step-nodes", "lots", "app.js"], '--max-step-nodes must be a whole number, got "lots"');
    expectUsageError(["record", "--max-step-nodes=-1", "app.js"], '--max-step-nodes must be a whole number, got "-1"');
    expectUsageError(["record", "--max-step-nodes", "2.5", "app.js"], '"2.5"');
    expectUsageError(["record", "--max-step-nodes", "1000000000000", "app.js"], "--max-step-nodes", "maxStepNodes", "1000000000000");
    expectUsageErrorWith({ CTJS_MAX_STEP_NODES: "ten" }, ["record", "app.js"], 'CTJS_MAX_STEP_NODES must be a whole number, got "ten"');
    expect(existsSync(path.join(dir, "ct-traces"))).toBe(false);
  });

  it("no script at all", () => {
    expectUsageError(["record"], "script");
    expectUsageError(["record", "-q", "--format", "json"], "script");
  });

  it("an out dir that cannot be created (under a file)", () => {
    const out = path.join(aFile, "trace");
    expectUsageError(["record", "-o", out, "app.js"], out);
    expect(existsSync(path.join(dir, "ct-traces"))).toBe(false);
  });
});

describe("a syntax error in the program", () => {
  const programs = writeTree(path.join(scratch, "syntax"), {
    "broken.js": `console.log("never runs");\nfunction open( {\n`,
    "broken.mjs": `console.log("never runs");\nconst value = ;\n`,
    "requires-broken.js": `function greet(name) {\n  return "hello " + name;\n}\nconsole.log(greet("before"));\nrequire("./lib/broken-lib.js");\n`,
    "lib/broken-lib.js": `\n\nlet sum = 1 +* 2;\n`,
  });

  it.each(["broken.js", "broken.mjs", "requires-broken.js"])("%s: reported as node reports it, same exit code; the partial trace is valid", (script) => {
    const out = path.join(scratch, `trace-${script}`);
    const plain = runNode([script], { cwd: programs });
    const recorded = runCtjs(["record", "-q", "-o", out, script], { cwd: programs });
    expect(plain.status).toBe(1);
    expect(outcome(recorded)).toEqual(outcome(plain));
    // file:line first, then the source line, the caret and the message
    expect(firstLine(recorded.stderr)).toBe(firstLine(plain.stderr));
    expect(recorded.stderr.split("\n").slice(0, 5)).toEqual(plain.stderr.split("\n").slice(0, 5));
    expect(errorLine(recorded.stderr)).toBe(errorLine(plain.stderr));
    expectValidTrace(out);
  });

  const typescript = writeTree(path.join(scratch, "typescript"), {
    "broken.ts": `const total: number = 1;\nconst twice: number = total *;\n`,
    "catches.ts": `let message: string = "none";\ntry {\n  require("./broken.ts");\n} catch (error) {\n  message = (error as Error).name + ": " + (error as Error).message + " " + (error instanceof SyntaxError);\n}\nconsole.log(message);\n`,
    "imports.mts": `import "./broken-module.mts";\nconsole.log("never runs");\n`,
    "broken-module.mts": `export const a: number = 1;\nexport const b = a +* 2;\n`,
  });

  it.each([
    ["broken.ts", "broken.ts", 2, "const twice: number = total *;", 29],
    ["imports.mts", "broken-module.mts", 2, "export const b = a +* 2;", 20],
  ])("TypeScript %s: file:line, the source line, a caret and the message, like node's; exit 1", (script, broken, line, text, column) => {
    const out = path.join(scratch, `trace-${script}`);
    const run = runCtjs(["record", "-q", "-o", out, script], { cwd: typescript });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    const file = path.join(typescript, broken);
    const shown = script.endsWith(".mts") ? `file://${file}` : file;
    expect(run.stderr).toContain(`${shown}:${line}\n${text}\n${" ".repeat(column)}^\n\nSyntaxError: Unexpected token\n`);
    // Babel's own report (its code frame, its file) stays out of it
    expect(run.stderr).not.toMatch(/@babel|^> \d+ \|/m);
    expectValidTrace(out);
  });

  it("a TypeScript syntax error is a SyntaxError the program can catch", () => {
    const run = runCtjs(["record", "-q", "-o", path.join(scratch, "trace-catches"), "catches.ts"], { cwd: typescript });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("SyntaxError: Unexpected token true\n");
  });
});
