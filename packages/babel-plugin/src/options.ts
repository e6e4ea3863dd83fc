import picomatch from "picomatch";
import path from "node:path";
import { readFileSync } from "node:fs";

/** Options of @ctjs/babel-plugin, as given in babel.config.js. */
export interface PluginOptions {
  /** Globs (relative to `cwd`, or absolute) of files to instrument; default: every file. */
  include?: string[];
  /** Globs of files never instrumented; they win over `include`. Default: node_modules. */
  exclude?: string[];
  /** Working directory the globs are relative to (default: Babel's cwd). */
  cwd?: string;
  /**
   * A module to import from every instrumented file (for example "@ctjs/runtime/auto-start"),
   * so that a bundle carries the runtime; false (default) reaches it only through the global.
   */
  runtimeImport?: string | false;
  /**
   * Variable values at line steps: true or "changed" (default) records them as the recording
   * session chooses (by default only the variables whose shown value changed); "full" makes the
   * runtime write every variable at every step for this file's frames, whatever the session's
   * mode; false records none (parameters are still recorded at function entry).
   */
  values?: ValuesOption;
  /**
   * Constructs left uninstrumented are reported once per file: on stderr (true, the default),
   * not at all (false), or to this function (one message per file).
   */
  warnings?: boolean | ((message: string) => void);
}

/** The `values` option of the Babel and bundler plugins. */
export type ValuesOption = boolean | "changed" | "full";

/** What the `values` option accepts, as error messages say it. */
export const VALUES_OPTION_EXPECTED = 'true, false, "changed" or "full"';

export function isValuesOption(value: unknown): value is ValuesOption {
  return typeof value === "boolean" || value === "changed" || value === "full";
}

export interface ResolvedOptions {
  readonly cwd: string;
  readonly runtimeImport: string | false;
  /** Line steps pass variable values (the `values` option is not false). */
  readonly values: boolean;
  /** `values: "full"`: the site table asks the runtime for every variable at every step. */
  readonly fullValues: boolean;
  /** Where the one message per file about uninstrumented constructs goes (undefined: nowhere). */
  readonly warn: ((message: string) => void) | undefined;
  /** Whether a file (absolute path) is to be instrumented. */
  readonly selects: (filename: string) => boolean;
}

export const DEFAULT_EXCLUDE = ["**/node_modules/**"];

const KNOWN: Record<keyof PluginOptions, string> = {
  include: "an array of glob strings",
  exclude: "an array of glob strings",
  cwd: "a string",
  runtimeImport: "a module specifier string or false",
  values: VALUES_OPTION_EXPECTED,
  warnings: "a boolean or a function",
};

export class PluginOptionError extends Error {
  constructor(message: string) {
    super(`@ctjs/babel-plugin: ${message}`);
    this.name = "PluginOptionError";
  }
}

/** An option value as the error message shows it (JSON where possible: BigInt and functions are not). */
function describeValue(value: unknown): string {
  if (typeof value === "function") return `a function`;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol" || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string" && v.length > 0);
}

