/**
 * A small CBOR (RFC 8949) encoder writing straight into one growable byte buffer, made for the
 * binary trace writer's hot path: no allocation per item, cached encodings of map keys.
 *
 * What the CodeTracer reader accepts shapes the choices: integers are CBOR integers (numbers and
 * bigints up to 64 bits), text is always a text string (lone surrogates become U+FFFD, as the UTF-8
 * encoder replaces them), and there are no tags and no CBOR floats. A number that is not an integer
 * is written as its decimal text, since floats in a trace are text.
 */

const MAJOR_UNSIGNED = 0x00;
const MAJOR_NEGATIVE = 0x20;
const MAJOR_TEXT = 0x60;
const MAJOR_ARRAY = 0x80;
const MAJOR_MAP = 0xa0;
const SIMPLE_FALSE = 0xf4;
const SIMPLE_TRUE = 0xf5;
const SIMPLE_NULL = 0xf6;

const TWO_POW_32 = 4294967296;
const U64_MAX = 0xffff_ffff_ffff_ffffn;
/** Up to here the ASCII fast path of `writeText` is tried (longer text goes through Buffer.write). */
const SHORT_TEXT = 64;

/** Initial capacity; a buffer that grew past `keepCapacity` for a huge batch is dropped on reset. */
const DEFAULT_CAPACITY = 64 * 1024;

export class CborEncoder {
  /** Encoded bytes are `bytes[0 .. length)`; the buffer is replaced when it grows. */
  bytes: Buffer;
  length = 0;
  private readonly initialCapacity: number;
  private readonly keepCapacity: number;
  private readonly keyCache = new Map<string, Uint8Array>();

  constructor(initialCapacity = DEFAULT_CAPACITY, keepCapacity = Math.max(initialCapacity, 16 * 1024 * 1024)) {
    this.initialCapacity = Math.max(64, initialCapacity);
    this.keepCapacity = keepCapacity;
    this.bytes = Buffer.allocUnsafe(this.initialCapacity);
  }

  /** Forgets the encoded bytes; memory stays bounded because an oversized buffer is released. */
  reset(): void {
    this.length = 0;
    if (this.bytes.length > this.keepCapacity) this.bytes = Buffer.allocUnsafe(this.initialCapacity);
  }

  /** The encoded bytes as a view (valid until the next write or reset). */
  view(start = 0, end = this.length): Buffer {
    return this.bytes.subarray(start, end);
  }

