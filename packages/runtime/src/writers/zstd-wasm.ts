/**
 * zstd compression in WebAssembly (`@bokuweb/zstd-wasm`, an emscripten build of the reference
 * library), instantiated synchronously so that a writer can use it inside `flush()`. Its output
 * is copied into memory the JavaScript heap owns, freed by any garbage collection: the reason it
 * exists beside the faster native addon (see zstd-codec.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export const ZSTD_WASM_LIBRARY = "@bokuweb/zstd-wasm";

export type CompressFunction = (data: Uint8Array, level: number) => Uint8Array;

/** The slice of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (binary: Uint8Array) => object;
  Instance: new (module: object, imports: object) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface EmscriptenModule {
  instantiateWasm?: (imports: object, receive: (instance: object) => unknown) => unknown;
  init(): unknown;
  /** The instance's memory, set once it is instantiated. */
  HEAP8?: unknown;
}

/** Loads the WebAssembly build and returns its one-shot compress function; throws when it is missing. */
export function loadWasmCompress(requireOptional: (specifier: string) => unknown, resolve: (specifier: string) => string): CompressFunction {
  const dir = path.dirname(resolve(ZSTD_WASM_LIBRARY));
  const { Module } = requireOptional(path.join(dir, "module.js")) as { Module: EmscriptenModule };
  if (Module.HEAP8 === undefined) {
    const binary = readFileSync(path.join(dir, "zstd.wasm"));
    // emscripten's hook for embedders: instantiate now instead of through a promise
    Module.instantiateWasm = (imports, receive) => receive(new wasmApi.Instance(new wasmApi.Module(binary), imports));
    Module.init();
  }
  if (Module.HEAP8 === undefined) throw new Error(`${ZSTD_WASM_LIBRARY} did not initialise synchronously`);
  const { compress } = requireOptional(path.join(dir, "simple", "compress.js")) as { compress: CompressFunction };
  return compress;
}
