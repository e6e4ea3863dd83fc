export { start, stop, flush, isTracing, trace, currentSummary, RECORDER_NAME, RECORDER_VERSION } from "./session.js";
export type { StartOptions, StopOptions, TraceSummary } from "./session.js";
export { TRACE_JSON, TRACE_BINARY, DEFAULT_FORMAT, TRACE_FORMATS, parseFormat, type TraceFormat } from "./formats.js";
export { RecorderError, isRecorderError, type RecorderErrorCode } from "./errors.js";
export { eventsFileName, METADATA_FILE, PATHS_FILE, FILES_DIR } from "./output-paths.js";
export type { TraceEvent, ValueRecord, TypeRecord, TraceWriter } from "./trace-events.js";
export { TYPE_KIND, EVENT_LOG_KIND } from "./trace-events.js";
