import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { TraceEvent } from "../trace-events.js";
import {
  BINARY_TRACE_HEADER,
  SEEK_TABLE_ENTRY_SIZE,
  SEEK_TABLE_FOOTER_SIZE,
  SEEK_TABLE_HEADER_SIZE,
  SEEK_TABLE_MAGIC,
  SEEKABLE_FOOTER_MAGIC,
} from "../writers/seekable-archive.js";
import { CborDecoder, CborTruncatedError } from "./cbor-decoder.js";
import { decompressFrame } from "./zstd-decompress.js";

/**
 * Reads trace.bin frame by frame: the header, the seek table at the end, then each frame in turn,
 * decompressed and decoded into events. Only one frame (plus an event that spans frames) is held
 * in memory at a time.
 */

export class BinaryTraceError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "BinaryTraceError";
  }
}

export interface SeekTableEntry {
  compressedSize: number;
  decompressedSize: number;
}

export function isBinaryTraceHeader(head: Uint8Array): boolean {
  if (head.length < BINARY_TRACE_HEADER.length) return false;
  for (let i = 0; i < BINARY_TRACE_HEADER.length; i++) if (head[i] !== BINARY_TRACE_HEADER[i]) return false;
  return true;
}

/** The frames listed in the seek table of an open trace.bin. */
export function readSeekTable(fd: number, file: string): SeekTableEntry[] {
  const size = fstatSync(fd).size;
  const header = readAt(fd, 0, BINARY_TRACE_HEADER.length);
  if (!isBinaryTraceHeader(header)) {
    throw new BinaryTraceError(file, `does not start with the binary trace header ${Buffer.from(BINARY_TRACE_HEADER).toString("hex")}`);
  }
  const archiveSize = size - BINARY_TRACE_HEADER.length;
  const minimum = SEEK_TABLE_HEADER_SIZE + SEEK_TABLE_FOOTER_SIZE;
  if (archiveSize < minimum) throw new BinaryTraceError(file, "too short to hold a seek table");
  const footer = readAt(fd, size - SEEK_TABLE_FOOTER_SIZE, SEEK_TABLE_FOOTER_SIZE);
  if (footer.readUInt32LE(5) !== SEEKABLE_FOOTER_MAGIC) throw new BinaryTraceError(file, "no seek table at the end of the file");
  const count = footer.readUInt32LE(0);
  const descriptor = footer[4]!;
  const entrySize = descriptor & 0x80 ? SEEK_TABLE_ENTRY_SIZE + 4 : SEEK_TABLE_ENTRY_SIZE;
  const tableSize = SEEK_TABLE_HEADER_SIZE + count * entrySize + SEEK_TABLE_FOOTER_SIZE;
  if (tableSize > archiveSize) throw new BinaryTraceError(file, `the seek table claims ${count} frames, more than the file holds`);
  const table = readAt(fd, size - tableSize, tableSize);
  if (table.readUInt32LE(0) !== SEEK_TABLE_MAGIC || table.readUInt32LE(4) !== tableSize - SEEK_TABLE_HEADER_SIZE) {
    throw new BinaryTraceError(file, "the seek table's skippable-frame header does not match its frame count");
  }
  const entries: SeekTableEntry[] = [];
  let framesSize = 0;
  for (let i = 0; i < count; i++) {
    const at = SEEK_TABLE_HEADER_SIZE + i * entrySize;
    const entry = { compressedSize: table.readUInt32LE(at), decompressedSize: table.readUInt32LE(at + 4) };
    framesSize += entry.compressedSize;
    entries.push(entry);
  }
  if (framesSize !== archiveSize - tableSize) {
    throw new BinaryTraceError(file, `the seek table's frames add up to ${framesSize} bytes, but ${archiveSize - tableSize} lie before it`);
  }
  return entries;
}

/** The events of trace.bin `file`, one frame at a time. */
export function* iterateBinaryEvents(file: string): Generator<TraceEvent> {
  const fd = openSync(file, "r");
  try {
    const entries = readSeekTable(fd, file);
    const decoder = new CborDecoder();
    let position = BINARY_TRACE_HEADER.length;
    let carry: Buffer | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const content = decompressFrame(readAt(fd, position, entry.compressedSize));
      if (content.length !== entry.decompressedSize) {
        throw new BinaryTraceError(file, `frame ${i} decompresses to ${content.length} bytes, the seek table says ${entry.decompressedSize}`);
      }
      position += entry.compressedSize;
      // An event may continue into the next frame: what did not decode is carried over.
      const data = carry ? Buffer.concat([carry, content]) : content;
      carry = undefined;
      decoder.setInput(data);
      while (decoder.hasMore) {
        let event: unknown;
        try {
          event = decoder.next();
        } catch (error) {
          if (!(error instanceof CborTruncatedError)) throw withFile(file, error);
          carry = data.subarray(decoder.pos);
          break;
        }
        yield event as TraceEvent;
      }
    }
    if (carry) throw new BinaryTraceError(file, `the last event is truncated (${carry.length} bytes left undecoded)`);
  } finally {
    closeSync(fd);
  }
}

function withFile(file: string, error: unknown): Error {
  return new BinaryTraceError(file, error instanceof Error ? error.message : String(error));
}

function readAt(fd: number, position: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
  return out;
}
