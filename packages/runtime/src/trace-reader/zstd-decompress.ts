import { createRequire } from "node:module";
import { zstdCodec } from "../writers/zstd-codec.js";
import { ZSTD_FRAME_MAGIC } from "../writers/zstd-frame.js";

/**
 * Decompresses the zstd frames of a trace.bin. Frames made only of raw and RLE blocks (what the
 * writer stores when it does not compress) are decoded here; compressed frames go to the native
 * zstd codec, or to the pure-JS `fzstd` when the native one is not available.
 */

const BLOCK_RAW = 0;
const BLOCK_RLE = 1;
const BLOCK_COMPRESSED = 2;

export class ZstdFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZstdFormatError";
  }
}

/** The content of the single zstd frame `frame` (a skippable frame has none). */
export function decompressFrame(frame: Buffer): Buffer {
  if (frame.length < 4) throw new ZstdFormatError(`a zstd frame of ${frame.length} bytes is truncated`);
  const magic = frame.readUInt32LE(0);
  if ((magic & 0xfffffff0) === 0x184d2a50) return Buffer.alloc(0);
  if (magic !== ZSTD_FRAME_MAGIC) {
    throw new ZstdFormatError(`not a zstd frame: it starts with ${frame.subarray(0, 4).toString("hex")}`);
  }
  return decodeStoredFrame(frame) ?? decompressWithLibrary(frame);
}

/** Decodes a frame of raw and RLE blocks; undefined if it has a compressed block. */
function decodeStoredFrame(frame: Buffer): Buffer | undefined {
  let p = 4;
  const need = (end: number): void => {
    if (end > frame.length) throw new ZstdFormatError(`zstd frame truncated at byte ${frame.length} (needs ${end})`);
  };
  need(5);
  const descriptor = frame[p++]!;
  const contentSizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const hasChecksum = (descriptor >> 2) & 1;
  const dictionaryFlag = descriptor & 3;
  if (!singleSegment) p += 1;
  p += [0, 1, 2, 4][dictionaryFlag]!;
  p += [singleSegment ? 1 : 0, 2, 4, 8][contentSizeFlag]!;
  need(p);
  // First pass: find the blocks and the output size, without copying.
  let outputSize = 0;
  let q = p;
  for (;;) {
    need(q + 3);
    const header = frame[q]! | (frame[q + 1]! << 8) | (frame[q + 2]! << 16);
    const last = header & 1;
    const type = (header >> 1) & 3;
    const size = header >>> 3;
    q += 3;
    if (type === BLOCK_COMPRESSED) return undefined;
    if (type === 3) throw new ZstdFormatError(`reserved zstd block type at frame offset ${q - 3}`);
    q += type === BLOCK_RLE ? 1 : size;
    need(q);
    outputSize += size;
    if (last) break;
  }
  if (hasChecksum) need(q + 4);
  const out = Buffer.allocUnsafe(outputSize);
  let o = 0;
  q = p;
  for (;;) {
    const header = frame[q]! | (frame[q + 1]! << 8) | (frame[q + 2]! << 16);
    const size = header >>> 3;
    q += 3;
    if (((header >> 1) & 3) === BLOCK_RAW) {
      frame.copy(out, o, q, q + size);
      q += size;
    } else {
      out.fill(frame[q]!, o, o + size);
      q += 1;
    }
    o += size;
    if (header & 1) break;
  }
  return out;
}

interface Fzstd {
  decompress(data: Uint8Array): Uint8Array;
}

let fzstd: Fzstd | undefined;

function decompressWithLibrary(frame: Buffer): Buffer {
  const codec = zstdCodec();
  if (codec) return codec.decompress(frame);
  fzstd ??= createRequire(import.meta.url)("fzstd") as Fzstd;
  const out = fzstd.decompress(frame);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
