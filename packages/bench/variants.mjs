// The ways each workload runs: the original code, the instrumented code with no recording, and the
// instrumented code recording in each values mode ("changed", the runtime's default: a variable's
// value is written only when what CodeTracer shows for it would otherwise differ; "full": every
// visible variable at every line step) to a trace format.
export const RECORDINGS = {
  "binary-changed": { format: "binary", values: "changed", label: "binary, changed values" },
  "binary-full": { format: "binary", values: "full", label: "binary, full values" },
  "json-changed": { format: "json", values: "changed", label: "json, changed values" },
};
export const RECORDING_VARIANTS = Object.keys(RECORDINGS);
export const VARIANTS = ["plain", "dormant", ...RECORDING_VARIANTS];