  /** A copy of the encoded bytes. */
  toBytes(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.bytes, 0, this.length);
  }

  ensure(extra: number): void {
    if (this.length + extra > this.bytes.length) this.grow(extra);
  }

  private grow(extra: number): void {
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const bigger = Buffer.allocUnsafe(capacity);
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }

  /** An item head: major type and its argument, a non-negative integer below 2^64. */
  writeHead(major: number, argument: number): void {
    if (this.length + 9 > this.bytes.length) this.grow(9);
    const b = this.bytes;
    let p = this.length;
    // Uint8Array stores keep the low 8 bits, so the shifts need no masks.
    if (argument < 24) {
      b[p++] = major | argument;
    } else if (argument < 0x100) {
      b[p++] = major | 24;
      b[p++] = argument;
    } else if (argument < 0x10000) {
      b[p++] = major | 25;
      b[p++] = argument >>> 8;
      b[p++] = argument;
    } else if (argument < TWO_POW_32) {
      b[p++] = major | 26;
      b[p++] = argument >>> 24;
      b[p++] = argument >>> 16;
      b[p++] = argument >>> 8;
      b[p++] = argument;
    } else {
      // Exact for every integer-valued double: dividing by 2^32 and multiplying back lose nothing.
      const high = Math.floor(argument / TWO_POW_32);
      const low = argument - high * TWO_POW_32;
      b[p++] = major | 27;
      b[p++] = high >>> 24;
      b[p++] = high >>> 16;
      b[p++] = high >>> 8;
      b[p++] = high;
      b[p++] = low >>> 24;
      b[p++] = low >>> 16;
      b[p++] = low >>> 8;
      b[p++] = low;
    }
    this.length = p;
  }

  writeArrayHead(count: number): void {
    this.writeHead(MAJOR_ARRAY, count);
  }

  writeMapHead(count: number): void {
    this.writeHead(MAJOR_MAP, count);
  }

  /** A number: integers as CBOR integers, anything else as its text (there are no CBOR floats). */
  writeNumber(n: number): void {
    if (Number.isSafeInteger(n)) {
      if (n >= 0) this.writeHead(MAJOR_UNSIGNED, n);
      else this.writeHead(MAJOR_NEGATIVE, -1 - n);
    } else if (Number.isInteger(n)) {
      // Beyond 2^53 `-1 - n` is not exact in doubles; bigint arithmetic is.
      this.writeBigInt(BigInt(n));
    } else {
      this.writeText(String(n));
    }
  }

  /** A bigint as a CBOR integer; one that does not fit 64 bits is written as its decimal text. */
  writeBigInt(n: bigint): void {
    const negative = n < 0n;
    const argument = negative ? -1n - n : n;
    if (argument > U64_MAX) {
      this.writeText(n.toString());
      return;
    }
    if (argument < 0x1_0000_0000n) {
      this.writeHead(negative ? MAJOR_NEGATIVE : MAJOR_UNSIGNED, Number(argument));
      return;
    }
    if (this.length + 9 > this.bytes.length) this.grow(9);
    this.bytes[this.length] = (negative ? MAJOR_NEGATIVE : MAJOR_UNSIGNED) | 27;
    this.bytes.writeBigUInt64BE(argument, this.length + 1);
    this.length += 9;
  }

  writeBoolean(b: boolean): void {
    this.writeByte(b ? SIMPLE_TRUE : SIMPLE_FALSE);
  }

  writeNull(): void {
    this.writeByte(SIMPLE_NULL);
  }

  writeByte(byte: number): void {
    if (this.length >= this.bytes.length) this.grow(1);
    this.bytes[this.length++] = byte;
  }

  /** Copies already encoded CBOR (a cached key, a constant event prefix). */
  writeEncoded(encoded: Uint8Array): void {
    const n = encoded.length;
    if (this.length + n > this.bytes.length) this.grow(n);
    const b = this.bytes;
    let p = this.length;
    if (n <= 32) {
      for (let i = 0; i < n; i++) b[p++] = encoded[i]!;
    } else {
      b.set(encoded, p);
      p += n;
    }
    this.length = p;
  }

  /** A text string, UTF-8 encoded; lone surrogates become U+FFFD. */
  writeText(s: string): void {
    const n = s.length;
    // Worst case: a 9-byte head and 3 bytes per UTF-16 unit.
    if (this.length + 9 + 3 * n > this.bytes.length) this.grow(9 + 3 * n);
    if (n > SHORT_TEXT) this.writeUtf8Text(s, n);
    else if (!this.writeAsciiText(s, n)) this.writeShortUtf8Text(s, n);
  }

  /** Writes `s` if it is all ASCII (byte length = string length); false, writing nothing, if not. */
  private writeAsciiText(s: string, n: number): boolean {
    const b = this.bytes;
    const start = this.length;
    let p = start;
    if (n < 24) {
      b[p++] = MAJOR_TEXT | n;
    } else {
      b[p++] = MAJOR_TEXT | 24;
      b[p++] = n;
    }
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      b[p++] = c;
    }
    this.length = p;
    return true;
  }

  /**
   * A short text with non-ASCII characters, UTF-8 encoded by hand: Buffer.write costs more than
   * the encoding itself at these lengths (the "…" of every summarized object, accented names).
   */
  private writeShortUtf8Text(s: string, n: number): void {
    const b = this.bytes;
    const start = this.length;
    // at most 3 bytes per unit: below 24 bytes the head takes one byte, else two (n <= SHORT_TEXT)
    const reserved = 3 * n < 24 ? 1 : 2;
    let p = start + reserved;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        b[p++] = c;
      } else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      } else {
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const codePoint = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          b[p++] = 0xf0 | (codePoint >> 18);
          b[p++] = 0x80 | ((codePoint >> 12) & 0x3f);
          b[p++] = 0x80 | ((codePoint >> 6) & 0x3f);
          b[p++] = 0x80 | (codePoint & 0x3f);
          i++;
        } else {
          // a lone surrogate becomes U+FFFD, as the UTF-8 encoder of Buffer.write does
          b[p++] = 0xef;
          b[p++] = 0xbf;
          b[p++] = 0xbd;
        }
      }
    }
    const byteLength = p - start - reserved;
    if (byteLength >= 24) {
      b[start] = MAJOR_TEXT | 24;
      b[start + 1] = byteLength;
    } else {
      if (reserved === 2) {
        b.copyWithin(start + 1, start + 2, p);
        p--;
      }
      b[start] = MAJOR_TEXT | byteLength;
    }
    this.length = p;
  }

  private writeUtf8Text(s: string, n: number): void {
    // Encode after room for the head that the largest possible byte length needs, then move the
    // bytes back if the real length takes a shorter head.
    const reserved = headSize(3 * n);
    const start = this.length;
    const written = this.bytes.write(s, start + reserved, "utf8");
    const actual = headSize(written);
    if (actual !== reserved) this.bytes.copy(this.bytes, start + actual, start + reserved, start + reserved + written);
    // The room reserved by writeText covers the head, so writeHead cannot grow (and drop) the text.
    this.length = start;
    this.writeHead(MAJOR_TEXT, written);
    this.length = start + actual + written;
  }

  /** A map key (or any short constant text), encoded once and then copied from a cache. */
  writeKey(key: string): void {
    let encoded = this.keyCache.get(key);
    if (encoded === undefined) {
      encoded = encodeText(key);
      if (this.keyCache.size < 4096) this.keyCache.set(key, encoded);
    }
    this.writeEncoded(encoded);
  }

  /**
   * Any JSON-like value: objects as maps with text keys (entries whose value is undefined or a
   * function are skipped, as JSON.stringify does), arrays, strings, numbers, bigints, booleans, null.
   */
  writeValue(value: unknown): void {
    switch (typeof value) {
      case "number":
        this.writeNumber(value);
        return;
      case "string":
        this.writeText(value);
        return;
      case "bigint":
        this.writeBigInt(value);
        return;
      case "boolean":
        this.writeBoolean(value);
        return;
      case "object":
        if (value === null) this.writeNull();
        else if (Array.isArray(value)) this.writeArray(value);
        else this.writeObject(value as Record<string, unknown>);
        return;
      default:
        this.writeNull();
    }
  }

  private writeArray(items: readonly unknown[]): void {
    this.writeArrayHead(items.length);
    for (let i = 0; i < items.length; i++) this.writeValue(items[i]);
  }

  private writeObject(record: Record<string, unknown>): void {
    let count = 0;
    for (const key in record) if (isEncodable(record[key])) count++;
    this.writeMapHead(count);
    for (const key in record) {
      const item = record[key];
      if (!isEncodable(item)) continue;
      this.writeKey(key);
      this.writeValue(item);
    }
  }
}

function isEncodable(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/** Bytes of the head for an argument (1, 2, 3, 5 or 9). */
function headSize(argument: number): number {
  if (argument < 24) return 1;
  if (argument < 0x100) return 2;
  if (argument < 0x10000) return 3;
  if (argument < TWO_POW_32) return 5;
  return 9;
}

/** One text string as standalone CBOR bytes. */
export function encodeText(s: string): Uint8Array {
  const encoder = new CborEncoder(16 + 3 * s.length);
  encoder.writeText(s);
  return encoder.toBytes();
}

/** Concatenated CBOR of a sequence of parts, for constant prefixes built once at load time. */
export function encodeSequence(build: (encoder: CborEncoder) => void): Uint8Array {
  const encoder = new CborEncoder(256);
  build(encoder);
  return encoder.toBytes();
}
