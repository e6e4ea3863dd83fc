import { writeU32LE } from "./zstd-frame.js";

/**
 * The container of trace.bin: an 8-byte header, then a zstd seekable archive (zstd frames followed
 * by a seek table in a skippable frame). The CodeTracer reader finds the frames only through the
 * table, so its sizes must be exact and it must end the file.
 */

export const BINARY_TRACE_HEADER: Readonly<Uint8Array> = Uint8Array.of(0xc0, 0xde, 0x72, 0xac, 0xe2, 0x01, 0x00, 0x00);

export const SEEK_TABLE_MAGIC = 0x184d2a5e;
export const SEEKABLE_FOOTER_MAGIC = 0x8f92eab1;
/** One entry without checksums: compressed size, decompressed size (u32 LE each). */
export const SEEK_TABLE_ENTRY_SIZE = 8;
/** Skippable-frame magic and size field before the entries. */
export const SEEK_TABLE_HEADER_SIZE = 8;
/** Number of frames (u32), descriptor byte, footer magic (u32) after the entries. */
export const SEEK_TABLE_FOOTER_SIZE = 9;
/** Descriptor: no per-frame checksums, reserved bits clear. */
const SEEK_TABLE_DESCRIPTOR = 0;

/** The frame sizes of an archive, kept as the encoded table entries they become. */
export class SeekTable {
  private entries: Uint8Array = new Uint8Array(8 * 1024);
  private entriesLength = 0;

  get frameCount(): number {
    return this.entriesLength / SEEK_TABLE_ENTRY_SIZE;
  }

  /** Bytes the whole table (skippable frame) takes with `extraFrames` more entries. */
  encodedSize(extraFrames = 0): number {
    return SEEK_TABLE_HEADER_SIZE + this.entriesLength + extraFrames * SEEK_TABLE_ENTRY_SIZE + SEEK_TABLE_FOOTER_SIZE;
  }

  add(compressedSize: number, decompressedSize: number): void {
    if (this.entriesLength + SEEK_TABLE_ENTRY_SIZE > this.entries.length) {
      const bigger = new Uint8Array(this.entries.length * 2);
      bigger.set(this.entries.subarray(0, this.entriesLength));
      this.entries = bigger;
    }
    writeU32LE(this.entries, this.entriesLength, compressedSize);
    writeU32LE(this.entries, this.entriesLength + 4, decompressedSize);
    this.entriesLength += SEEK_TABLE_ENTRY_SIZE;
  }

  /** Forgets the last `count` entries (a flush whose write failed). */
  dropLast(count: number): void {
    this.entriesLength = Math.max(0, this.entriesLength - count * SEEK_TABLE_ENTRY_SIZE);
  }

  /** Writes the table into `out` at `offset` (room: `encodedSize()`); returns the offset after it. */
  writeTo(out: Uint8Array, offset: number): number {
    const frames = this.frameCount;
    let p = writeU32LE(out, offset, SEEK_TABLE_MAGIC);
    p = writeU32LE(out, p, this.entriesLength + SEEK_TABLE_FOOTER_SIZE);
    out.set(this.entries.subarray(0, this.entriesLength), p);
    p += this.entriesLength;
    p = writeU32LE(out, p, frames);
    out[p++] = SEEK_TABLE_DESCRIPTOR;
    return writeU32LE(out, p, SEEKABLE_FOOTER_MAGIC);
  }
}
