/**
 * Loaded with `node --import` into the process `ctjs record` starts: installs load-time
 * instrumentation (ESM hooks and the CommonJS require hook) and starts the recording.
 *
 * Worker threads and forked children load this file too (they inherit the flag) but find no
 * configuration and run unrecorded (recording them is future work); the heavy modules (Babel,
 * the runtime) are imported only once a configuration is found, so they start at full speed.
 */
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { RECORD_CONFIG_ENV, decodeRecordConfig, type RecordConfig } from "./record-config.js";

const config = decodeRecordConfig(process.env[RECORD_CONFIG_ENV]);
// the program must see the environment it would see without ctjs
delete process.env[RECORD_CONFIG_ENV];
if (config !== undefined && isMainThread) await setUp(config);

async function setUp(config: RecordConfig): Promise<void> {
  hideOwnFlag();
  // stack traces and uncaught-error reports point into the user's sources, not the instrumented code
  process.setSourceMapsEnabled(true);
  // recording starts before the hooks go in: the recorder's own lazy loads must not pass through them
  if (!config.disabled) await startRecording(config);
  const { register } = await import("node:module");
  const { installRequireHook } = await import("./require-hook.js");
  installRequireHook(config);
  register("./esm-hooks.js", { parentURL: import.meta.url, data: { config } });
}

async function startRecording(config: RecordConfig): Promise<void> {
  const { start } = await import("@ctjs/runtime");
  try {
    start({
      outDir: config.outDir,
      format: config.format,
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
 * `process.execArgv` as `node <script>` would have it: without `--import <this file>`. Children
 * forked with the default execArgv then start as plain Node processes.
 */
function hideOwnFlag(): void {
  const self = fileURLToPath(import.meta.url);
  const at = process.execArgv.findIndex((arg, i) => arg === "--import" && process.execArgv[i + 1] === self);
  if (at >= 0) process.execArgv.splice(at, 2);
}