/** Validates raw options; an unknown option or a wrong type fails with a message naming it. */
export function resolveOptions(raw: unknown, babelCwd: string): ResolvedOptions {
  const options = (raw ?? {}) as Record<string, unknown>;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new PluginOptionError(`options must be an object, got ${describeValue(raw)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(key in KNOWN)) {
      throw new PluginOptionError(`unknown option ${JSON.stringify(key)} (known: ${Object.keys(KNOWN).join(", ")})`);
    }
  }
  const expect = (key: keyof PluginOptions, ok: boolean) => {
    if (!ok) throw new PluginOptionError(`option ${key} must be ${KNOWN[key]}, got ${describeValue(options[key])}`);
  };
  const { include, exclude, cwd, runtimeImport, values, warnings } = options;
  if (include !== undefined) expect("include", isStringArray(include));
  if (exclude !== undefined) expect("exclude", isStringArray(exclude));
  if (cwd !== undefined) expect("cwd", typeof cwd === "string" && cwd.length > 0);
  if (runtimeImport !== undefined) expect("runtimeImport", runtimeImport === false || (typeof runtimeImport === "string" && runtimeImport.length > 0));
  if (values !== undefined) expect("values", isValuesOption(values));
  if (warnings !== undefined) expect("warnings", typeof warnings === "boolean" || typeof warnings === "function");
  const root = path.resolve(babelCwd, (cwd as string | undefined) ?? ".");
  return {
    cwd: root,
    runtimeImport: (runtimeImport as string | false | undefined) ?? false,
    values: values !== false,
    fullValues: values === "full",
    warn: typeof warnings === "function" ? (warnings as (message: string) => void) : warnings === false ? undefined : writeWarning,
    selects: fileSelector(root, include as string[] | undefined, (exclude as string[] | undefined) ?? DEFAULT_EXCLUDE),
  };
}

const reportedWarnings = new Set<string>();

/** The default warning sink: stderr, each message once per process (watch-mode rebuilds repeat files). */
function writeWarning(message: string): void {
  if (reportedWarnings.has(message)) return;
  reportedWarnings.add(message);
  process.stderr.write(`${message}\n`);
}

/**
 * include/exclude globs relative to `root` (or absolute: `path.join(__dirname, "src/**")` in a
 * babel.config.js); exclude wins; ctjs's own packages are always out. A relative glob sees the
 * path relative to `root`; `**` never matches the `../` of a file outside `root` (a dependency
 * hoisted above the project), so such a file is matched by its absolute path as well:
 * `**\/node_modules/**` still excludes it.
 */
export function fileSelector(root: string, include: string[] | undefined, exclude: string[]): (filename: string) => boolean {
  const included = include && include.length > 0 ? globMatcher(include) : () => true;
  const excluded = exclude.length > 0 ? globMatcher(exclude) : () => false;
  return (filename: string) => {
    if (isCtjsOwnFile(filename)) return false;
    const absolute = filename.split(path.sep).join("/");
    if (!path.isAbsolute(filename)) return included(absolute, absolute, false) && !excluded(absolute, absolute, false);
    const relative = path.relative(root, filename);
    const outside = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
    const posixRelative = relative.split(path.sep).join("/");
    return included(posixRelative, absolute, outside) && !excluded(posixRelative, absolute, outside);
  };
}

type GlobMatcher = (relative: string, absolute: string, outside: boolean) => boolean;

/** Relative globs match the relative path (and the absolute one of a file outside the root); absolute globs the absolute path. */
function globMatcher(globs: string[]): GlobMatcher {
  const opts = { dot: true };
  const absoluteGlobs = globs.filter((g) => path.isAbsolute(g));
  const relativeGlobs = globs.filter((g) => !path.isAbsolute(g));
  const byRelative = relativeGlobs.length > 0 ? picomatch(relativeGlobs, opts) : undefined;
  const byAbsolute = absoluteGlobs.length > 0 ? picomatch(absoluteGlobs, opts) : undefined;
  return (relative, absolute, outside) =>
    (byRelative !== undefined && (byRelative(relative) || (outside && byRelative(absolute)))) || (byAbsolute !== undefined && byAbsolute(absolute));
}

const ownPackageRoots = new Map<string, boolean>();

/** The recorder must never record itself: files of the @ctjs/* packages (installed or in this repo). */
export function isCtjsOwnFile(filename: string): boolean {
  const f = filename.split(path.sep).join("/");
  if (f.includes("/node_modules/@ctjs/")) return true;
  const m = /^(.*\/packages\/(?:monitoring|runtime|babel-plugin|bundler-plugin|cli))\/(?:dist|src)\//.exec(f);
  if (m === null) return false;
  const root = m[1]!;
  let own = ownPackageRoots.get(root);
  if (own === undefined) {
    try {
      const name = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { name?: unknown }).name;
      own = typeof name === "string" && name.startsWith("@ctjs/");
    } catch {
      own = false;
    }
    ownPackageRoots.set(root, own);
  }
  return own;
}
