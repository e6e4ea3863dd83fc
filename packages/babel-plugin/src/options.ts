import picomatch from "picomatch";
import path from "node:path";
import { readFileSync } from "node:fs";

/** Options of @ctjs/babel-plugin, as given in babel.config.js. */
export interface PluginOptions {
  /** Globs (relative to `cwd`) of files to instrument; default: every file. */
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
  /** Record variable values at each line step (default true). */
  values?: boolean;
  /** Report constructs left uninstrumented on stderr (default true). */
  warnings?: boolean;
}

export interface ResolvedOptions {
  readonly cwd: string;
  readonly runtimeImport: string | false;
  readonly values: boolean;
  readonly warnings: boolean;
  /** Whether a file (absolute path) is to be instrumented. */
  readonly selects: (filename: string) => boolean;
}

export const DEFAULT_EXCLUDE = ["**/node_modules/**"];

const KNOWN: Record<keyof PluginOptions, string> = {
  include: "an array of glob strings",
  exclude: "an array of glob strings",
  cwd: "a string",
  runtimeImport: "a module specifier string or false",
  values: "a boolean",
  warnings: "a boolean",
};

export class PluginOptionError extends Error {
  constructor(message: string) {
    super(`@ctjs/babel-plugin: ${message}`);
    this.name = "PluginOptionError";
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string" && v.length > 0);
}

/** Validates raw options; an unknown option or a wrong type fails with a message naming it. */
export function resolveOptions(raw: unknown, babelCwd: string): ResolvedOptions {
  const options = (raw ?? {}) as Record<string, unknown>;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new PluginOptionError(`options must be an object, got ${JSON.stringify(raw)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(key in KNOWN)) {
      throw new PluginOptionError(`unknown option ${JSON.stringify(key)} (known: ${Object.keys(KNOWN).join(", ")})`);
    }
  }
  const expect = (key: keyof PluginOptions, ok: boolean) => {
    if (!ok) throw new PluginOptionError(`option ${key} must be ${KNOWN[key]}, got ${JSON.stringify(options[key])}`);
  };
  const { include, exclude, cwd, runtimeImport, values, warnings } = options;
  if (include !== undefined) expect("include", isStringArray(include));
  if (exclude !== undefined) expect("exclude", isStringArray(exclude));
  if (cwd !== undefined) expect("cwd", typeof cwd === "string" && cwd.length > 0);
  if (runtimeImport !== undefined) expect("runtimeImport", runtimeImport === false || (typeof runtimeImport === "string" && runtimeImport.length > 0));
  if (values !== undefined) expect("values", typeof values === "boolean");
  if (warnings !== undefined) expect("warnings", typeof warnings === "boolean");
  const root = path.resolve(babelCwd, (cwd as string | undefined) ?? ".");
  return {
    cwd: root,
    runtimeImport: (runtimeImport as string | false | undefined) ?? false,
    values: (values as boolean | undefined) ?? true,
    warnings: (warnings as boolean | undefined) ?? true,
    selects: fileSelector(root, include as string[] | undefined, (exclude as string[] | undefined) ?? DEFAULT_EXCLUDE),
  };
}

/** include/exclude globs relative to `root`; exclude wins; ctjs's own packages are always out. */
export function fileSelector(root: string, include: string[] | undefined, exclude: string[]): (filename: string) => boolean {
  const opts = { dot: true };
  const included = include && include.length > 0 ? picomatch(include, opts) : () => true;
  const excluded = exclude.length > 0 ? picomatch(exclude, opts) : () => false;
  return (filename: string) => {
    if (isCtjsOwnFile(filename)) return false;
    const relative = path.isAbsolute(filename) ? path.relative(root, filename).split(path.sep).join("/") : filename;
    return included(relative) && !excluded(relative);
  };
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
