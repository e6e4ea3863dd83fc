// Where an npm package the bench depends on really lives. pnpm links packages/bench/node_modules/<name>
// into node_modules/.pnpm, and Node loads (and ctjs records) the real path, so the real path is the one
// to copy from, to read inputs from, and to match include globs against.
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const requireFromBench = createRequire(fileURLToPath(new URL("./package.json", import.meta.url)));

export function packageDir(name) {
  return realpathSync(path.dirname(requireFromBench.resolve(`${name}/package.json`)));
}
