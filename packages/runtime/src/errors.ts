/** Stable error codes of the recorder's API; messages name the offending value. */
export type RecorderErrorCode =
  | "ERR_ALREADY_TRACING"
  | "ERR_NOT_TRACING"
  | "ERR_TRACE_DIR_CONFLICT"
  | "ERR_TRACE_DIR_CREATE_FAILED"
  | "ERR_UNSUPPORTED_FORMAT"
  | "ERR_INVALID_OPTION"
  | "ERR_ACTIVATION_PATH";

export class RecorderError extends Error {
  readonly code: RecorderErrorCode;

  constructor(code: RecorderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RecorderError";
    this.code = code;
  }
}

export function isRecorderError(error: unknown): error is RecorderError {
  return error instanceof RecorderError;
}
