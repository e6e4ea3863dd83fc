import path from "node:path";
import { DEFAULT_EXCLUDE, VALUES_OPTION_EXPECTED, isValuesOption, type ValuesOption } from "@ctjs/babel-plugin";
import { DEFAULT_FORMAT, TRACE_FORMATS, type TraceFormat } from "@ctjs/runtime";

/** Options of every @ctjs/bundler-plugin adapter (vite, esbuild, rollup, webpack). */
export interface BundlerPluginOptions {
  /** Globs (relative to the project root) of files to instrument; default: every file. */
  include?: string | string[];
  /** Globs of files never instrumented; they win over `include`. Default: `**\/node_modules/**`. */
  exclude?: string | string[];
  /** Project root the globs (and a relative `traceDir`) are relative to; default: Vite's root, else the cwd. */
  root?: string;
  /**
   * Variable values at line steps, as the Babel plugin's option: true or "changed" (default) as
   * the recording chooses (`CTJS_VALUES` for a Node bundle, `start({ values })` in the browser);
   * "full" every variable at every step for these modules whatever the recording's mode; false none.
   */
  values?: ValuesOption;
  /**
   * Module imported by every instrumented module so that the bundle carries the runtime. Default:
   * chosen by the build's target: Node builds get `@ctjs/runtime/auto-start` (so
   * `CTJS_TRACE=<dir> node bundle.js` records), browser builds none (the app imports
   * `@ctjs/runtime` and calls `start()`). `false` never injects one.
   */
  runtimeImport?: string | false;
  /** Report constructs left uninstrumented as warnings (default true). */
  warnings?: boolean;
  /** Vite dev server: where browser traces are written (default `<root>/ct-traces`). */
  traceDir?: string;
  /** Vite dev server: trace format, `json` or `binary` (default). */
  format?: TraceFormat;
}

export interface ResolvedBundlerOptions {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** The `root` option, absolute; undefined when the host's root (Vite) or the cwd applies. */
  readonly root: string | undefined;
  readonly values: ValuesOption;
  /** undefined: chosen by the build's target (see `BundlerPluginOptions.runtimeImport`). */
  readonly runtimeImport: string | false | undefined;
  readonly warnings: boolean;
  /**
   * Absolute trace directory for the dev server, resolved against `root` (or the cwd). A host with
   * its own root (Vite's `config.root`) uses `traceDirFor(options, root)` instead.
   */
  readonly traceDir: string;
  /** The `traceDir` option as given (undefined: the default `<root>/ct-traces`). */
  readonly traceDirOption: string | undefined;
  readonly format: TraceFormat;
}

export const DEFAULT_TRACE_DIR_NAME = "ct-traces";

/** The specifier of the Node runtime that starts recording from `CTJS_TRACE`. */
export const NODE_AUTO_START = "@ctjs/runtime/auto-start";

const KNOWN: Record<keyof BundlerPluginOptions, string> = {
  include: "a glob string or an array of glob strings",
  exclude: "a glob string or an array of glob strings",
  root: "a non-empty string",
  values: VALUES_OPTION_EXPECTED,
  runtimeImport: "a module specifier string or false",
  warnings: "a boolean",
  traceDir: "a non-empty string",
  format: `one of ${TRACE_FORMATS.map((f) => JSON.stringify(f)).join(", ")}`,
};

export class BundlerOptionError extends Error {
  constructor(message: string) {
    super(`@ctjs/bundler-plugin: ${message}`);
    this.name = "BundlerOptionError";
  }
}

function isGlobList(value: unknown): value is string | string[] {
  const nonEmpty = (v: unknown) => typeof v === "string" && v.length > 0;
  return nonEmpty(value) || (Array.isArray(value) && value.every(nonEmpty));
}

function describe(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value) ?? String(value);
}

/** Validates raw options; an unknown option or a wrong type fails with a one-line message naming it. */
export function resolveBundlerOptions(raw: unknown, cwd: string = process.cwd()): ResolvedBundlerOptions {
  if (raw !== undefined && raw !== null && (typeof raw !== "object" || Array.isArray(raw))) {
    throw new BundlerOptionError(`options must be an object, got ${describe(raw)}`);
  }
  const options = (raw ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!(key in KNOWN)) {
      throw new BundlerOptionError(`unknown option ${JSON.stringify(key)} (known: ${Object.keys(KNOWN).join(", ")})`);
    }
  }
  const expect = (key: keyof BundlerPluginOptions, ok: (value: unknown) => boolean) => {
    const value = options[key];
    if (value !== undefined && !ok(value)) throw new BundlerOptionError(`option ${key} must be ${KNOWN[key]}, got ${describe(value)}`);
  };
  const nonEmptyString = (v: unknown) => typeof v === "string" && v.length > 0;
  expect("include", isGlobList);
  expect("exclude", isGlobList);
  expect("root", nonEmptyString);
  expect("values", isValuesOption);
  expect("runtimeImport", (v) => v === false || nonEmptyString(v));
  expect("warnings", (v) => typeof v === "boolean");
  expect("traceDir", nonEmptyString);
  expect("format", (v) => (TRACE_FORMATS as readonly unknown[]).includes(v));

  const list = (v: unknown): string[] | undefined => (v === undefined ? undefined : typeof v === "string" ? [v] : [...(v as string[])]);
  const root = options.root === undefined ? undefined : path.resolve(cwd, options.root as string);
  const traceDirOption = options.traceDir as string | undefined;
  const resolved = {
    include: list(options.include) ?? [],
    exclude: list(options.exclude) ?? [...DEFAULT_EXCLUDE],
    root,
    values: (options.values as ValuesOption | undefined) ?? true,
    runtimeImport: options.runtimeImport as string | false | undefined,
    warnings: (options.warnings as boolean | undefined) ?? true,
    traceDirOption,
    format: (options.format as TraceFormat | undefined) ?? DEFAULT_FORMAT,
  };
  return { ...resolved, traceDir: traceDirFor(resolved, root ?? cwd) };
}

/** The dev-server trace directory for a project root: `traceDir` resolved against it, or `<root>/ct-traces`. */
export function traceDirFor(options: Pick<ResolvedBundlerOptions, "root" | "traceDirOption">, hostRoot: string): string {
  const root = options.root ?? hostRoot;
  return path.resolve(root, options.traceDirOption ?? DEFAULT_TRACE_DIR_NAME);
}
