/**
 * A file that does not parse must fail the way Node reports its own syntax errors:
 *
 *     /path/to/file.ts:3
 *     const a: number = ;
 *                       ^
 *
 *     SyntaxError: Unexpected token
 *
 * Plain JavaScript is simply handed back to Node, which reports it itself; TypeScript and JSX,
 * which Node cannot parse, get a SyntaxError built here from Babel's parse error. (When that file
 * is loaded while the entry point loads, Node 20 prints the internal line that rethrows the error
 * above this header.)
 */

interface BabelParseError {
  code: "BABEL_PARSE_ERROR";
  message: string;
  loc: { line: number; column: number };
}

/** What a SyntaxError needs, in a form that can cross threads. */
export interface SyntaxFailure {
  message: string;
  /** `<file>:<line>`, the source line and a caret, as Node prints them above the error. */
  header: string;
}

export function isBabelParseError(error: unknown): error is BabelParseError {
  const e = error as Partial<BabelParseError> | null;
  return typeof e === "object" && e !== null && e.code === "BABEL_PARSE_ERROR" && typeof e.loc?.line === "number";
}

/**
 * Babel's parse error in Node's terms: the message without Babel's `<file>: ` prefix,
 * ` (line:column)` suffix and code frame; `shownAs` names the file in the header (a path for
 * CommonJS, a file URL for ES modules, as Node shows them).
 */
export function describeParseError(error: BabelParseError, file: string, source: string, shownAs: string): SyntaxFailure {
  let message = error.message.split("\n")[0] ?? "";
  if (message.startsWith(`${file}: `)) message = message.slice(file.length + 2);
  message = message.replace(/ \(\d+:\d+\)$/, "");
  const line = source.split(/\r?\n/)[error.loc.line - 1] ?? "";
  const caret = line.slice(0, error.loc.column).replace(/[^\t]/g, " ") + "^";
  return { message, header: `${shownAs}:${error.loc.line}\n${line}\n${caret}\n` };
}

/** The SyntaxError to throw where the file was loaded, its stack headed like Node's. */
export function nodeStyleSyntaxError(failure: SyntaxFailure): SyntaxError {
  const error = new SyntaxError(failure.message);
  error.stack = `${failure.header}\n${error.stack ?? `SyntaxError: ${failure.message}`}`;
  return error;
}

/** The note for stderr when ctjs cannot instrument a file that Node can still run as it is. */
export function notInstrumentedWarning(file: string, error: unknown): string {
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return `ctjs: ${file} runs unrecorded: ${message}`;
}
