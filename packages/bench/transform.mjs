// Transform speed: @ctjs/babel-plugin against babel-plugin-istanbul (the most widely used
// instrumenting Babel plugin) on the very files the workloads instrument, each through the same
// `@babel/core` transformSync options, plus the same transform with no plugin (parse and print
// alone). Prints one JSON document: per file, the median milliseconds of each and the output sizes.
//   node transform.mjs [--rounds N]
import { transformSync } from "@babel/core";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import ctjsPlugin from "@ctjs/babel-plugin";
import { interleaved } from "./measure.mjs";
import { packageDir } from "./package-dir.mjs";
import { workloads } from "./workloads/index.mjs";

const require = createRequire(import.meta.url);
const at = process.argv.indexOf("--rounds");
const ROUNDS = at >= 0 ? Number(process.argv[at + 1]) : 3;

/** The real package files the workloads instrument, grouped by package (a directory pattern counts every JS file under it). */
function subjectFiles() {
  const groups = [];
  for (const workload of workloads) {
    const { package: name, instrument } = workload.subject;
    if (!name) continue;
    const dir = packageDir(name);
    const files = [];
    for (const pattern of instrument) {
      if (!pattern.endsWith("/")) files.push(path.join(dir, pattern));
      else files.push(...listJs(path.join(dir, pattern)));
    }
    groups.push({ label: files.length === 1 ? `${name}/${path.relative(dir, files[0])}` : `${name} (${files.length} files: ${instrument.join(", ")})`, files });
  }
  return groups;
}

function listJs(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => /\.(?:m|c)?js$/.test(f)).sort().map((f) => path.join(dir, f));
}

const common = { babelrc: false, configFile: false, sourceMaps: true, compact: false, sourceType: "unambiguous" };
const istanbulPlugin = [require.resolve("babel-plugin-istanbul"), { exclude: [], excludeNodeModules: false, cwd: "/", useInlineSourceMaps: false }];
// exclude: [] because the files live under node_modules, which ctjs skips by default
const ctjsPluginItem = [ctjsPlugin, { exclude: [], warnings: false }];

const rows = [];
for (const group of subjectFiles()) {
  const sources = group.files.map((file) => ({ file, code: readFileSync(file, "utf8") }));
  const outputBytes = {};
  const transformAll = (name, plugins) => () => {
    outputBytes[name] = sources.reduce((size, { file, code }) => size + Buffer.byteLength(transformSync(code, { ...common, filename: file, plugins }).code), 0);
  };
  process.stderr.write(`bench transform: ${group.label}\n`);
  const ms = interleaved({ none: transformAll("none", []), istanbul: transformAll("istanbul", [istanbulPlugin]), ctjs: transformAll("ctjs", [ctjsPluginItem]) }, ROUNDS);
  rows.push({ label: group.label, files: sources.length, inputBytes: sources.reduce((s, f) => s + Buffer.byteLength(f.code), 0), ms, outputBytes });
}
process.stdout.write(JSON.stringify({ rounds: ROUNDS, babelOptions: { sourceMaps: true, compact: false, sourceType: "unambiguous" }, rows }) + "\n");
