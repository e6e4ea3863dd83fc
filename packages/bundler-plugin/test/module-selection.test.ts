/**
 * Which modules get instrumented: virtual (`\0`) ids and non-script queries never; node_modules
 * not by default; include/exclude globs relative to the root, exclude winning.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileSelector } from "@ctjs/babel-plugin";
import { readTraceEvents } from "@ctjs/runtime";
import * as esbuild from "esbuild";
import { rollup } from "rollup";
import { afterAll, describe, expect, it } from "vitest";
import { validateTrace } from "../../../test/helpers/differential.js";
import { traceFacts, type TraceEvent } from "../../../test/helpers/trace-facts.js";
import { ctjsHooks } from "../src/core.js";
import ctjsEsbuild from "../src/esbuild.js";
import { scriptFileOf } from "../src/module-ids.js";
import { resolveBundlerOptions, type BundlerPluginOptions } from "../src/options.js";
import ctjsRollup from "../src/rollup.js";
import { runBundle } from "./helpers/run-bundle.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "ctjs-selection-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("scriptFileOf", () => {
  it.each([
    ["/app/src/main.ts", "/app/src/main.ts"],
    ["/app/src/view.tsx", "/app/src/view.tsx"],
    ["/app/src/lib.mjs?v=1a2b", "/app/src/lib.mjs"],
    ["/app/src/lib.cjs?import", "/app/src/lib.cjs"],
    ["\0virtual:entry.js", undefined],
    ["\0/app/src/main.ts?commonjs-proxy", undefined],
    ["virtual:config.js", undefined],
    ["/app/src/text.js?raw", undefined],
    ["/app/src/asset.js?url", undefined],
    ["/app/src/job.ts?worker&inline", undefined],
    ["/app/src/App.vue?vue&type=script&lang.ts", undefined],
    ["/app/src/style.css", undefined],
    ["/app/src/data.json", undefined],
    ["/app/src/types.d.ts", undefined],
  ])("%j → %j", (id, file) => {
    expect(scriptFileOf(id)).toBe(file);
  });
});

describe("file selection (the Babel plugin's selector, as the bundler plugin uses it)", () => {
  const root = "/ws/packages/app";
  it("skips node_modules by default, inside the root and outside it (a hoisted workspace dependency)", () => {
    const selects = fileSelector(root, undefined, ["**/node_modules/**"]);
    expect(selects("/ws/packages/app/src/main.ts")).toBe(true);
    expect(selects("/ws/packages/app/node_modules/dep/index.js")).toBe(false);
    expect(selects("/ws/node_modules/.pnpm/dep@1.0.0/node_modules/dep/index.js")).toBe(false);
    expect(selects("/ws/packages/lib/src/util.ts")).toBe(true);
  });

  it("takes include globs relative to the root, exclude winning", () => {
    const selects = fileSelector(root, ["src/**"], ["src/vendor/**", "**/*.test.ts"]);
    expect(selects("/ws/packages/app/src/main.ts")).toBe(true);
    expect(selects("/ws/packages/app/src/vendor/x.js")).toBe(false);
    expect(selects("/ws/packages/app/src/main.test.ts")).toBe(false);
    expect(selects("/ws/packages/app/scripts/build.js")).toBe(false);
  });

  it("can include a dependency by name once node_modules is no longer excluded", () => {
    const selects = fileSelector(root, ["**/node_modules/acorn/**"], []);
    expect(selects("/ws/node_modules/.pnpm/acorn@8.15.0/node_modules/acorn/dist/acorn.mjs")).toBe(true);
    expect(selects("/ws/node_modules/.pnpm/marked@1.0.0/node_modules/marked/lib/marked.esm.js")).toBe(false);
  });

  it("never selects ctjs's own packages", () => {
    const selects = fileSelector("/", undefined, []);
    expect(selects("/somewhere/node_modules/@ctjs/runtime/dist/session.js")).toBe(false);
    expect(selects(path.resolve("packages/runtime/dist/session.js"))).toBe(false);
  });
});

