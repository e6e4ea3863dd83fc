import { parseSync } from "@babel/core";
import * as t from "@babel/types";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_EXCLUDE, PluginOptionError, fileSelector, isCtjsOwnFile, resolveOptions } from "../src/index.js";
import { REPO_ROOT, emittedTable, runNode, scratchDir, transformWithPlugin, writeFile } from "./plugin-harness.js";

const PROJECT = "/projects/app";

describe("option validation", () => {
  it("fails on an unknown option, naming it and the known ones", () => {
    expect(() => resolveOptions({ colour: "red" }, PROJECT)).toThrow(PluginOptionError);
    expect(() => resolveOptions({ colour: "red" }, PROJECT)).toThrow(/unknown option "colour" \(known: include, exclude, cwd, runtimeImport, values, warnings\)/);
  });

  it.each([
    ["include", "src/**", /option include must be an array of glob strings, got "src\/\*\*"/],
    ["include", [1], /option include must be an array of glob strings, got \[1\]/],
    ["exclude", [""], /option exclude must be an array of glob strings, got \[""\]/],
    ["exclude", null, /option exclude must be an array of glob strings, got null/],
    ["cwd", 3, /option cwd must be a string, got 3/],
    ["cwd", "", /option cwd must be a string, got ""/],
    ["runtimeImport", true, /option runtimeImport must be a module specifier string or false, got true/],
    ["runtimeImport", "", /option runtimeImport must be a module specifier string or false, got ""/],
    ["values", "yes", /option values must be true, false, "changed" or "full", got "yes"/],
    ["values", "Full", /option values must be true, false, "changed" or "full", got "Full"/],
    ["values", 10n, /option values must be true, false, "changed" or "full", got 10n/],
    ["warnings", 0, /option warnings must be a boolean or a function, got 0/],
    ["warnings", { level: 1 }, /option warnings must be a boolean or a function, got \{"level":1\}/],
  ])("fails on %s = %o with a message naming the option and the value", (key, value, message) => {
    let thrown: unknown;
    try {
      resolveOptions({ [key]: value }, PROJECT);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PluginOptionError);
    expect((thrown as Error).message).toMatch(/^@ctjs\/babel-plugin: /);
    expect((thrown as Error).message).toMatch(message);
  });

  it.each([[[]], ["src"], [5]])("fails when the options are not an object: %o", (raw) => {
    expect(() => resolveOptions(raw, PROJECT)).toThrow(/options must be an object, got /);
  });

  it("fails the same way when Babel loads the plugin with bad options", () => {
    expect(() => transformWithPlugin("f();", `${PROJECT}/a.js`, { colour: 1 } as never)).toThrow(/@ctjs\/babel-plugin: unknown option "colour"/);
    expect(() => transformWithPlugin("f();", `${PROJECT}/a.js`, { values: "no" } as never)).toThrow(/option values must be true, false, "changed" or "full", got "no"/);
  });

  it("has defaults: Babel's cwd, no runtime import, values recorded, warnings on stderr, node_modules excluded", () => {
    const options = resolveOptions(undefined, PROJECT);
    expect(options.cwd).toBe(PROJECT);
    expect(options.runtimeImport).toBe(false);
    expect(options.values).toBe(true);
    expect(options.fullValues).toBe(false);
    expect(typeof options.warn).toBe("function");
    expect(DEFAULT_EXCLUDE).toEqual(["**/node_modules/**"]);
    expect(options.selects(`${PROJECT}/src/a.js`)).toBe(true);
    expect(options.selects(`${PROJECT}/node_modules/lib/index.js`)).toBe(false);
    expect(resolveOptions({ warnings: false }, PROJECT).warn).toBeUndefined();
    expect(resolveOptions(null, PROJECT).values).toBe(true);
  });

  it("resolves cwd against Babel's cwd", () => {
    expect(resolveOptions({ cwd: "packages/web" }, PROJECT).cwd).toBe(`${PROJECT}/packages/web`);
    expect(resolveOptions({ cwd: "/elsewhere" }, PROJECT).cwd).toBe("/elsewhere");
  });
});

