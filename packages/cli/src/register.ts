/**
 * Preloaded into the process `ctjs record` starts: installs load-time instrumentation (ESM hooks
 * and the CommonJS require hook) and starts the recording. It is preloaded the way the entry
 * point itself is loaded by node (`--require` for CommonJS, `--import` for an ES module), so that
 * node takes the same path to the program as without ctjs, errors while loading it included;
 * hence no top-level await here (require() cannot load such a module).
 *
 * Worker threads and forked children load this file too (they inherit the flag) but find no
 * configuration and run unrecorded (recording them is future work); the heavy modules (Babel,
 * the runtime) are loaded only once a configuration is found, so they start at full speed.
 */
import { createRequire, register } from "node:module";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { RECORD_CONFIG_ENV, decodeRecordConfig, type RecordConfig } from "./record-config.js";

const require = createRequire(import.meta.url);

/** The flags `ctjs record` preloads this file with (record.ts). */
const PRELOAD_FLAGS = ["--require", "--import"];

// in every thread and child that inherits the flag: execArgv as without ctjs
hideOwnFlag();
const config = decodeRecordConfig(process.env[RECORD_CONFIG_ENV]);
// the program must see the environment it would see without ctjs
delete process.env[RECORD_CONFIG_ENV];
if (config !== undefined && isMainThread) {
  try {
    setUp(config);
  } catch (error) {
    // whatever went wrong, the program still runs as it would without ctjs
    process.stderr.write(`ctjs: recording not set up: ${(error as Error).message}\n`);
  }
}

function setUp(config: RecordConfig): void {
  // recording starts before the hooks go in: the recorder's own lazy loads must not pass through them
  if (!config.disabled) startRecording(config);
  const { installRequireHook } = require("./require-hook.js") as typeof import("./require-hook.js");
  installRequireHook(config);
  register("./esm-hooks.js", { parentURL: import.meta.url, data: { config } });
}

function startRecording(config: RecordConfig): void {
  const { start } = require("@ctjs/runtime") as typeof import("@ctjs/runtime");
  try {
    start({
      outDir: config.outDir,
      format: config.format,
      values: config.values,
      limits: config.maxStepNodes === undefined ? undefined : { maxStepNodes: config.maxStepNodes },
      activationPath: config.activationPath,
      program: process.argv[1],
      args: process.argv.slice(2),
      workdir: config.cwd,
    });
  } catch (error) {
    process.stderr.write(`ctjs: recording not started: ${(error as Error).message}\n`);
  }
}

/**
 * `process.execArgv` as `node <script>` would have it: without the flag that preloads this file.
 * Children forked with the default execArgv then start as plain Node processes.
 */
function hideOwnFlag(): void {
  const self = fileURLToPath(import.meta.url);
  const at = process.execArgv.findIndex((arg, i) => PRELOAD_FLAGS.includes(arg) && process.execArgv[i + 1] === self);
  if (at >= 0) process.execArgv.splice(at, 2);
}
