import { transformSync, type PluginItem, type TransformOptions } from "@babel/core";
import path from "node:path";
import { createRequire } from "node:module";
import ctjsBabelPlugin, { type InstrumentationMetadata } from "./plugin.js";
import type { PluginOptions } from "./options.js";

const require = createRequire(import.meta.url);

export interface InstrumentOptions extends PluginOptions {
  /** Absolute path of the file; its extension picks TypeScript/JSX handling. */
  filename: string;
  /**
   * "strip" (default): TypeScript types are removed and JSX compiled, so Node can run the output.
   * "preserve": TypeScript and JSX stay in the output, for a bundler that compiles them later.
   */
  syntax?: "strip" | "preserve";
  /** JSX runtime when compiling JSX: "automatic" (react/jsx-runtime, default) or "classic". */
  jsxRuntime?: "automatic" | "classic";
  /** Source map of the input (an object), or true (default) to read inline/adjacent maps. */
  inputSourceMap?: object | boolean;
  /** Keep every statement on its original line, so stack traces keep their line numbers (default true). */
  retainLines?: boolean;
  /** "module", "script" or "unambiguous" (default: by extension). */
  sourceType?: "module" | "script" | "unambiguous";
}

export interface InstrumentResult {
  code: string;
  map: object | null;
  ctjs: InstrumentationMetadata;
}

const PLUGIN_OPTION_KEYS = ["include", "exclude", "cwd", "runtimeImport", "values", "warnings"] as const;

function kindOf(filename: string): { ts: boolean; jsx: boolean; sourceType: "module" | "script" | "unambiguous" } {
  const ext = path.extname(filename).toLowerCase();
  switch (ext) {
    case ".ts": return { ts: true, jsx: false, sourceType: "unambiguous" };
    case ".mts": return { ts: true, jsx: false, sourceType: "module" };
    case ".cts": return { ts: true, jsx: false, sourceType: "script" };
    case ".tsx": return { ts: true, jsx: true, sourceType: "unambiguous" };
    case ".mjs": return { ts: false, jsx: false, sourceType: "module" };
    case ".cjs": return { ts: false, jsx: false, sourceType: "script" };
    default: return { ts: false, jsx: true, sourceType: "unambiguous" };
  }
}

/**
 * Instruments one file in one Babel pass (TypeScript and JSX included). Throws Babel's own
 * error (message with file:line:column) on a syntax error, and returns no output then.
 */
export function instrumentSource(code: string, options: InstrumentOptions): InstrumentResult {
  const kind = kindOf(options.filename);
  const pluginOptions: Record<string, unknown> = {};
  for (const key of PLUGIN_OPTION_KEYS) if (options[key] !== undefined) pluginOptions[key] = options[key];
  const strip = (options.syntax ?? "strip") === "strip";
  const plugins: PluginItem[] = [[ctjsBabelPlugin, pluginOptions]];
  if (kind.ts) {
    plugins.push(strip
      ? [require.resolve("@babel/plugin-transform-typescript"), { isTSX: kind.jsx, allowDeclareFields: true, onlyRemoveTypeImports: false }]
      : [require.resolve("@babel/plugin-syntax-typescript"), { isTSX: kind.jsx }]);
  }
  if (kind.jsx) {
    plugins.push(strip
      ? [require.resolve("@babel/plugin-transform-react-jsx"), { runtime: options.jsxRuntime ?? "automatic", throwIfNamespace: false }]
      : require.resolve("@babel/plugin-syntax-jsx"));
  }
  const sourceType = options.sourceType ?? kind.sourceType;
  const babelOptions: TransformOptions = {
    filename: options.filename,
    babelrc: false,
    configFile: false,
    sourceType,
    sourceMaps: true,
    inputSourceMap: (options.inputSourceMap ?? true) as TransformOptions["inputSourceMap"],
    retainLines: options.retainLines ?? true,
    compact: false,
    comments: true,
    parserOpts: {
      allowReturnOutsideFunction: sourceType !== "module",
      allowAwaitOutsideFunction: sourceType === "module",
      plugins: ["importAttributes", "decorators-legacy", "explicitResourceManagement"],
    },
    plugins,
  };
  const result = transformSync(code, babelOptions);
  if (!result || result.code === null || result.code === undefined) throw new Error(`ctjs: Babel produced no output for ${options.filename}`);
  const ctjs = (result.metadata as unknown as { ctjs?: InstrumentationMetadata }).ctjs ?? { instrumented: false };
  return { code: result.code, map: (result.map as object | null | undefined) ?? null, ctjs };
}
