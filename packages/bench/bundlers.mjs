// Bundler plugin costs: build time with @ctjs/bundler-plugin against without it, for the Vite
// example app and for a larger real library (acorn, from node_modules, bundled by esbuild and
// Rollup with the plugin told to include it), and the dormant run-time cost of the instrumented
// acorn bundle against the plain one. Prints a Markdown section and writes BUNDLERS.md.
// Not a test: it asserts nothing about time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, median } from "./measure.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const pluginDir = path.join(repo, "packages/bundler-plugin");
// the bundlers are the plugin package's (dev) dependencies; acorn is this package's
const fromPlugin = createRequire(path.join(pluginDir, "package.json"));
const fromBench = createRequire(import.meta.url);
const load = async (request) => import(pathToFileURL(fromPlugin.resolve(request)).href);

const esbuild = await load("esbuild");
const { rollup } = await load("rollup");
const vite = await load("vite");
const { nodeResolve } = await load("@rollup/plugin-node-resolve");
const ctjsEsbuild = (await import(pathToFileURL(path.join(pluginDir, "dist/esbuild.js")).href)).default;
const ctjsRollup = (await import(pathToFileURL(path.join(pluginDir, "dist/rollup.js")).href)).default;
const ctjsVite = (await import(pathToFileURL(path.join(pluginDir, "dist/vite.js")).href)).default;

const BUILD_ROUNDS = Number(process.env.BENCH_BUILD_ROUNDS ?? 5);
const RUN_ROUNDS = Number(process.env.BENCH_RUN_ROUNDS ?? 9);
const PARSES_PER_RUN = 12;

