/** How many encoded bytes a writer buffers before it flushes on its own. */
export const DEFAULT_BATCH_BYTES = 1024 * 1024;

/** The batch size to use for an optional user value (a positive number of bytes). */
export function resolveBatchBytes(batchBytes: number | undefined): number {
  if (batchBytes === undefined) return DEFAULT_BATCH_BYTES;
  if (!Number.isFinite(batchBytes) || batchBytes < 1) {
    throw new RangeError(`batchBytes must be a positive number of bytes, not ${String(batchBytes)}`);
  }
  return Math.floor(batchBytes);
}
