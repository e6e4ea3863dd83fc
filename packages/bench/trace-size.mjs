// The size of a trace's events file on disk and decompressed. trace.bin is zstd frames whose seek
// table (at the file's end, rewritten at every flush, so a killed writer leaves a readable one)
// lists each frame's decompressed size: their sum is the CBOR event bytes the writer produced.
// trace.json is not compressed: both sizes are its length.
import { closeSync, openSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The seek table reader is not among @ctjs/runtime's exports; it sits beside the package's entry.
const runtimeEntry = fileURLToPath(import.meta.resolve("@ctjs/runtime"));
const { readSeekTable } = await import(new URL("trace-reader/index.js", `file://${path.dirname(runtimeEntry)}/`).href);

/** { bytes, decompressedBytes } of the events file `file` (trace.bin or trace.json). */
export function traceSize(file) {
  const bytes = statSync(file).size;
  if (!file.endsWith(".bin")) return { bytes, decompressedBytes: bytes };
  const fd = openSync(file, "r");
  try {
    return { bytes, decompressedBytes: readSeekTable(fd, file).reduce((sum, frame) => sum + frame.decompressedSize, 0) };
  } finally {
    closeSync(fd);
  }
}
