import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { repoRoot } from "./repo-root.js";

/** packages/runtime/src */
export const runtimeSrc = resolve(repoRoot, "packages", "runtime", "src");
/** packages/runtime/node_modules, for NODE_PATH: lets a copy outside the package find its dependencies. */
export const runtimeNodeModules = resolve(repoRoot, "packages", "runtime", "node_modules");

/**
 * Transpiles runtime sources (files or folders relative to src/, e.g. ["writers", "trace-events.ts"])
 * to ESM JavaScript under `outDir`, keeping their layout, so that a child `node` process can import
 * them without a build. No type checking: tests run against the sources as they are.
 *
 * Dependencies loaded through `createRequire` (the zstd addon) resolve from the copy only with
 * `NODE_PATH=runtimeNodeModules` in the child's environment.
 */
export function transpileRuntimeSources(outDir: string, entries: readonly string[], options: { linkDependencies?: boolean } = {}): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "package.json"), '{ "type": "module" }\n');
  // with linkDependencies, bare imports (@ctjs/monitoring, the zstd addon) resolve as from the package itself
  if (options.linkDependencies && !existsSync(join(outDir, "node_modules"))) symlinkSync(runtimeNodeModules, join(outDir, "node_modules"), "dir");
  for (const entry of entries) {
    for (const file of sourceFiles(resolve(runtimeSrc, entry))) {
      const output = ts.transpileModule(readFileSync(file, "utf8"), {
        fileName: file,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: false,
          sourceMap: false,
        },
      });
      const target = join(outDir, relative(runtimeSrc, file)).replace(/\.ts$/, ".js");
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output.outputText);
    }
  }
}

function sourceFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => {
    const child = join(path, name);
    if (statSync(child).isDirectory()) return sourceFiles(child);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [child] : [];
  });
}
