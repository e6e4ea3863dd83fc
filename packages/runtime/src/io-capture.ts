import { EVENT_LOG_KIND, type EventLogKind } from "./trace-events.js";

export type OutputListener = (kind: EventLogKind, content: string) => void;

type WriteFn = NodeJS.WriteStream["write"];

interface Patch {
  stream: NodeJS.WriteStream;
  original: WriteFn;
  patched: WriteFn;
  /** Whether `write` was the stream's own property before (otherwise it came from the prototype). */
  wasOwn: boolean;
}

const decoder = new TextDecoder("utf-8");

function chunkText(chunk: unknown, encoding: unknown): string | undefined {
  if (typeof chunk === "string") {
    if (typeof encoding === "string" && encoding !== "utf8" && encoding !== "utf-8" && Buffer.isEncoding(encoding)) {
      return Buffer.from(chunk, encoding).toString("utf8");
    }
    return chunk;
  }
  if (chunk instanceof Uint8Array) return decoder.decode(chunk);
  return undefined;
}

/**
 * Captures what the program writes to process.stdout and process.stderr (console.* included, it
 * writes through them) while passing every call through unchanged: same arguments, same return
 * value, same exceptions. The listener must not throw; errors it raises are swallowed.
 */
export class OutputCapture {
  private patches: Patch[] = [];

  install(listener: OutputListener): void {
    if (this.patches.length > 0) return;
    const streams: Array<[NodeJS.WriteStream | undefined, EventLogKind]> = [
      [process.stdout, EVENT_LOG_KIND.Write],
      [process.stderr, EVENT_LOG_KIND.WriteOther],
    ];
    for (const [stream, kind] of streams) {
      if (!stream || typeof stream.write !== "function") continue;
      const original = stream.write;
      const wasOwn = Object.prototype.hasOwnProperty.call(stream, "write");
      const patched = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
        try {
          const text = chunkText(args[0], args[1]);
          if (text !== undefined && text.length > 0) listener(kind, text);
        } catch {
          // capture is best effort; the write itself must happen regardless
        }
        return (original as (...a: unknown[]) => boolean).apply(this, args);
      } as WriteFn;
      stream.write = patched;
      this.patches.push({ stream, original, patched, wasOwn });
    }
  }

  /** Restores the original write methods (only where nobody re-patched them since). */
  uninstall(): void {
    for (const { stream, original, patched, wasOwn } of this.patches) {
      if (stream.write !== patched) continue;
      if (wasOwn) stream.write = original;
      else delete (stream as { write?: WriteFn }).write;
    }
    this.patches = [];
  }
}