describe("the transform hook", () => {
  interface Hook { handler(this: unknown, code: string, id: string): { code: string; map: { sources: string[] } | null } | null }
  function transformWith(options: BundlerPluginOptions, warnings: string[] = []) {
    const hook = ctjsHooks(resolveBundlerOptions(options)).transform as unknown as Hook;
    return (code: string, id: string) => hook.handler.call({ warn: (m: string) => warnings.push(m) }, code, id);
  }
  const source = "export function twice(n) {\n  return n * 2;\n}\n";

  it("instruments a selected module, with a map to its original source and the Node runtime imported", () => {
    const result = transformWith({ root: "/app" })(source, "/app/src/twice.js");
    expect(result?.code).toContain("ctjs.probes");
    expect(result?.code).toMatch(/import "[^"]*\/runtime\/dist\/auto-start\.js";/);
    expect(result?.map?.sources.some((s) => s.endsWith("twice.js"))).toBe(true);
  });

  it("keeps TypeScript for the bundler to compile", () => {
    const result = transformWith({ root: "/app", runtimeImport: false })("export const twice = (n: number): number => n * 2;\n", "/app/src/twice.ts");
    expect(result?.code).toContain("(n: number): number");
    expect(result?.code).not.toContain("auto-start");
  });

  it("imports the runtime named by runtimeImport", () => {
    expect(transformWith({ root: "/app", runtimeImport: "my-runtime" })(source, "/app/src/twice.js")?.code).toContain('import "my-runtime";');
  });

  it("passes the values option to the Babel plugin: \"full\" marks the site table, false passes no variables", () => {
    const local = "export function twice(n) {\n  const twice = n * 2;\n  return twice;\n}\n";
    const table = (options: BundlerPluginOptions) => /ctjs: 1, [^]*?\bsites: \[[^]*\}/.exec(transformWith({ root: "/app", runtimeImport: false, ...options })(local, "/app/src/twice.js")!.code)![0];
    expect(table({})).not.toContain("values");
    expect(table({ values: "changed" })).toBe(table({}));
    expect(table({ values: "full" })).toMatch(/values: "full"/);
    expect(table({})).toMatch(/names: \[[^\]]*"twice"/);
    expect(table({ values: false })).not.toMatch(/names: \[[^\]]*"twice"/);
  });

  it.each(["\0virtual:twice.js", "/app/node_modules/dep/twice.js", "/app/src/twice.js?raw", "/app/src/twice.css"])("leaves %j alone", (id) => {
    expect(transformWith({ root: "/app" })(source, id)).toBeNull();
  });

  it("leaves Vite's pre-bundled dependencies alone wherever its cache dir is", () => {
    const hooks = ctjsHooks(resolveBundlerOptions({}));
    const vite = hooks.vite as { configResolved(config: unknown): void };
    vite.configResolved({ root: "/app", cacheDir: "/tmp/vite-cache", build: {} });
    const hook = hooks.transform as unknown as Hook;
    const run = (id: string) => hook.handler.call({ warn: () => {} }, source, id);
    expect(run("/tmp/vite-cache/deps/msgpackr.js?v=1a2b")).toBeNull();
    expect(run("/app/src/twice.js")?.code).toContain("ctjs.probes");
  });

  it("leaves a module it cannot parse to the bundler, with a warning", () => {
    const warnings: string[] = [];
    expect(transformWith({ root: "/app" }, warnings)("export const = ;", "/app/src/broken.js")).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^ctjs: \/app\/src\/broken\.js left uninstrumented: /);
  });
});

