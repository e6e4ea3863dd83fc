// The ways each workload runs: the original code, the instrumented code with no recording, and the
// instrumented code recording to each trace format.
export const RECORDING_FORMATS = ["json", "binary"];
export const VARIANTS = ["plain", "dormant", ...RECORDING_FORMATS];
