/**
 * Shared by the plugin's own tests: the plugin applied the way a project's babel.config.js
 * applies it, the site table the output carries, scratch directories and child Node processes.
 */
import { parseSync, transformSync, type TransformOptions } from "@babel/core";
import * as t from "@babel/types";
import type { SourceMapInput } from "@jridgewell/trace-mapping";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { onTestFinished } from "vitest";
import ctjsBabelPlugin, { type InstrumentationMetadata, type PluginOptions } from "../src/index.js";

export const PLUGIN_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = path.resolve(PLUGIN_ROOT, "../..");
export const RUNTIME_ENTRY = path.join(REPO_ROOT, "packages/runtime/dist/index.js");
export const AUTO_START = path.join(REPO_ROOT, "packages/runtime/dist/auto-start.js");

export interface BabelOutput {
  code: string;
  map: SourceMapInput | null;
  ctjs: InstrumentationMetadata | undefined;
}

/** `transformSync(code, { filename, plugins: [[plugin, options]], configFile: false })`, as babel.config.js would run it. */
export function transformWithPlugin(code: string, filename: string, options: PluginOptions = {}, babelOptions: TransformOptions = {}): BabelOutput {
  const result = transformSync(code, {
    filename,
    configFile: false,
    babelrc: false,
    sourceMaps: true,
    plugins: [[ctjsBabelPlugin, options]],
    ...babelOptions,
  });
  if (!result || typeof result.code !== "string") throw new Error(`no output for ${filename}`);
  const metadata = result.metadata as unknown as { ctjs?: InstrumentationMetadata };
  return { code: result.code, map: (result.map ?? null) as BabelOutput["map"], ctjs: metadata.ctjs };
}

/** A site table entry with its name indexes resolved. */
export interface TableFunction {
  name: string;
  line: number;
  column: number;
  params: string[];
  kind: number;
}

export interface TableSite {
  line: number;
  column: number;
  variables: string[];
  /** Private fields of `this` ("#count") that the class's reader, passed after the variables, reads, when there are any. */
  privates?: string[];
}

export interface EmittedTable {
  path: string;
  names: string[];
  /** "full" when the file asks for every variable at every step (the `values: "full"` option). */
  values?: "full";
  /** As emitted: [name, line, column, parameter name indexes, kind]. */
  rawFns: Array<[string, number, number, number[], number]>;
  /** As emitted: [line, column, variable name indexes passed, parameters kept from entry (or 0), private fields]. */
  rawSites: Array<[number, number, number[], (number[] | 0)?, number[]?]>;
  fns: TableFunction[];
  sites: TableSite[];
}

/**
 * The site table the instrumented code carries: the object literal its init function assigns
 * (`{ ctjs: 1, path, names, fns, sites }`), evaluated on its own.
 */
export function emittedTable(code: string): EmittedTable {
  const ast = parseSync(code, { configFile: false, babelrc: false, sourceType: "unambiguous", parserOpts: { allowReturnOutsideFunction: true } });
  if (ast === null) throw new Error("unparsable output");
  let literal: t.ObjectExpression | undefined;
  t.traverseFast(ast, (node) => {
    if (literal !== undefined || !t.isAssignmentExpression(node) || !t.isObjectExpression(node.right)) return;
    const marker = node.right.properties.find((p) => t.isObjectProperty(p) && t.isIdentifier(p.key, { name: "ctjs" }));
    if (marker !== undefined) literal = node.right;
  });
  if (literal === undefined) throw new Error("no site table in the output");
  // the literal holds only strings, numbers and arrays of them
  const raw = new Function(`return (${code.slice(literal.start!, literal.end!)});`)() as {
    path: string;
    names: string[];
    fns: EmittedTable["rawFns"];
    sites: EmittedTable["rawSites"];
    values?: "full";
  };
  const name = (index: number) => raw.names[index]!;
  return {
    path: raw.path,
    names: raw.names,
    values: raw.values,
    rawFns: raw.fns,
    rawSites: raw.sites,
    fns: raw.fns.map(([fnName, line, column, params, kind]) => ({ name: fnName, line, column, params: params.map(name), kind })),
    // what a step shows: the parameters kept from entry, then the variables passed
    sites: raw.sites.map(([line, column, variables, kept, privates]) => ({
      line,
      column,
      variables: [...keptNames(kept), ...variables].map(name),
      ...(privates === undefined ? {} : { privates: privates.map(name) }),
    })),
  };
}

/** Name indexes of a site's parameters kept from entry (the even places of its pairs). */
function keptNames(kept: number[] | 0 | undefined): number[] {
  return kept === undefined || kept === 0 ? [] : kept.filter((_, i) => i % 2 === 0);
}

/** 1-based line and 0-based column of the first occurrence of `text` in `source` (after `from`). */
export function positionOf(source: string, text: string, from = 0): { line: number; column: number } {
  const index = source.indexOf(text, from);
  if (index < 0) throw new Error(`${JSON.stringify(text)} not in source`);
  const before = source.slice(0, index).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length };
}

