import { instrumentSource } from "@ctjs/babel-plugin";
import path from "node:path";
import { jsxRuntimeFor } from "./jsx-runtime.js";
import { COMPILED_EXTENSIONS } from "./source-kinds.js";
import { describeParseError, isBabelParseError, notInstrumentedWarning, type SyntaxFailure } from "./syntax-error.js";

/** Extensions whose files may hold JSX (instrumentSource compiles JSX in all of them). */
const JSX_EXTENSIONS = new Set([".js", ".jsx", ".tsx"]);

/** instrumentSource's JSX option for a file: the runtime its project expects (see jsx-runtime.ts). */
export function jsxOptions(file: string, source: string): { jsxRuntime?: "automatic" | "classic" } {
  return JSX_EXTENSIONS.has(path.extname(file).toLowerCase()) && source.includes("<") ? { jsxRuntime: jsxRuntimeFor(file, source) } : {};
}

/** Where ctjs's one-line notes about a file go (each without its newline). */
export type Warn = (message: string) => void;

export const warnOnStderr: Warn = (message) => process.stderr.write(`${message}\n`);

/**
 * The code Node runs for `file`: instrumented when selected; otherwise TypeScript/JSX only
 * compiled, and plain JavaScript untouched (undefined). An inline source map maps it back.
 * Throws Babel's error when the file does not parse.
 */
export function codeFor(file: string, source: string, instrument: boolean, sourceType: "module" | "script", warn: Warn): string | undefined {
  const ext = path.extname(file).toLowerCase();
  if (!instrument && !COMPILED_EXTENSIONS.has(ext)) return undefined;
  const result = instrumentSource(source, {
    filename: file,
    sourceType,
    warnings: warn,
    ...jsxOptions(file, source),
    // the caller already applied --include/--exclude; the plugin only has to obey that decision
    ...(instrument ? { exclude: [] } : { include: ["<nothing>"] }),
  });
  const map = result.map ? `\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(result.map)).toString("base64")}\n` : "";
  return result.code + map;
}

/** What a load hook does with a file: run this code, let Node load it as it is, or fail to parse. */
export type LoadableCode = { kind: "code"; code: string } | { kind: "as-is" } | { kind: "syntax-error"; failure: SyntaxFailure };

/**
 * `codeFor` for the load hooks, failing the way Node would: plain JavaScript that ctjs cannot
 * instrument is left to Node as it is (which runs it, or reports its syntax errors itself);
 * TypeScript or JSX that does not parse is a syntax error to report like Node's. `shownAs`
 * names the file in that report (a path for CommonJS, a file URL for ES modules).
 */
export function loadableCode(file: string, source: string, instrument: boolean, sourceType: "module" | "script", shownAs: string, warn: Warn): LoadableCode {
  let code: string | undefined;
  try {
    code = codeFor(file, source, instrument, sourceType, warn);
  } catch (error) {
    const parseError = isBabelParseError(error);
    if (!COMPILED_EXTENSIONS.has(path.extname(file).toLowerCase())) {
      if (!parseError) warn(notInstrumentedWarning(file, error));
      return { kind: "as-is" };
    }
    if (parseError) return { kind: "syntax-error", failure: describeParseError(error, file, source, shownAs) };
    if (!instrument) throw error;
    // the instrumenter failed on code that compiles: run it compiled only
    warn(notInstrumentedWarning(file, error));
    code = codeFor(file, source, false, sourceType, warn);
  }
  return code === undefined ? { kind: "as-is" } : { kind: "code", code };
}