describe("file selection", () => {
  it("matches include and exclude globs against the path relative to cwd, exclude winning", () => {
    const selects = resolveOptions({ include: ["src/**"], exclude: ["src/generated/**", "**/*.test.js"] }, PROJECT).selects;
    expect(selects(`${PROJECT}/src/app.js`)).toBe(true);
    expect(selects(`${PROJECT}/src/deep/util.js`)).toBe(true);
    expect(selects(`${PROJECT}/lib/app.js`)).toBe(false);
    expect(selects(`${PROJECT}/src/generated/parser.js`)).toBe(false);
    expect(selects(`${PROJECT}/src/app.test.js`)).toBe(false);
    // the same glob is relative to cwd, not to the file system root
    expect(selects("/other/src/app.js")).toBe(false);
  });

  it("takes absolute globs (as path.join(__dirname, …) writes them) and ./ prefixes", () => {
    const selects = resolveOptions({ include: [`${PROJECT}/src/**`, "./lib/**"], exclude: [`${PROJECT}/src/vendor/**`] }, PROJECT).selects;
    expect(selects(`${PROJECT}/src/a.js`)).toBe(true);
    expect(selects(`${PROJECT}/lib/b.js`)).toBe(true);
    expect(selects(`${PROJECT}/src/vendor/c.js`)).toBe(false);
    expect(selects(`${PROJECT}/test/d.js`)).toBe(false);
  });

  it("matches relative globs against the path inside cwd only, not the folders above it", () => {
    // a project that itself lives under a folder named test/
    const selects = resolveOptions({ exclude: ["**/test/**"] }, "/home/test/app").selects;
    expect(selects("/home/test/app/src/a.js")).toBe(true);
    expect(selects("/home/test/app/test/a.test.js")).toBe(false);
  });

  it("follows the cwd option", () => {
    const selects = resolveOptions({ cwd: "packages/web", include: ["src/**"] }, PROJECT).selects;
    expect(selects(`${PROJECT}/packages/web/src/a.js`)).toBe(true);
    expect(selects(`${PROJECT}/src/a.js`)).toBe(false);
  });

  it("matches dot directories", () => {
    const selects = resolveOptions({ include: ["src/**"] }, PROJECT).selects;
    expect(selects(`${PROJECT}/src/.config/a.js`)).toBe(true);
  });

  it("excludes node_modules by default, at any depth and outside cwd too", () => {
    const selects = resolveOptions({}, PROJECT).selects;
    expect(selects(`${PROJECT}/node_modules/lodash/index.js`)).toBe(false);
    expect(selects(`${PROJECT}/packages/web/node_modules/x/index.js`)).toBe(false);
    // a dependency hoisted above the project (a workspace root) is still a dependency
    expect(selects("/projects/node_modules/lodash/index.js")).toBe(false);
    expect(selects("/projects/shared/util.js")).toBe(true);
  });

  it("instruments node_modules when exclude is given without it", () => {
    const selects = resolveOptions({ exclude: [] }, PROJECT).selects;
    expect(selects(`${PROJECT}/node_modules/lodash/index.js`)).toBe(true);
    const only = resolveOptions({ include: ["**/node_modules/acorn/**"], exclude: [] }, PROJECT).selects;
    expect(only("/projects/node_modules/acorn/dist/acorn.js")).toBe(true);
    expect(only(`${PROJECT}/src/a.js`)).toBe(false);
  });

  it("reports an excluded file in the metadata and leaves it alone", () => {
    const source = "function f(a) { return a; }\nf(1);\n";
    const excluded = transformWithPlugin(source, `${PROJECT}/node_modules/lib/f.js`);
    expect(excluded.ctjs).toEqual({ instrumented: false, reason: "excluded" });
    expect(excluded.code).not.toContain("ctjs.probes");
    const selected = transformWithPlugin(source, `${PROJECT}/src/f.js`);
    expect(selected.ctjs?.instrumented).toBe(true);
    expect(selected.code).toContain("ctjs.probes");
  });

  it("reads the globs relative to Babel's cwd when no cwd option is given", () => {
    const options = { include: ["src/**"] };
    const inSrc = transformWithPlugin("f();", `${PROJECT}/src/a.js`, options, { cwd: PROJECT });
    const outside = transformWithPlugin("f();", `${PROJECT}/scripts/a.js`, options, { cwd: PROJECT });
    expect(inSrc.ctjs?.instrumented).toBe(true);
    expect(outside.ctjs).toEqual({ instrumented: false, reason: "excluded" });
  });
});

