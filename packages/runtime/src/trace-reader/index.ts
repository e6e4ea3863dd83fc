export {
  readTraceEvents,
  iterateTraceEvents,
  locateEventsFile,
  type EventsFileFormat,
  type EventsFileLocation,
} from "./read-events.js";
export { iterateJsonEvents, JsonTraceError } from "./json-events.js";
export { iterateBinaryEvents, readSeekTable, BinaryTraceError, type SeekTableEntry } from "./binary-events.js";
export { CborDecoder, decodeCborSequence, CborFormatError, CborTruncatedError } from "./cbor-decoder.js";
export { decompressFrame, ZstdFormatError } from "./zstd-decompress.js";
export { parseJsonExact } from "./json-exact.js";
