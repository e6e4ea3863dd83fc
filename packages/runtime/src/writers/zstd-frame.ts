/**
 * Zstandard frames made of raw (stored, uncompressed) blocks (RFC 8878). Any zstd decoder reads
 * them, so the binary format works without a compression library.
 *
 * Layout: magic, a frame header descriptor with Single_Segment off, a window descriptor for a
 * 128 KiB window (raw blocks never refer back, and a small window keeps decoders from reserving
 * memory for the whole content), the 4-byte Frame_Content_Size, then blocks of at most 128 KiB,
 * each a 3-byte little-endian header (last-block bit, block type 0 = raw, size) and its bytes.
 * No content checksum.
 */

export const ZSTD_FRAME_MAGIC = 0xfd2fb528;
/** Block_Maximum_Size: the smaller of 128 KiB and the window size. */
export const ZSTD_MAX_BLOCK_SIZE = 128 * 1024;

/** Frame_Content_Size_flag 2 (4-byte size), Single_Segment 0, no checksum, no dictionary. */
const FRAME_HEADER_DESCRIPTOR = 0b1000_0000;
/** Window_Log = 10 + exponent 7 = 17, mantissa 0: a 128 KiB window. */
const WINDOW_DESCRIPTOR = 7 << 3;
const FRAME_HEADER_SIZE = 4 + 1 + 1 + 4;
const BLOCK_HEADER_SIZE = 3;
const BLOCK_TYPE_RAW = 0;

/** Largest content a raw frame holds here (the 4-byte Frame_Content_Size field). */
export const MAX_RAW_FRAME_CONTENT = 0xffff_ffff;

/** Bytes of the raw frame holding `contentSize` bytes. */
export function rawFrameSize(contentSize: number): number {
  const blocks = Math.max(1, Math.ceil(contentSize / ZSTD_MAX_BLOCK_SIZE));
  return FRAME_HEADER_SIZE + blocks * BLOCK_HEADER_SIZE + contentSize;
}

/**
 * Writes `content` as a raw frame into `out` at `offset` (which must have `rawFrameSize` bytes of
 * room) and returns the frame's size.
 */
export function writeRawFrame(content: Uint8Array, out: Uint8Array, offset: number): number {
  const size = content.length;
  if (size > MAX_RAW_FRAME_CONTENT) throw new RangeError(`a zstd frame here holds at most 4 GiB, not ${size} bytes`);
  let p = offset;
  p = writeU32LE(out, p, ZSTD_FRAME_MAGIC);
  out[p++] = FRAME_HEADER_DESCRIPTOR;
  out[p++] = WINDOW_DESCRIPTOR;
  p = writeU32LE(out, p, size);
  let start = 0;
  do {
    const blockSize = Math.min(ZSTD_MAX_BLOCK_SIZE, size - start);
    const last = start + blockSize >= size ? 1 : 0;
    const header = last | (BLOCK_TYPE_RAW << 1) | (blockSize << 3);
    out[p++] = header & 0xff;
    out[p++] = (header >>> 8) & 0xff;
    out[p++] = (header >>> 16) & 0xff;
    out.set(content.subarray(start, start + blockSize), p);
    p += blockSize;
    start += blockSize;
  } while (start < size);
  return p - offset;
}

/** A standalone raw frame holding `content`. */
export function encodeRawFrame(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(rawFrameSize(content.length));
  writeRawFrame(content, out, 0);
  return out;
}

export function writeU32LE(out: Uint8Array, offset: number, value: number): number {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
  out[offset + 2] = (value >>> 16) & 0xff;
  out[offset + 3] = (value >>> 24) & 0xff;
  return offset + 4;
}
