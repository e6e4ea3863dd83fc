/**
 * Loaded with `node --import` into the process `ctjs record` starts: installs load-time
 * instrumentation (ESM hooks and the CommonJS require hook) and starts the recording. Worker
 * threads inherit `--import`; they run unrecorded (recording them is future work).
 */
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";
import { start } from "@ctjs/runtime";
import { createSelector } from "./instrument-file.js";
import { RECORD_CONFIG_ENV, decodeRecordConfig } from "./record-config.js";
import { installRequireHook } from "./require-hook.js";

function setUp(): void {
  const config = decodeRecordConfig(process.env[RECORD_CONFIG_ENV]);
  // the program must see the environment it would see without ctjs
  delete process.env[RECORD_CONFIG_ENV];
  if (config === undefined || !isMainThread) return;
  register("./esm-hooks.js", { parentURL: import.meta.url, data: { config } });
  installRequireHook(config.disabled ? () => false : createSelector(config));
  if (config.disabled) return;
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

setUp();
