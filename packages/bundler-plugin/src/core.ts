import { fileSelector } from "@ctjs/babel-plugin";
import type { Loader } from "esbuild";
import path from "node:path";
import { createUnplugin, type UnpluginOptions } from "unplugin";
import { SCRIPT_ID_FILTER, scriptFileOf } from "./module-ids.js";
import { resolveBundlerOptions, type BundlerPluginOptions, type ResolvedBundlerOptions } from "./options.js";
import { runtimeImportFor, type BuildTarget } from "./runtime-import.js";
import { transformModule } from "./transform.js";

export const PLUGIN_NAME = "ctjs";

interface WebpackCompilerLike {
  platform?: { node?: boolean | null };
  options: { target?: unknown };
}

/** webpack's `target` strings that run in Node (before `compiler.platform` exists in older 5.x). */
function webpackTargetsNode(target: unknown): boolean {
  const targets = Array.isArray(target) ? target : [target];
  return targets.some((t) => typeof t === "string" && /^(?:async-)?node|^electron-main/.test(t));
}

/** esbuild's loader for a script file by its extension (what esbuild itself would pick). */
function esbuildLoaderFor(file: string): Loader {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".tsx") return "tsx";
  if (ext === ".jsx") return "jsx";
  return /^\.[cm]?ts$/.test(ext) ? "ts" : "js";
}

/**
 * The ctjs plugin as one set of unplugin hooks: a `pre` transform that instruments each selected
 * module. The per-bundler sections only learn what the host knows (its root, whether the build
 * targets Node); everything else is host-independent.
 */
export function ctjsHooks(options: ResolvedBundlerOptions): UnpluginOptions {
  // globs relative to the root; files outside it (hoisted dependencies) also match by absolute path
  const selectorFor = (dir: string) => fileSelector(dir, options.include.length > 0 ? [...options.include] : undefined, [...options.exclude]);
  let selects = selectorFor(options.root ?? process.cwd());
  // Rollup has no notion of a target: a Rollup build is taken to be a Node program unless told otherwise
  let targetOf: (hostOptions: unknown) => BuildTarget = () => "node";
  const reported = new Set<string>();
  let esbuildLoaders: Record<string, Loader> = {};

  const setRoot = (hostRoot: string) => {
    if (options.root === undefined) selects = selectorFor(hostRoot);
  };
  // Vite's pre-bundled dependencies live in its cache dir, inside node_modules only by default
  let cacheDir: string | undefined;
  const isCached = (file: string) => cacheDir !== undefined && (file === cacheDir || file.startsWith(cacheDir + path.sep));

  return {
    name: PLUGIN_NAME,
    enforce: "pre",
    transform: {
      filter: { id: SCRIPT_ID_FILTER },
      handler(code, id, ...host: unknown[]) {
        const filename = scriptFileOf(id);
        if (filename === undefined || isCached(filename) || !selects(filename)) return null;
        const outcome = transformModule(code, filename, {
          runtimeImport: runtimeImportFor(options.runtimeImport, targetOf(host[0])),
          values: options.values,
        });
        if (outcome.kind === "failed") {
          this.warn(`${PLUGIN_NAME}: ${filename} left uninstrumented: ${outcome.message}`);
          return null;
        }
        if (outcome.kind === "unchanged") return null;
        if (options.warnings) {
          for (const construct of outcome.module.uninstrumented) {
            if (reported.has(construct)) continue;
            reported.add(construct);
            this.warn(`${PLUGIN_NAME}: ${construct}`);
          }
        }
        return { code: outcome.module.code, map: outcome.module.map as { mappings: string; names: string[]; sources: string[]; version: number } | null };
      },
    },
    esbuild: {
      // esbuild filters in Go: a plain extension test, so other files never pass through this plugin
      onLoadFilter: /\.(?:[cm]?[jt]s|[jt]sx)$/,
      config(initialOptions) {
        const target: BuildTarget = initialOptions.platform === "node" ? "node" : "browser";
        targetOf = () => target;
        esbuildLoaders = initialOptions.loader ?? {};
      },
      // instrumented code keeps its TypeScript/JSX: parse it as the build's own loaders say
      loader: (_code, id) => esbuildLoaders[path.extname(id)] ?? esbuildLoaderFor(id),
    },
    webpack(compiler) {
      const host = compiler as unknown as WebpackCompilerLike;
      // compiler.platform is known only once the options are processed, after plugins are applied
      targetOf = () => (host.platform?.node ?? webpackTargetsNode(host.options.target) ? "node" : "browser");
    },
    vite: {
      configResolved(config) {
        setRoot(config.root);
        cacheDir = path.resolve(config.root, config.cacheDir);
        // browser code by default; SSR transforms (dev ssrLoadModule, `vite build --ssr`) run in Node
        targetOf = (transformOptions) => ((transformOptions as { ssr?: boolean } | undefined)?.ssr === true || Boolean(config.build.ssr) ? "node" : "browser");
      },
    },
  };
}

/** One unplugin instance for every host; `src/<bundler>.ts` each expose one of its factories. */
export const ctjsUnplugin = createUnplugin<BundlerPluginOptions | undefined, false>((raw) => ctjsHooks(resolveBundlerOptions(raw)));