describe("the runtime's own files", () => {
  it.each([
    path.join(REPO_ROOT, "packages/runtime/dist/index.js"),
    path.join(REPO_ROOT, "packages/runtime/src/session.ts"),
    path.join(REPO_ROOT, "packages/monitoring/dist/probes.js"),
    path.join(REPO_ROOT, "packages/babel-plugin/src/plugin.ts"),
    "/app/node_modules/@ctjs/runtime/dist/index.js",
    "/app/node_modules/.pnpm/@ctjs+runtime@0.1.0/node_modules/@ctjs/runtime/dist/auto-start.js",
  ])("%s is a ctjs file", (file) => {
    expect(isCtjsOwnFile(file)).toBe(true);
  });

  it("tells a project's own packages/runtime folder from ctjs's by its package name", () => {
    const dir = scratchDir();
    writeFile(path.join(dir, "mine/packages/runtime/package.json"), JSON.stringify({ name: "my-runtime" }));
    writeFile(path.join(dir, "theirs/packages/runtime/package.json"), JSON.stringify({ name: "@ctjs/runtime" }));
    expect(isCtjsOwnFile(path.join(dir, "mine/packages/runtime/src/a.js"))).toBe(false);
    expect(isCtjsOwnFile(path.join(dir, "theirs/packages/runtime/src/a.js"))).toBe(true);
    expect(isCtjsOwnFile(path.join(dir, "src/runtime.js"))).toBe(false);
  });

  it("are never selected, whatever include and exclude say", () => {
    const selects = fileSelector("/", ["**"], []);
    expect(selects("/app/node_modules/@ctjs/runtime/dist/index.js")).toBe(false);
    expect(selects(path.join(REPO_ROOT, "packages/runtime/dist/session.js"))).toBe(false);
    const output = transformWithPlugin("export const x = 1;\n", path.join(REPO_ROOT, "packages/runtime/dist/extra.js"), { include: ["**"], exclude: [] }, { cwd: "/" });
    expect(output.ctjs).toEqual({ instrumented: false, reason: "excluded" });
  });
});

/** Statements the output starts with, as `import "x"` / `require("x")` / other. */
function leadingStatements(code: string, sourceType: "module" | "script"): string[] {
  const ast = parseSync(code, { configFile: false, babelrc: false, sourceType });
  return ast!.program.body.slice(0, 3).map((statement) => {
    if (t.isImportDeclaration(statement)) return `import ${statement.specifiers.length > 0 ? "{…} from " : ""}${statement.source.value}`;
    // `typeof require === "function" && require(X)`
    const call = t.isExpressionStatement(statement) && t.isLogicalExpression(statement.expression) ? statement.expression.right : undefined;
    if (t.isCallExpression(call) && t.isIdentifier(call.callee, { name: "require" })) {
      return `require ${(call.arguments[0] as t.StringLiteral).value}`;
    }
    return statement.type;
  });
}

