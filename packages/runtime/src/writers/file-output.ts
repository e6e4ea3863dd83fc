import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";

/**
 * The events file both writers keep open: created (truncated) in the trace directory, then only
 * ever changed by positional writes, each of which leaves a complete file behind it.
 */
export class EventsFile {
  readonly path: string;
  private fd: number | undefined;

  constructor(dir: string, path: string) {
    mkdirSync(dir, { recursive: true });
    this.path = path;
    this.fd = openSync(path, "w");
  }

  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /** Writes all of `bytes[0 .. length)` at `position` (a single syscall for a regular file). */
  writeAt(bytes: Uint8Array, length: number, position: number): void {
    const fd = this.fd;
    if (fd === undefined) throw new Error(`${this.path} is closed`);
    let done = 0;
    while (done < length) {
      done += writeSync(fd, bytes, done, length - done, position + done);
    }
  }

  close(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    closeSync(fd);
  }
}

/** Growable scratch buffer for assembling one flush's bytes. */
export class ScratchBuffer {
  private buffer: Buffer;
  private readonly keepCapacity: number;

  constructor(initialCapacity: number, keepCapacity: number) {
    this.buffer = Buffer.allocUnsafe(initialCapacity);
    this.keepCapacity = keepCapacity;
  }

  /** A buffer of at least `size` bytes (its old content is not kept). */
  take(size: number): Buffer {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    return this.buffer;
  }

  /** Releases a buffer that grew past the kept capacity for an exceptionally large flush. */
  trim(): void {
    if (this.buffer.length > this.keepCapacity) this.buffer = Buffer.allocUnsafe(Math.min(this.keepCapacity, 64 * 1024));
  }
}
