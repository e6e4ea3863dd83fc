export { main } from "./main.js";
export { parseRecordArgs, type RecordArgs } from "./record-args.js";
export { UsageError } from "./usage-error.js";
