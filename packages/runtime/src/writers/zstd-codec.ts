/**
 * Real zstd compression through `@toondepauw/node-zstd`, a Node-API addon whose prebuilt binary
 * for each platform is itself an npm package (nothing is downloaded or built at install time). It
 * works synchronously, so a writer can compress each batch inside `flush()`.
 *
 * Loading is attempted once, lazily; when the addon is missing (no binary for this platform, a
 * bundle without it) or broken, `zstdCodec()` returns undefined and the binary writer stores raw
 * frames instead, which every zstd decoder reads.
 */

import { loadWasmCompress, type CompressFunction } from "./zstd-wasm.js";

export const ZSTD_LIBRARY = "@toondepauw/node-zstd";

/** Level 1 keeps recording fast; trace events compress well even there. */
export const DEFAULT_COMPRESSION_LEVEL = 1;

export interface ZstdCodec {
  readonly library: string;
  /** One complete zstd frame holding `data`. */
  compress(data: Buffer, level: number): Buffer;
  /** The content of the zstd frame(s) in `data`. */
  decompress(data: Buffer): Buffer;
}

interface NativeZstdModule {
  Encoder: new (level: number) => { encodeSync(data: Buffer): Buffer };
  Decoder: new () => { decodeSync(data: Buffer): Buffer };
}

let loaded = false;
let codec: ZstdCodec | undefined;
let loadError: string | undefined;

/** The zstd codec, or undefined when no compression library could be loaded. */
export function zstdCodec(): ZstdCodec | undefined {
  if (!loaded) {
    loaded = true;
    try {
      codec = nativeCodec(requireOptional(ZSTD_LIBRARY) as NativeZstdModule);
    } catch (error) {
      loadError = error instanceof Error ? error.message : String(error);
    }
  }
  return codec;
}

/**
 * Loads the compression library ahead of recording. It loads synchronously today; the promise
 * lets a session await it before `start()` should a library that initialises asynchronously (a
 * wasm build) ever take its place. Resolves to whether real compression is available.
 */
export async function prepareCompression(): Promise<boolean> {
  return zstdCodec() !== undefined;
}

/** Where the native library's entry point is, for a worker thread to load it (undefined: not in use). */
export function nativeLibraryPath(): string | undefined {
  if (zstdCodec() === undefined) return undefined;
  try {
    return resolveOptional(ZSTD_LIBRARY);
  } catch {
    return undefined;
  }
}

export interface CompressionStatus {
  available: boolean;
  library?: string;
  /** Why loading failed, when it did. */
  error?: string;
}

export function compressionStatus(): CompressionStatus {
  const current = zstdCodec();
  return current ? { available: true, library: current.library } : { available: false, error: loadError ?? "not loaded" };
}

/**
 * `require` reached through `process.getBuiltinModule`, which bundlers do not follow: webpack
 * would turn a visible `createRequire(…)(name)` into an empty module context (and warn), and the
 * addon could never load from a bundle. Unbundled, this is the plain `createRequire` load.
 */
function requireOptional(specifier: string): unknown {
  return process.getBuiltinModule("node:module").createRequire(import.meta.url)(specifier);
}

function resolveOptional(specifier: string): string {
  return process.getBuiltinModule("node:module").createRequire(import.meta.url).resolve(specifier);
}

/**
 * Bytes the native addon may hand out before the event loop turns. Its output buffers are freed
 * by finalizers that Node runs only between event-loop turns, so a program computing for minutes
 * without yielding would hold every compressed batch in memory; past this much, frames are
 * compressed by the WebAssembly build (slower, but its output is ordinary heap memory) until the
 * loop turns again.
 */
let nativeBytesPerTurn = 16 * 1024 * 1024;

/** Changes that limit (tests use a small one to reach the WebAssembly path quickly). */
export function setNativeBytesPerTurn(bytes: number): void {
  nativeBytesPerTurn = bytes;
}

function nativeCodec(native: NativeZstdModule): ZstdCodec {
  const encoders = new Map<number, { encodeSync(data: Buffer): Buffer }>();
  const decoder = new native.Decoder();
  let handedOut = 0;
  let turnWatched = false;
  const loopTurned = () => {
    handedOut = 0;
    turnWatched = false;
  };
  let wasm: CompressFunction | null | undefined;
  const wasmCompress = (): CompressFunction | null => {
    if (wasm === undefined) {
      try {
        wasm = loadWasmCompress(requireOptional, resolveOptional);
      } catch {
        wasm = null;
      }
    }
    return wasm;
  };
  const created: ZstdCodec = {
    library: ZSTD_LIBRARY,
    compress(data, level) {
      if (handedOut >= nativeBytesPerTurn) {
        const compress = wasmCompress();
        if (compress !== null) {
          const frame = compress(data, level);
          return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
        }
      }
      let encoder = encoders.get(level);
      if (encoder === undefined) {
        encoder = new native.Encoder(level);
        encoders.set(level, encoder);
      }
      const frame = encoder.encodeSync(data);
      handedOut += frame.length;
      if (!turnWatched) {
        turnWatched = true;
        setImmediate(loopTurned).unref();
      }
      return frame;
    },
    decompress(data) {
      return decoder.decodeSync(data);
    },
  };
  // A library that loads but cannot round-trip (a wrong binary) must not be used.
  const probe = Buffer.from("ctjs zstd probe ctjs zstd probe");
  if (!created.decompress(created.compress(probe, DEFAULT_COMPRESSION_LEVEL)).equals(probe)) {
    throw new Error(`${ZSTD_LIBRARY} does not round-trip data`);
  }
  return created;
}
