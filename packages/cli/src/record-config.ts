import type { ValuesMode } from "@ctjs/runtime";

/**
 * What `ctjs record` hands to the recorded process (through one environment variable that the
 * process removes at once, so the program sees the environment it would see without ctjs).
 */
export interface RecordConfig {
  outDir: string;
  format: "json" | "binary";
  /** start() option `values`. */
  values: ValuesMode;
  /** start() option `limits.maxStepNodes` (undefined: the recorder's default). */
  maxStepNodes?: number;
  include: string[];
  exclude: string[];
  cwd: string;
  activationPath?: string;
  quiet: boolean;
  /** CTJS_DISABLED: run the program as it is (TypeScript still compiled), record nothing. */
  disabled: boolean;
}

export const RECORD_CONFIG_ENV = "CTJS_RECORD_CONFIG";

export function encodeRecordConfig(config: RecordConfig): string {
  return JSON.stringify(config);
}

export function decodeRecordConfig(text: string | undefined): RecordConfig | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text) as RecordConfig;
  } catch {
    return undefined;
  }
}