/** A small project: main.js uses a dependency in node_modules, a helper and a module to exclude. */
function writeProject(): string {
  const dir = path.join(scratch, "project");
  const files: Record<string, string> = {
    "main.js": 'import { shout } from "dep";\nimport { helper } from "./lib/helper.js";\nimport { skipped } from "./lib/skipped.js";\nconsole.log(shout(helper(2) + skipped(3)));\n',
    "lib/helper.js": "export function helper(n) {\n  return n + 1;\n}\n",
    "lib/skipped.js": "export function skipped(n) {\n  return n * 10;\n}\n",
    "node_modules/dep/package.json": '{ "name": "dep", "type": "module", "main": "index.js" }\n',
    "node_modules/dep/index.js": "export function shout(n) {\n  return `${n}!`;\n}\n",
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function recordedFunctions(bundle: string, name: string): string[] {
  const traceDir = path.join(scratch, `${name}-trace`);
  const run = runBundle(bundle, scratch, { CTJS_TRACE: traceDir, CTJS_FORMAT: "json" });
  expect(run.stdout, run.stderr).toBe("33!\n");
  const validation = validateTrace(traceDir);
  expect(validation.ok, validation.output).toBe(true);
  const facts = traceFacts(readTraceEvents(traceDir) as TraceEvent[]);
  return [...new Set(facts.calls.map((c) => `${c.name}@${path.relative(scratch, facts.functions.find((f) => f.name === c.name)!.path)}`))];
}

describe("selection in a real build", () => {
  const project = writeProject();

  it("esbuild: node_modules skipped by default, exclude honoured", async () => {
    const outfile = path.join(scratch, "esbuild-selection.mjs");
    await esbuild.build({
      entryPoints: [path.join(project, "main.js")], bundle: true, platform: "node", format: "esm", outfile, logLevel: "silent",
      plugins: [ctjsEsbuild({ root: project, exclude: ["**/node_modules/**", "lib/skipped.js"] })],
    });
    const functions = recordedFunctions(outfile, "esbuild-selection");
    expect(functions).toContain("helper@project/lib/helper.js");
    expect(functions.filter((f) => /shout|skipped/.test(f))).toEqual([]);
  });

  it("esbuild: include picks files, and can reach into node_modules", async () => {
    const outfile = path.join(scratch, "esbuild-include.mjs");
    await esbuild.build({
      entryPoints: [path.join(project, "main.js")], bundle: true, platform: "node", format: "esm", outfile, logLevel: "silent",
      plugins: [ctjsEsbuild({ root: project, include: ["lib/skipped.js", "node_modules/dep/**"], exclude: [] })],
    });
    const functions = recordedFunctions(outfile, "esbuild-include");
    expect(functions).toEqual(expect.arrayContaining(["skipped@project/lib/skipped.js", "shout@project/node_modules/dep/index.js"]));
    expect(functions.filter((f) => /helper|<module>@project\/main/.test(f))).toEqual([]);
  });

  it("rollup: a virtual \\0 module is never instrumented", async () => {
    const virtualId = "\0virtual:greeting";
    const bundle = await rollup({
      input: "entry",
      plugins: [
        ctjsRollup({ root: project, include: ["**"], exclude: [] }),
        {
          name: "test:virtual",
          resolveId: (id) => (id === "entry" ? virtualId : null),
          load: (id) => (id === virtualId ? 'export function greet() {\n  return "hi";\n}\nconsole.log(greet() + "!");\n' : null),
        },
      ],
    });
    const file = path.join(scratch, "rollup-virtual.mjs");
    await bundle.write({ file, format: "es" });
    await bundle.close();
    const run = runBundle(file, scratch, { CTJS_TRACE: path.join(scratch, "rollup-virtual-trace") });
    expect(run.stdout, run.stderr).toBe("hi!\n");
    // nothing instrumented: no probes, no runtime in the bundle, so nothing recorded
    expect(run.stderr).toBe("");
    expect(readFileSync(file, "utf8")).not.toContain("ctjs.probes");
    expect(existsSync(path.join(scratch, "rollup-virtual-trace"))).toBe(false);
  });
});