const scratch = mkdtempSync(path.join(os.tmpdir(), "ctjs-bench-bundlers-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

/** Median milliseconds of each async variant over `rounds` interleaved rounds. */
async function interleavedAsync(variants, rounds) {
  const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, variant] of Object.entries(variants)) {
      const started = performance.now();
      await variant();
      times[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

const kib = (file) => `${fmt(statSync(file).size / 1024, 0)} KiB`;
const lines = [];
const say = (text = "") => lines.push(text);

// ---- acorn through esbuild and Rollup ----------------------------------------------------------

const acornFile = fromBench.resolve("acorn").replace(/acorn\.js$/, "acorn.mjs");
const parseInput = fromBench.resolve("acorn"); // acorn's own CommonJS build, 240 KiB of JavaScript
const entry = path.join(scratch, "parse-entry.mjs");
writeFileSync(entry, `import { parse } from ${JSON.stringify(acornFile)};
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
const text = readFileSync(process.argv[2], "utf8");
for (let i = 0; i < 3; i++) parse(text, { ecmaVersion: "latest" });
const started = performance.now();
let nodes = 0;
for (let i = 0; i < ${PARSES_PER_RUN}; i++) nodes += parse(text, { ecmaVersion: "latest" }).body.length;
console.log(JSON.stringify({ ms: performance.now() - started, nodes }));
`);
// acorn lives in node_modules: include it, and stop excluding node_modules
const acornOptions = { root: scratch, include: ["**/node_modules/acorn/**"], exclude: [], warnings: false };

const esbuildAcorn = (outfile, plugins) =>
  esbuild.build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile, sourcemap: true, logLevel: "silent", plugins });
const rollupAcorn = async (file, plugins) => {
  const bundle = await rollup({ input: entry, plugins: [...plugins, nodeResolve({ preferBuiltins: true })], onwarn: () => undefined });
  await bundle.write({ file, format: "es", sourcemap: true });
  await bundle.close();
};

const bundles = {
  "esbuild plain": path.join(scratch, "esbuild-plain.mjs"),
  "esbuild ctjs": path.join(scratch, "esbuild-ctjs.mjs"),
  "rollup plain": path.join(scratch, "rollup-plain.mjs"),
  "rollup ctjs": path.join(scratch, "rollup-ctjs.mjs"),
};
process.stderr.write("bench bundlers: acorn builds…\n");
const acornBuilds = await interleavedAsync({
  "esbuild plain": () => esbuildAcorn(bundles["esbuild plain"], []),
  "esbuild ctjs": () => esbuildAcorn(bundles["esbuild ctjs"], [ctjsEsbuild(acornOptions)]),
  "rollup plain": () => rollupAcorn(bundles["rollup plain"], []),
  "rollup ctjs": () => rollupAcorn(bundles["rollup ctjs"], [ctjsRollup(acornOptions)]),
}, BUILD_ROUNDS);
for (const bundle of [bundles["esbuild ctjs"], bundles["rollup ctjs"]]) {
  if (!readFileSync(bundle, "utf8").includes("ctjs.probes")) throw new Error(`${bundle} is not instrumented`);
}

/** One run of a bundle in a fresh process, dormant (no CTJS_TRACE): milliseconds of its parse loop. */
function parseLoop(bundle) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("CTJS_")));
  const result = spawnSync(process.execPath, [bundle, parseInput], { encoding: "utf8", env, cwd: scratch });
  if (result.status !== 0) throw new Error(`${bundle} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop());
}

process.stderr.write("bench bundlers: dormant acorn runs…\n");
const runTimes = Object.fromEntries(Object.keys(bundles).map((name) => [name, []]));
const nodeCounts = new Set();
for (let round = 0; round < RUN_ROUNDS; round++) {
  for (const [name, bundle] of Object.entries(bundles)) {
    const { ms, nodes } = parseLoop(bundle);
    runTimes[name].push(ms);
    nodeCounts.add(nodes);
  }
}
if (nodeCounts.size !== 1) throw new Error(`bundles disagree on the parse result: ${[...nodeCounts].join(", ")}`);
const run = Object.fromEntries(Object.entries(runTimes).map(([name, values]) => [name, median(values)]));

say("### Bundler plugin: build time and dormant run-time cost");
say("");
say(`acorn ${JSON.parse(readFileSync(path.join(path.dirname(acornFile), "../package.json"), "utf8")).version} (\`dist/acorn.mjs\`, ${kib(acornFile)}) bundled for Node with a small driver, with \`@ctjs/bundler-plugin\` told to include it (\`include: ["**/node_modules/acorn/**"], exclude: []\`) and without the plugin; source maps on. Build time: median of ${BUILD_ROUNDS} interleaved builds in one process. Dormant run time: each bundle run in a fresh process without \`CTJS_TRACE\`, timing ${PARSES_PER_RUN} parses of acorn's own \`dist/acorn.js\` (${kib(parseInput)}) after 3 warm-up parses; median of ${RUN_ROUNDS} interleaved runs.`);
say("");
say("| bundler | build plain | build ctjs | build ratio | bundle plain | bundle ctjs | run plain | run ctjs, dormant | run ratio |");
say("|---|---|---|---|---|---|---|---|---|");
for (const bundler of ["esbuild", "rollup"]) {
  const plain = `${bundler} plain`;
  const ctjs = `${bundler} ctjs`;
  say(`| ${bundler} | ${fmt(acornBuilds[plain], 0)} ms | ${fmt(acornBuilds[ctjs], 0)} ms | ${fmt(acornBuilds[ctjs] / acornBuilds[plain])}x | ${kib(bundles[plain])} | ${kib(bundles[ctjs])} | ${fmt(run[plain], 1)} ms | ${fmt(run[ctjs], 1)} ms | ${fmt(run[ctjs] / run[plain])}x |`);
}
say("");

// ---- the Vite example app ----------------------------------------------------------------------

const viteApp = path.join(repo, "examples/vite-app");
const viteConfigFile = ["vite.config.ts", "vite.config.js", "vite.config.mjs", "vite.config.mts"].map((f) => path.join(viteApp, f)).find(existsSync);
say("### Bundler plugin: Vite example app build");
say("");
if (viteConfigFile === undefined || !existsSync(path.join(viteApp, "index.html"))) {
  say("Skipped: `examples/vite-app` has no `vite.config` and `index.html` yet.");
} else {
  process.stderr.write("bench bundlers: Vite app builds…\n");
  const loaded = await vite.loadConfigFromFile({ command: "build", mode: "production" }, viteConfigFile, viteApp, "silent");
  const userConfig = loaded?.config ?? {};
  const isCtjs = (plugin) => plugin && typeof plugin === "object" && typeof plugin.name === "string" && plugin.name.startsWith("ctjs");
  const otherPlugins = (userConfig.plugins ?? []).flat(Infinity).filter((plugin) => plugin && !isCtjs(plugin));
  const viteBuild = (outDir, plugins) => vite.build({
    ...userConfig,
    root: viteApp,
    configFile: false,
    logLevel: "silent",
    plugins,
    build: { ...userConfig.build, outDir, emptyOutDir: true, sourcemap: true },
  });
  const plainOut = path.join(scratch, "vite-plain");
  const ctjsOut = path.join(scratch, "vite-ctjs");
  const viteBuilds = await interleavedAsync({
    plain: () => viteBuild(plainOut, otherPlugins),
    ctjs: () => viteBuild(ctjsOut, [...otherPlugins, ...ctjsVite()]),
  }, BUILD_ROUNDS);
  const jsSize = (dir) => readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith(".js"))
    .reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
  say(`\`examples/vite-app\` built with \`vite build\` (its own config; the ctjs plugins removed for the plain build, \`@ctjs/bundler-plugin/vite\` with default options for the other), source maps on; median of ${BUILD_ROUNDS} interleaved builds. A browser bundle has no Node runtime inside and stays dormant until the app calls \`start()\`.`);
  say("");
  say("| build plain | build ctjs | build ratio | JS plain | JS ctjs |");
  say("|---|---|---|---|---|");
  say(`| ${fmt(viteBuilds.plain, 0)} ms | ${fmt(viteBuilds.ctjs, 0)} ms | ${fmt(viteBuilds.ctjs / viteBuilds.plain)}x | ${fmt(jsSize(plainOut) / 1024, 1)} KiB | ${fmt(jsSize(ctjsOut) / 1024, 1)} KiB |`);
}
say("");

const section = lines.join("\n");
const header = `# ctjs bundler plugin benchmark\n\nMeasured ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, by \`node packages/bench/bundlers.mjs\`. Ratios are taken side by side in one run; absolute times vary between machines.\n\n`;
writeFileSync(path.join(here, "BUNDLERS.md"), header + section);
process.stdout.write(section + "\n");