describe("runtimeImport", () => {
  it("adds an import after the module's own imports", () => {
    const output = transformWithPlugin('import { dep } from "./dep.mjs";\nconsole.log(dep);\n', `${PROJECT}/main.mjs`, { runtimeImport: "@ctjs/runtime/auto-start" }, { sourceType: "module" });
    expect(leadingStatements(output.code, "module")).toEqual(["import {…} from ./dep.mjs", "import @ctjs/runtime/auto-start", "VariableDeclaration"]);
  });

  it("adds a require as the first statement of a script", () => {
    const output = transformWithPlugin('"use strict";\nconst dep = require("./dep.cjs");\n', `${PROJECT}/main.cjs`, { runtimeImport: "@ctjs/runtime/auto-start" }, { sourceType: "script" });
    expect(leadingStatements(output.code, "script")).toEqual(["require @ctjs/runtime/auto-start", "VariableDeclaration", "FunctionDeclaration"]);
    // the directive prologue stays a prologue
    expect(output.code.startsWith('"use strict";')).toBe(true);
  });

  it("adds nothing by default", () => {
    const output = transformWithPlugin('import { dep } from "./dep.mjs";\n', `${PROJECT}/main.mjs`, {}, { sourceType: "module" });
    expect(output.code).not.toMatch(/runtime/);
    expect(leadingStatements(output.code, "module").slice(0, 2)).toEqual(["import {…} from ./dep.mjs", "VariableDeclaration"]);
  });

  it("loads the runtime before the module body runs, in ESM and in CommonJS", () => {
    const dir = scratchDir();
    writeFile(path.join(dir, "runtime.mjs"), 'console.log("runtime");\n');
    writeFile(path.join(dir, "runtime.cjs"), 'console.log("runtime");\n');
    writeFile(path.join(dir, "dep.mjs"), 'export const dep = "dep";\n');
    writeFile(path.join(dir, "dep.cjs"), 'exports.dep = "dep";\n');
    const esm = transformWithPlugin('import { dep } from "./dep.mjs";\nconsole.log("main", dep);\n', path.join(dir, "main.mjs"), { runtimeImport: "./runtime.mjs" }, { sourceType: "module" });
    const cjs = transformWithPlugin('const { dep } = require("./dep.cjs");\nconsole.log("main", dep);\n', path.join(dir, "main.cjs"), { runtimeImport: "./runtime.cjs" }, { sourceType: "script" });
    writeFile(path.join(dir, "main.mjs"), esm.code);
    writeFile(path.join(dir, "main.cjs"), cjs.code);
    for (const main of ["main.mjs", "main.cjs"]) {
      const run = runNode([path.join(dir, main)]);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe("runtime\nmain dep\n");
    }
  });
});

it("an ES module without imports parsed as a script (sourceType unambiguous) runs instead of failing on require", () => {
  const dir = scratchDir();
  writeFile(path.join(dir, "package.json"), '{ "type": "module" }\n');
  const output = transformWithPlugin('console.log("no imports here");\n', path.join(dir, "main.js"), { runtimeImport: "./runtime.js" }, { sourceType: "unambiguous" });
  writeFile(path.join(dir, "main.js"), output.code);
  const run = runNode([path.join(dir, "main.js")]);
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe("no imports here\n");
});

describe("values", () => {
  const source = "function f(a) {\n  const b = a + 1;\n  return b;\n}\nf(1);\n";
  it("false: line steps carry no variables", () => {
    const withValues = emittedTable(transformWithPlugin(source, `${PROJECT}/v.js`).code);
    const without = emittedTable(transformWithPlugin(source, `${PROJECT}/v.js`, { values: false }).code);
    expect(withValues.sites.some((s) => s.variables.length > 0)).toBe(true);
    expect(without.sites.length).toBe(withValues.sites.length);
    expect(without.sites.every((s) => s.variables.length === 0)).toBe(true);
    // parameters are still recorded at entry
    expect(without.fns.find((f) => f.name === "f")?.params).toEqual(["a"]);
    expect(without.values).toBeUndefined();
  });

  it("true and \"changed\" are the default: the table leaves the mode to the session", () => {
    const byDefault = emittedTable(transformWithPlugin(source, `${PROJECT}/v.js`).code);
    expect(byDefault.values).toBeUndefined();
    for (const values of [true, "changed"] as const) {
      const table = emittedTable(transformWithPlugin(source, `${PROJECT}/v.js`, { values }).code);
      expect(table).toEqual(byDefault);
    }
  });

  it("\"full\": the table asks for every variable at every step, and the sites pass the same variables", () => {
    const byDefault = emittedTable(transformWithPlugin(source, `${PROJECT}/v.js`).code);
    const full = emittedTable(transformWithPlugin(source, `${PROJECT}/v.js`, { values: "full" }).code);
    expect(full.values).toBe("full");
    expect(full.sites).toEqual(byDefault.sites);
    expect(full.fns).toEqual(byDefault.fns);
  });
});
