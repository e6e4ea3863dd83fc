// Transform speed: @ctjs/babel-plugin against babel-plugin-istanbul on large real library files,
// each through the same Babel parse and generate; plus the dormant run-time cost of instrumented
// code on a CPU-bound workload (acorn parsing a large file), against the original.
import { transformSync } from "@babel/core";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ctjsPlugin from "@ctjs/babel-plugin";
import { fmt, interleaved } from "./measure.mjs";

const require = createRequire(import.meta.url);
const files = [
  require.resolve("acorn"),
  path.join(path.dirname(require.resolve("@babel/core/package.json")), "..", "parser", "lib", "index.js"),
  path.join(path.dirname(require.resolve("@babel/core/package.json")), "..", "types", "lib", "index.js"),
].filter((f) => { try { readFileSync(f); return true; } catch { return false; } });

const istanbul = require.resolve("babel-plugin-istanbul");
const common = { babelrc: false, configFile: false, sourceMaps: true, compact: false, sourceType: "unambiguous" };
const lines = [];
const say = (s = "") => lines.push(s);

say("### Transform time against babel-plugin-istanbul");
say("");
say("Each file goes through `@babel/core` `transformSync` with source maps, once with each plugin and once with no plugin (the cost of parsing and printing alone); median of 5 interleaved runs.");
say("");
say("| file | size | no plugin | istanbul | ctjs | ctjs / istanbul | output size ctjs / istanbul |");
say("|---|---|---|---|---|---|---|");
let sumCtjs = 0, sumIstanbul = 0;
for (const file of files) {
  const code = readFileSync(file, "utf8");
  const run = (plugins) => transformSync(code, { ...common, filename: file, plugins });
  const ctjs = [[ctjsPlugin, { exclude: [], warnings: false }]];
  const cov = [[istanbul, { exclude: [], excludeNodeModules: false, cwd: "/", useInlineSourceMaps: false }]];
  const outCtjs = run(ctjs).code.length;
  const outIstanbul = run(cov).code.length;
  const t = interleaved({ none: () => run([]), istanbul: () => run(cov), ctjs: () => run(ctjs) }, 5);
  sumCtjs += t.ctjs; sumIstanbul += t.istanbul;
  say(`| ${path.relative(path.resolve("node_modules"), file).replace(/^(\.\.\/)+/, "")} | ${fmt(code.length / 1024, 0)} KB | ${fmt(t.none, 0)} ms | ${fmt(t.istanbul, 0)} ms | ${fmt(t.ctjs, 0)} ms | ${fmt(t.ctjs / t.istanbul)}x | ${fmt(outCtjs / outIstanbul)}x |`);
}
say(`| **all** | | | ${fmt(sumIstanbul, 0)} ms | ${fmt(sumCtjs, 0)} ms | **${fmt(sumCtjs / sumIstanbul)}x** | |`);
say("");

// dormant run-time cost
{
  const acornFile = path.join(path.dirname(require.resolve("acorn")), "acorn.mjs");
  const dir = mkdtempSync(path.join(tmpdir(), "ctjs-dormant-"));
  const original = path.join(dir, "acorn-original.mjs");
  const instrumented = path.join(dir, "acorn-instrumented.mjs");
  const source = readFileSync(acornFile, "utf8");
  writeFileSync(original, source);
  const out = transformSync(source, { ...common, filename: acornFile, sourceType: "module", plugins: [[ctjsPlugin, { exclude: [], warnings: false }]] });
  writeFileSync(instrumented, out.code);
  const plain = await import(pathToFileURL(original).href);
  const probed = await import(pathToFileURL(instrumented).href);
  const input = readFileSync(files[files.length - 1], "utf8");
  const parse = (acorn) => () => acorn.parse(input, { ecmaVersion: "latest", sourceType: "script" });
  parse(plain)(); parse(probed)();
  const t = interleaved({ original: parse(plain), instrumented: parse(probed) }, 11);
  say("### Dormant run-time cost");
  say("");
  say(`acorn parsing a ${fmt(input.length / 1024, 0)} KB file, the original \`acorn.mjs\` against the instrumented one, with no recording; median of 11 interleaved runs.`);
  say("");
  say("| original | instrumented, dormant | ratio |");
  say("|---|---|---|");
  say(`| ${fmt(t.original, 1)} ms | ${fmt(t.instrumented, 1)} ms | **${fmt(t.instrumented / t.original)}x** |`);
  say("");
  rmSync(dir, { recursive: true, force: true });
}

process.stdout.write(lines.join("\n") + "\n");
