/**
 * Builds one entry with each bundler, with or without the ctjs plugin, the way a user's config
 * would: TypeScript compiled by the bundler's usual means (esbuild and Vite natively, a transform
 * plugin for Rollup, a loader for webpack), source maps on, Node builtins left external.
 */
import { nodeResolve } from "@rollup/plugin-node-resolve";
import * as esbuild from "esbuild";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rollup, type Plugin as RollupPlugin } from "rollup";
import { build as viteBuild } from "vite";
import webpack from "webpack";
import ctjsEsbuild from "../../src/esbuild.js";
import ctjsRollup from "../../src/rollup.js";
import ctjsVite from "../../src/vite.js";
import ctjsWebpack from "../../src/webpack.js";
import type { BundlerPluginOptions } from "../../src/options.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "../../../..");
export const BUNDLED_APP = path.join(REPO_ROOT, "fixtures/bundled-app");

export type BundlerName = "esbuild-esm" | "esbuild-cjs" | "rollup" | "webpack" | "vite-ssr";
export const NODE_BUNDLERS: BundlerName[] = ["esbuild-esm", "esbuild-cjs", "rollup", "webpack", "vite-ssr"];

export interface BuildRequest {
  entry: string;
  outDir: string;
  /** Plugin options; null builds without the plugin. */
  ctjs: BundlerPluginOptions | null;
  /** Directory the build runs from (the default project root of the plugin). */
  root?: string;
}

/** Rollup has no TypeScript of its own: compile it with esbuild, keeping the map. */
function rollupTypeScript(): RollupPlugin {
  return {
    name: "test:typescript",
    async transform(code, id) {
      if (!/\.[cm]?tsx?$/.test(id)) return null;
      const result = await esbuild.transform(code, { loader: id.endsWith("x") ? "tsx" : "ts", sourcemap: "external", sourcefile: id });
      return { code: result.code, map: result.map };
    },
  };
}

/** Runs `fn` with the process cwd at `dir` (the plugin's default root), restoring it afterwards. */
async function inDirectory<T>(dir: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (dir === undefined) return fn();
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(previous);
  }
}

async function buildEsbuild(request: BuildRequest, format: "esm" | "cjs", platform: "node" | "browser"): Promise<string> {
  const outfile = path.join(request.outDir, format === "esm" ? "bundle.mjs" : "bundle.cjs");
  await esbuild.build({
    entryPoints: [request.entry],
    bundle: true,
    platform,
    format,
    outfile,
    sourcemap: true,
    logLevel: "silent",
    plugins: request.ctjs ? [ctjsEsbuild(request.ctjs)] : [],
  });
  return outfile;
}

async function buildRollup(request: BuildRequest): Promise<string> {
  const bundle = await rollup({
    input: request.entry,
    plugins: [...(request.ctjs ? [ctjsRollup(request.ctjs)] : []), rollupTypeScript(), nodeResolve({ preferBuiltins: true })],
    onwarn(warning, warn) {
      // the runtime's own module cycles are harmless
      if (warning.code !== "CIRCULAR_DEPENDENCY") warn(warning);
    },
  });
  const file = path.join(request.outDir, "bundle.mjs");
  await bundle.write({ file, format: "es", sourcemap: true });
  await bundle.close();
  return file;
}

async function buildWebpack(request: BuildRequest, target: "node" | "web"): Promise<string> {
  const filename = target === "node" ? "bundle.cjs" : "bundle.js";
  const compiler = webpack({
    mode: "development",
    devtool: "source-map",
    target,
    context: path.dirname(request.entry),
    entry: request.entry,
    output: { path: request.outDir, filename },
    module: { rules: [{ test: /\.ts$/, use: path.join(HERE, "esbuild-ts-loader.cjs") }] },
    plugins: request.ctjs ? [ctjsWebpack(request.ctjs)] : [],
  });
  await new Promise<void>((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) reject(error);
      else if (stats?.hasErrors()) reject(new Error(stats.toString({ all: false, errors: true })));
      else resolve();
    });
  });
  return path.join(request.outDir, filename);
}

async function buildVite(request: BuildRequest, mode: "ssr" | "browser"): Promise<string> {
  const root = request.root ?? path.dirname(request.entry);
  await viteBuild({
    root,
    configFile: false,
    logLevel: "silent",
    plugins: request.ctjs ? ctjsVite(request.ctjs) : [],
    // a self-contained Node bundle: the runtime and its dependencies inside
    ssr: { noExternal: true },
    build: {
      outDir: request.outDir,
      emptyOutDir: true,
      sourcemap: true,
      minify: false,
      ...(mode === "ssr"
        ? { ssr: request.entry, rollupOptions: { output: { entryFileNames: "bundle.mjs" } } }
        : { lib: { entry: request.entry, formats: ["es"], fileName: () => "bundle.js" } }),
    },
  });
  return path.join(request.outDir, mode === "ssr" ? "bundle.mjs" : "bundle.js");
}

/** Builds a Node bundle with `bundler`; returns the bundle's path (its map is `<path>.map`). */
export async function buildNodeBundle(bundler: BundlerName, request: BuildRequest): Promise<string> {
  mkdirSync(request.outDir, { recursive: true });
  return inDirectory(request.root, () => {
    switch (bundler) {
      case "esbuild-esm": return buildEsbuild(request, "esm", "node");
      case "esbuild-cjs": return buildEsbuild(request, "cjs", "node");
      case "rollup": return buildRollup(request);
      case "webpack": return buildWebpack(request, "node");
      case "vite-ssr": return buildVite(request, "ssr");
    }
  });
}

export type BrowserBundlerName = "esbuild-browser" | "webpack-web" | "vite-browser";
export const BROWSER_BUNDLERS: BrowserBundlerName[] = ["esbuild-browser", "webpack-web", "vite-browser"];

/** Builds a browser bundle (no Node runtime inside); returns its path. */
export async function buildBrowserBundle(bundler: BrowserBundlerName, request: BuildRequest): Promise<string> {
  mkdirSync(request.outDir, { recursive: true });
  return inDirectory(request.root, () => {
    switch (bundler) {
      case "esbuild-browser": return buildEsbuild(request, "esm", "browser");
      case "webpack-web": return buildWebpack(request, "web");
      case "vite-browser": return buildVite(request, "browser");
    }
  });
}
