import { instrumentSource, fileSelector, DEFAULT_EXCLUDE } from "@ctjs/babel-plugin";
import path from "node:path";
import { COMPILED_EXTENSIONS } from "./source-kinds.js";

export interface Selection {
  cwd: string;
  include: string[];
  exclude: string[];
}

/** include/exclude relative to the cwd; by default every file under the cwd except node_modules. */
export function createSelector(selection: Selection): (file: string) => boolean {
  const select = fileSelector(selection.cwd, selection.include.length > 0 ? selection.include : ["**"], [...defaultExcludes(selection), ...selection.exclude]);
  return (file: string) => {
    const relative = path.relative(selection.cwd, file);
    if (relative.startsWith("..") || path.isAbsolute(relative)) return selection.include.length > 0 && select(file);
    return select(file);
  };
}

/** node_modules stays out unless an include names something inside it. */
function defaultExcludes(selection: Selection): string[] {
  return selection.include.some((g) => g.includes("node_modules")) ? [] : DEFAULT_EXCLUDE;
}

/**
 * The code Node runs for `file`: instrumented when selected; otherwise TypeScript/JSX only
 * compiled, and plain JavaScript untouched (undefined). An inline source map maps it back.
 */
export function codeFor(file: string, source: string, instrument: boolean, sourceType: "module" | "script"): string | undefined {
  const ext = path.extname(file).toLowerCase();
  if (!instrument && !COMPILED_EXTENSIONS.has(ext)) return undefined;
  const result = instrumentSource(source, {
    filename: file,
    sourceType,
    warnings: true,
    // the caller already applied --include/--exclude; the plugin only has to obey that decision
    ...(instrument ? { exclude: [] } : { include: ["<nothing>"] }),
  });
  const map = result.map ? `\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(result.map)).toString("base64")}\n` : "";
  return result.code + map;
}
