import path from "node:path";

/**
 * Which module ids are source files ctjs may instrument. Bundlers hand plugins ids that are not
 * plain files: virtual modules (`\0`-prefixed by convention), and files loaded as something else
 * through a query (`?raw` text, `?url`, `?worker` …). Those never carry the developer's lines, so
 * they are never instrumented whatever the globs say.
 */

const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

/** Query keys under which a bundler loads a script file as something other than its code. */
const NON_SCRIPT_QUERY_KEYS = new Set(["raw", "url", "inline", "worker", "sharedworker", "worker_file", "no-inline"]);

/** The absolute script file behind `id`, or undefined when `id` is not one ctjs may instrument. */
export function scriptFileOf(id: string): string | undefined {
  if (id.startsWith("\0")) return undefined;
  const queryAt = id.indexOf("?");
  const file = queryAt < 0 ? id : id.slice(0, queryAt);
  if (!SCRIPT_FILE.test(file) || DECLARATION_FILE.test(file)) return undefined;
  // "virtual:x.js" and other non-path ids name no file on disk
  if (!path.isAbsolute(file)) return undefined;
  if (queryAt >= 0) {
    for (const key of new URLSearchParams(id.slice(queryAt + 1)).keys()) {
      if (NON_SCRIPT_QUERY_KEYS.has(key)) return undefined;
    }
  }
  return file;
}

/** Cheap pre-filter for hosts that support hook filters: script extension, optional query, not virtual. */
export const SCRIPT_ID_FILTER = /^[^\0].*\.(?:[cm]?[jt]s|[jt]sx)(?:\?.*)?$/i;
