import { createRequire } from "node:module";
import { NODE_AUTO_START } from "./options.js";

/** Where a bundle runs: decides whether it carries the runtime that starts from `CTJS_TRACE`. */
export type BuildTarget = "node" | "browser";

const require = createRequire(import.meta.url);
let autoStartFile: string | undefined;

/**
 * The import every instrumented module gets, for a build target. Node bundles carry the
 * auto-starting runtime so `CTJS_TRACE=<dir> node bundle.js` records; browser bundles get none:
 * the app imports `@ctjs/runtime` itself and calls `start()`.
 *
 * The auto-start specifier is turned into the file this package depends on, so the user's
 * project need not list `@ctjs/runtime` (a strict pnpm layout would not resolve it from there).
 */
export function runtimeImportFor(option: string | false | undefined, target: BuildTarget): string | false {
  const specifier = option === undefined ? (target === "node" ? NODE_AUTO_START : false) : option;
  if (specifier !== NODE_AUTO_START) return specifier;
  autoStartFile ??= require.resolve(NODE_AUTO_START).split("\\").join("/");
  return autoStartFile;
}
