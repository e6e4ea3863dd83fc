import { createRequire } from "node:module";
import path from "node:path";

const automaticFound = new Map<string, boolean>();

/**
 * The JSX runtime a file is compiled for, as a project would expect without configuring ctjs:
 * the file's own pragma (`@jsxRuntime`, `@jsxImportSource`, `@jsx`) first; otherwise the
 * automatic runtime when `react/jsx-runtime` can be found from the file, and the classic
 * `React.createElement` when it cannot (what tsc and esbuild compile to by default).
 */
export function jsxRuntimeFor(file: string, source: string): "automatic" | "classic" {
  const pragma = /@jsxRuntime\s+(classic|automatic)\b/.exec(source);
  if (pragma) return pragma[1] as "automatic" | "classic";
  if (/@jsxImportSource\s+\S/.test(source)) return "automatic";
  if (/@jsx(?:Frag)?\s+\S/.test(source)) return "classic";
  const dir = path.dirname(file);
  let found = automaticFound.get(dir);
  if (found === undefined) {
    try {
      createRequire(file).resolve("react/jsx-runtime");
      found = true;
    } catch {
      found = false;
    }
    automaticFound.set(dir, found);
  }
  return found ? "automatic" : "classic";
}
