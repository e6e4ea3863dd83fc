export { start, stop, flush, isTracing, type BrowserStartOptions } from "./browser-session.js";
export { TRACE_JSON, TRACE_BINARY, DEFAULT_FORMAT, TRACE_FORMATS, parseFormat, type TraceFormat } from "../formats.js";
export { RecorderError, isRecorderError, type RecorderErrorCode } from "../errors.js";
export type { TraceResult } from "./dev-protocol.js";
