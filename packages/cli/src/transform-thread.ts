/**
 * The thread that instruments CommonJS files for the program's require hook. Babel and ctjs's
 * other build-time dependencies live here, not in the program's thread, so the program never
 * shares a module instance with ctjs (a program that requires picomatch gets its own copy,
 * instrumented when selected) and Babel's own lazy requires never pass through the hook.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { workerData } from "node:worker_threads";
import { REPLIED, type TransformReply, type TransformThreadData } from "./transform-protocol.js";

const { port, signal, config } = workerData as TransformThreadData;

type Transform = (file: string, warnings: string[]) => TransformReply;

/** Loaded here rather than imported, so that a failure to load still gets an answer across. */
async function loadTransform(): Promise<Transform> {
  const { createSelector } = await import("./file-selection.js");
  const { loadableCode } = await import("./instrument-file.js");
  const { COMPILED_EXTENSIONS, moduleFormat } = await import("./source-kinds.js");
  const selects = config.disabled ? () => false : createSelector(config);
  return (file, warnings) => {
    const compiled = COMPILED_EXTENSIONS.has(path.extname(file).toLowerCase());
    const instrument = selects(file);
    if (!instrument && !compiled) return { kind: "as-is", warnings };
    const source = readFileSync(file, "utf8");
    // ES modules reached through require(esm) go on to the ESM hooks
    if (moduleFormat(file, source) === "module" && !compiled) return { kind: "as-is", warnings };
    return { ...loadableCode(file, source, instrument, "script", file, (message) => warnings.push(message)), warnings };
  };
}

function failure(error: unknown, warnings: string[]): TransformReply {
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: "error", message: e.message, stack: e.stack ?? e.message, warnings };
}

let transform: Transform;
try {
  transform = await loadTransform();
} catch (error) {
  transform = (_file, warnings) => failure(error, warnings);
}

port.on("message", (file: string) => {
  const warnings: string[] = [];
  let reply: TransformReply;
  try {
    reply = transform(file, warnings);
  } catch (error) {
    reply = failure(error, warnings);
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, REPLIED);
  Atomics.notify(signal, 0);
});
