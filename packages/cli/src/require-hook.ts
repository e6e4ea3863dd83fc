import { createRequire } from "node:module";
import path from "node:path";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import type { RecordConfig } from "./record-config.js";
import { COMPILED_EXTENSIONS } from "./source-kinds.js";
import { nodeStyleSyntaxError } from "./syntax-error.js";
import { REPLIED, WAITING, type TransformReply, type TransformThreadData } from "./transform-protocol.js";

interface CjsModule {
  _compile(code: string, filename: string): unknown;
}
type ExtensionHandler = (module: CjsModule, filename: string) => void;

const require = createRequire(import.meta.url);

/** Longest wait for the transform thread's answer on one file (Babel on a very large file included). */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * Instruments CommonJS files as `require` loads them, by wrapping the loader's per-extension
 * handlers. The code comes from the transform thread (see transform-thread.ts), asked
 * synchronously, as `require` is. ES modules reached through require(esm) go to the original
 * handler (and so to the ESM hooks).
 */
export function installRequireHook(config: RecordConfig): void {
  // started on the first file to transform: a program that requires none never loads Babel
  let codeOf: ((file: string) => TransformReply) | undefined;
  const Module = require("node:module") as { _extensions: Record<string, ExtensionHandler> };
  const extensions = Module._extensions;
  const jsHandler = extensions[".js"]!;
  const mayBeSelected = quickSelection(config);
  for (const ext of [".js", ".cjs", ".ts", ".cts", ".tsx", ".jsx"]) {
    const original = extensions[ext] ?? jsHandler;
    extensions[ext] = function ctjsRequireHook(module: CjsModule, filename: string): void {
      if (!COMPILED_EXTENSIONS.has(path.extname(filename).toLowerCase()) && !mayBeSelected(filename)) return original.call(this, module, filename);
      codeOf ??= startTransformThread(config);
      const reply = codeOf(filename);
      for (const warning of reply.warnings) process.stderr.write(`${warning}\n`);
      switch (reply.kind) {
        case "as-is":
          return original.call(this, module, filename);
        case "code":
          module._compile(reply.code, filename);
          return;
        case "syntax-error":
          throw nodeStyleSyntaxError(reply.failure);
        case "error": {
          const error = new Error(reply.message);
          error.stack = reply.stack;
          throw error;
        }
      }
    };
  }
}

/**
 * Without --include, files outside the cwd or inside node_modules are never selected: the
 * dependencies a program loads need no question to the transform thread.
 */
function quickSelection(config: RecordConfig): (file: string) => boolean {
  if (config.disabled) return () => false;
  if (config.include.length > 0) return () => true;
  return (file) => {
    const relative = path.relative(config.cwd, file);
    return !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative) && !relative.split(path.sep).includes("node_modules");
  };
}

/** Starts the transform thread; returns the synchronous question "what code runs for this file?". */
function startTransformThread(config: RecordConfig): (file: string) => TransformReply {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const data: TransformThreadData = { port: port2, signal, config };
  // no --import of ctjs in that thread: it must not set up recording again
  const worker = new Worker(new URL("./transform-thread.js", import.meta.url), { workerData: data, transferList: [port2], execArgv: [] });
  // it must never keep the program alive
  worker.unref();
  port1.unref();
  return (file) => {
    Atomics.store(signal, 0, WAITING);
    port1.postMessage(file);
    const waited = Atomics.wait(signal, 0, WAITING, ANSWER_TIMEOUT_MS);
    const answer = receiveMessageOnPort(port1);
    if (waited === "timed-out" || answer === undefined) throw new Error(`ctjs: no code for ${file}: the transform thread did not answer`);
    return answer.message as TransformReply;
  };
}
