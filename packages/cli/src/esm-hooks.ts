/**
 * Node module customization hooks (registered with module.register in the recorded process; they
 * run on Node's hooks thread). ES modules selected for recording are instrumented on load;
 * TypeScript and JSX are compiled; CommonJS is left to the require hook of the main thread.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { createSelector } from "./file-selection.js";
import { loadableCode, warnOnStderr } from "./instrument-file.js";
import type { RecordConfig } from "./record-config.js";
import { COMPILED_EXTENSIONS, isSourceFile, moduleFormat } from "./source-kinds.js";
import { nodeStyleSyntaxError } from "./syntax-error.js";

type Resolve = (specifier: string, context: unknown) => Promise<{ url: string; format?: string | null }>;
type Load = (url: string, context: { format?: string | null }) => Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean }>;

let selects: (file: string) => boolean = () => false;

export function initialize(data: { config: RecordConfig } | undefined): void {
  if (data?.config && !data.config.disabled) selects = createSelector(data.config);
}

const TS_FOR_JS: Record<string, string[]> = { ".js": [".ts", ".tsx"], ".mjs": [".mts"], ".cjs": [".cts"], ".jsx": [".tsx"] };

/** TypeScript convention: `import "./util.js"` means util.ts when only that exists. */
export async function resolve(specifier: string, context: unknown, next: Resolve): Promise<{ url: string; format?: string | null }> {
  try {
    return await next(specifier, context);
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND" || !/^\.{1,2}\//.test(specifier)) throw error;
    const ext = path.extname(specifier);
    const candidates = ext === "" ? [".ts", ".tsx", ".mts", ".js", "/index.ts", "/index.js"].map((e) => specifier + e) : (TS_FOR_JS[ext] ?? []).map((e) => specifier.slice(0, -ext.length) + e);
    for (const candidate of candidates) {
      try {
        return await next(candidate, context);
      } catch {
        // try the next spelling
      }
    }
    throw error;
  }
}

export async function load(url: string, context: { format?: string | null }, next: Load): Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean }> {
  if (!url.startsWith("file:")) return next(url, context);
  const file = fileURLToPath(url);
  if (!isSourceFile(file)) return next(url, context);
  const ext = path.extname(file).toLowerCase();
  const compiled = COMPILED_EXTENSIONS.has(ext);
  const instrument = selects(file);
  if (!instrument && !compiled) return next(url, context);
  const source = await readFile(file, "utf8");
  const format = moduleFormat(file, source);
  if (format === "commonjs") {
    // the CommonJS loader (with ctjs's require hook) reads and compiles it
    if (compiled) return { format: "commonjs", shortCircuit: true };
    return next(url, context);
  }
  const loadable = loadableCode(file, source, instrument, "module", url, warnOnStderr);
  if (loadable.kind === "as-is") return next(url, context);
  if (loadable.kind === "syntax-error") throw nodeStyleSyntaxError(loadable.failure);
  return { format: "module", source: loadable.code, shortCircuit: true };
}