/** A fresh directory under the system temp dir, removed when the current test finishes. */
export function scratchDir(prefix = "ctjs-plugin-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeFile(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export interface NodeRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs Node in a child process with an environment free of ctjs, vitest and NODE_OPTIONS settings. */
export function runNode(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): NodeRun {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("CTJS_") || key.startsWith("VITEST") || key === "NODE_OPTIONS" || key === "NODE_V8_COVERAGE") continue;
    env[key] = value;
  }
  const result = spawnSync(process.execPath, args, {
    cwd: options.cwd,
    env: { ...env, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** `code` followed by its source map as an inline `sourceMappingURL` comment. */
export function withInlineMap(code: string, map: object): string {
  return `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}\n`;
}

interface FakeFrame {
  table: RuntimeTable;
  fn: number;
  args: unknown[];
}

/** The table object the instrumented code hands to `enter` (the same shape as `EmittedTable`'s raw parts). */
interface RuntimeTable {
  path: string;
  names: string[];
  fns: EmittedTable["rawFns"];
  sites: EmittedTable["rawSites"];
}

/**
 * A stand-in for the monitoring probes object that logs what instrumented code reports, as text:
 * `enter <path>:<name>(a=1)`, `step <name> <line>:<col> x=1 y=2`, `exit <name> <value>`.
 * Installed under the global `Symbol.for("ctjs.probes")` of a vm context, it shows the probe
 * protocol the plugin emits without the recorder.
 */
export function loggingProbes(log: string[] = []): { log: string[]; probes: Record<string, unknown> } {
  const show = (value: unknown) => (typeof value === "function" ? "<function>" : JSON.stringify(value) ?? String(value));
  const pairs = (table: RuntimeTable, indexes: readonly number[], values: unknown[]) => indexes.map((n, i) => `${table.names[n]}=${show(values[i])}`);
  const fnName = (frame: FakeFrame) => frame.table.fns[frame.fn]![0];
  const fields: FakeFrame[] = [];
  const probes = {
    active: true,
    onCall: true,
    onLine: true,
    onRaise: true,
    onHandled: true,
    enter(table: RuntimeTable, fn: number, ...args: unknown[]): FakeFrame {
      const frame = { table, fn, args };
      log.push(`enter ${path.basename(table.path)}:${fnName(frame)}(${pairs(table, table.fns[fn]![3], args).join(" ")})`);
      return frame;
    },
    line(frame: FakeFrame, site: number, ...values: unknown[]): void {
      const [line, column, passed, kept, privates = []] = frame.table.sites[site]!;
      // as the runtime does: parameters kept from entry first, then the values passed
      const keptValues = (kept === undefined || kept === 0 ? [] : kept.filter((_, i) => i % 2 === 1)).map((position) => frame.args[position]);
      const variables = [...keptNames(kept), ...passed];
      const shown = [...keptValues, ...values.slice(0, passed.length)];
      // as the runtime does: the class's reader of private fields follows, called on `this` with a marker for "no such field"
      const reader = values[passed.length];
      const self = values[passed.findIndex((n) => frame.table.names[n] === "this")];
      const fieldValues = typeof reader === "function" && privates.length > 0 ? (reader as (o: unknown, absent: unknown) => unknown[])(self, probes) : [];
      const fields = privates.filter((_, i) => i < fieldValues.length && fieldValues[i] !== probes);
      const present = fieldValues.filter((value) => value !== probes);
      const all = [...pairs(frame.table, variables, shown), ...pairs(frame.table, fields, present)];
      log.push(`step ${fnName(frame)} ${line}:${column}${all.length > 0 ? ` ${all.join(" ")}` : ""}`);
    },
    exit(frame: FakeFrame, value: unknown): void {
      log.push(`exit ${fnName(frame)} ${value === probes ? "<unwinding>" : show(value)}`);
    },
    suspend(frame: FakeFrame, value: unknown): void {
      log.push(`suspend ${fnName(frame)} ${show(value)}`);
    },
    resume(frame: FakeFrame, value: unknown): void {
      log.push(`resume ${fnName(frame)} ${show(value)}`);
    },
    raise(frame: FakeFrame, value: unknown): void {
      log.push(`raise ${fnName(frame)} ${show(value)}`);
    },
    handled(frame: FakeFrame, value: unknown): void {
      log.push(`handled ${fnName(frame)} ${show(value)}`);
    },
    enterField(table: RuntimeTable, fn: number): void {
      const frame = { table, fn, args: [] };
      fields.push(frame);
      log.push(`enter ${path.basename(table.path)}:${fnName(frame)}()`);
    },
    exitField(value: unknown): void {
      const frame = fields.pop();
      log.push(`exit ${frame ? fnName(frame) : "?"} ${show(value)}`);
    },
  };
  return { log, probes };
}

/** Runs scripts (instrumented or not) one after the other in one fresh vm context; `print` logs to `printed`. */
export function runScripts(scripts: Array<{ code: string; filename: string }>, probes?: Record<string, unknown>): { printed: string[] } {
  const printed: string[] = [];
  const context = vm.createContext({ print: (...values: unknown[]) => printed.push(values.map(String).join(" ")) });
  if (probes !== undefined) (context as Record<symbol, unknown>)[Symbol.for("ctjs.probes")] = probes;
  for (const script of scripts) vm.runInContext(script.code, context, { filename: script.filename });
  return { printed };
}
