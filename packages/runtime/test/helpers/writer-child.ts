import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { makeTempDir } from "./trace-dir.js";
import { transpileRuntimeSources } from "./transpiled-runtime.js";

/**
 * For a test file whose tests run the writers in child processes: before them, transpiles the
 * writers into a scratch directory and writes `source` beside them as child.mjs (importing e.g.
 * "./writers/binary-writer.js"); after them, removes it. Returns the child script's path, known
 * once the tests run. Children need `NODE_PATH=runtimeNodeModules` to load the zstd addon.
 */
export function writerChildScript(prefix: string, source: string): () => string {
  let temp: { dir: string; cleanup(): void } | undefined;
  beforeAll(() => {
    temp = makeTempDir(prefix);
    transpileRuntimeSources(temp.dir, ["writers", "trace-events.ts"], { linkDependencies: true });
    writeFileSync(join(temp.dir, "child.mjs"), source);
  });
  afterAll(() => temp?.cleanup());
  return () => join(temp!.dir, "child.mjs");
}
