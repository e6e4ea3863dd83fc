import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** Extensions ctjs runs and instruments. */
export const SOURCE_EXTENSIONS = [".js", ".cjs", ".mjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"] as const;
/** Extensions Node cannot run by itself: they always go through the transform. */
export const COMPILED_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx", ".jsx"]);

export function isSourceFile(file: string): boolean {
  return (SOURCE_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

const packageTypes = new Map<string, "module" | "commonjs">();

/** The "type" of the nearest package.json, as Node reads it ("commonjs" when there is none). */
export function packageType(file: string): "module" | "commonjs" {
  let dir = path.dirname(file);
  const visited: string[] = [];
  let type: "module" | "commonjs" = "commonjs";
  for (;;) {
    const known = packageTypes.get(dir);
    if (known !== undefined) {
      type = known;
      break;
    }
    visited.push(dir);
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        type = (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module" ? "module" : "commonjs";
      } catch {
        type = "commonjs";
      }
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of visited) packageTypes.set(d, type);
  return type;
}

const ESM_SYNTAX = /^\s*(?:import\s*[\w*{"'`]|import\s*\(|export\s+|export\s*\{|export\s*\*)|\bimport\.meta\b|^\s*await\s/m;

/** Module format of a file: by extension, then the package type, then (for TS/JSX) its syntax. */
export function moduleFormat(file: string, source?: string): "module" | "commonjs" {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".mjs" || ext === ".mts") return "module";
  if (ext === ".cjs" || ext === ".cts") return "commonjs";
  const type = packageType(file);
  if (type === "module") return "module";
  if (COMPILED_EXTENSIONS.has(ext) && source !== undefined && ESM_SYNTAX.test(source)) return "module";
  return "commonjs";
}
