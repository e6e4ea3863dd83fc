export { createTraceWriter, type TraceWriterFormat, type TraceWriterOptions } from "./create-writer.js";
export { JsonTraceWriter, TRACE_JSON_FILE, type JsonTraceWriterOptions } from "./json-writer.js";
export {
  BinaryTraceWriter,
  TRACE_BIN_FILE,
  DEFAULT_MAX_FRAME_BYTES,
  type BinaryTraceWriterOptions,
} from "./binary-writer.js";
export { DEFAULT_BATCH_BYTES } from "./batch-size.js";
export {
  prepareCompression,
  compressionStatus,
  DEFAULT_COMPRESSION_LEVEL,
  type CompressionStatus,
} from "./zstd-codec.js";
export { CborEncoder } from "./cbor.js";
export { writeTraceEvent } from "./cbor-events.js";
export { eventToJson } from "./json-text.js";
export { encodeBatch, decodeBatch } from "./wire.js";
export { toWellFormedString, withWellFormedStrings } from "./well-formed.js";
export { BINARY_TRACE_HEADER } from "./seekable-archive.js";
