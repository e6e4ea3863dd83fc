// Builds, in a scratch directory, the two copies of every workload's subject code that the runs
// compare: "plain" (the original files, reached through a symlink so Node loads the real ones) and
// "instrumented" (the same files rewritten by @ctjs/babel-plugin's instrumentSource). Each workload
// gets one loader module per variant that re-exports its subject as `subject`, so a run imports the
// same way whichever copy it measures. The manifest written beside them tells the runs where to look.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { instrumentSource } from "@ctjs/babel-plugin";
import { writeManifest } from "./manifest.mjs";
import { packageDir } from "./package-dir.mjs";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const JS_FILE = /\.(?:m|c)?js$/;

export const VARIANT_DIRS = ["plain", "instrumented"];


/** Files (relative to the package) named by `patterns`: a path, or a directory ending in "/" for every JS file under it. */
function selectFiles(dir, patterns) {
  const files = [];
  for (const pattern of patterns) {
    if (!pattern.endsWith("/")) {
      files.push(pattern);
      continue;
    }
    const walk = (relative) => {
      for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
        const child = path.posix.join(relative, entry.name);
        if (entry.isDirectory()) walk(child);
        else if (JS_FILE.test(entry.name)) files.push(child);
      }
    };
    walk(pattern.slice(0, -1));
  }
  return files;
}

function instrumentFile(file) {
  const t0 = performance.now();
  const source = readFileSync(file, "utf8");
  // exclude: [] because the copy lives under a node_modules directory, which ctjs skips by default
  const result = instrumentSource(source, { filename: file, exclude: [], warnings: false });
  writeFileSync(file, result.code);
  return { ms: performance.now() - t0, bytesIn: Buffer.byteLength(source), bytesOut: Buffer.byteLength(result.code) };
}

/** Links a dependency of `pkgDir` into `nodeModules`, so the copy resolves it as the original does. */
function linkDependency(pkgDir, dependency, nodeModules) {
  // pnpm keeps a package's dependencies beside it; other layouts are found through resolution
  let target = path.join(pkgDir, "..", dependency);
  if (!existsSync(target)) {
    const requireFromPkg = createRequire(path.join(pkgDir, "package.json"));
    try {
      target = path.dirname(requireFromPkg.resolve(`${dependency}/package.json`));
    } catch {
      return;
    }
  }
  const link = path.join(nodeModules, dependency);
  mkdirSync(path.dirname(link), { recursive: true });
  if (!existsSync(link)) symlinkSync(realpathSync(target), link, "dir");
}

function preparePackageSubject(root, workload) {
  const { package: name, instrument } = workload.subject;
  const realDir = packageDir(name);
  const plainDir = path.join(root, "plain", "node_modules", name);
  mkdirSync(path.dirname(plainDir), { recursive: true });
  if (!existsSync(plainDir)) symlinkSync(realDir, plainDir, "dir");
  const copyDir = path.join(root, "instrumented", "node_modules", name);
  // node_modules inside a package holds only its .bin links; the copy resolves dependencies through links
  cpSync(realDir, copyDir, { recursive: true, dereference: true, filter: (src) => !src.startsWith(path.join(realDir, "node_modules")) });
  const manifest = JSON.parse(readFileSync(path.join(realDir, "package.json"), "utf8"));
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    linkDependency(realDir, dependency, path.join(root, "instrumented", "node_modules"));
  }
  const files = selectFiles(copyDir, instrument).map((relative) => {
    const stats = instrumentFile(path.join(copyDir, relative));
    return { file: relative, ...stats };
  });
  const loaders = {};
  for (const variant of VARIANT_DIRS) {
    loaders[variant] = path.join(root, variant, `${workload.name}.loader.mjs`);
    writeFileSync(loaders[variant], `export * as subject from ${JSON.stringify(name)};\n`);
  }
  return { loaders, files, realDir };
}

function prepareFileSubject(root, workload) {
  const original = path.join(benchDir, workload.subject.file);
  const copy = path.join(root, "instrumented", workload.subject.file);
  mkdirSync(path.dirname(copy), { recursive: true });
  cpSync(original, copy);
  const stats = instrumentFile(copy);
  const loaders = {};
  for (const variant of VARIANT_DIRS) {
    loaders[variant] = path.join(root, variant, `${workload.name}.loader.mjs`);
    const target = variant === "plain" ? original : copy;
    writeFileSync(loaders[variant], `export * as subject from ${JSON.stringify(pathToFileURL(target).href)};\n`);
  }
  return { loaders, files: [{ file: workload.subject.file, ...stats }] };
}

/**
 * Prepares every workload's copies under `root` and writes its manifest:
 * { workloads: { [name]: { loaders: { plain, instrumented }, files: [{ file, ms, bytesIn, bytesOut }] } } }.
 */
export function prepareSubjects(root, workloads) {
  for (const variant of VARIANT_DIRS) mkdirSync(path.join(root, variant), { recursive: true });
  const manifest = { root, workloads: {} };
  for (const workload of workloads) {
    manifest.workloads[workload.name] = workload.subject.package ? preparePackageSubject(root, workload) : prepareFileSubject(root, workload);
  }
  writeManifest(root, manifest);
  return manifest;
}
