/**
 * A CBOR (RFC 8949) decoder for trace events. Integers come back as numbers, or as bigints when
 * beyond the safe integer range; text as strings; maps as plain objects (keys as text); arrays as
 * arrays. It also reads what other writers might put there (floats, byte strings, tags,
 * indefinite lengths) so that a trace can be inspected even when it breaks the format's rules.
 */

/** Thrown when the bytes end inside an item: more input may complete it. */
export class CborTruncatedError extends Error {
  constructor(offset: number) {
    super(`CBOR item truncated at offset ${offset}`);
    this.name = "CborTruncatedError";
  }
}

export class CborFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CborFormatError";
  }
}

const BREAK = Symbol("break");
const MAX_DEPTH = 2048;
const TWO_POW_32 = 4294967296;
/** Up to this many bytes, text is decoded by a loop when it is ASCII. */
const SHORT_TEXT = 32;

export class CborDecoder {
  private data: Buffer = Buffer.alloc(0);
  /** Offset of the next item. */
  pos = 0;
  private end = 0;

  /** Decodes items from `data[start .. end)`. */
  setInput(data: Buffer, start = 0, end = data.length): void {
    this.data = data;
    this.pos = start;
    this.end = end;
  }

  get hasMore(): boolean {
    return this.pos < this.end;
  }

  /** The next item; throws CborTruncatedError (leaving `pos` unchanged) if it is incomplete. */
  next(): unknown {
    const start = this.pos;
    try {
      const item = this.item(0);
      if (item === BREAK) throw new CborFormatError(`unexpected break code at offset ${start}`);
      return item;
    } catch (error) {
      this.pos = start;
      throw error;
    }
  }

  private need(count: number): void {
    if (this.pos + count > this.end) throw new CborTruncatedError(this.pos);
  }

  /** The argument of a head with additional info `info`, or -1 for an indefinite length. */
  private argument(info: number): number | bigint {
    if (info < 24) return info;
    const d = this.data;
    switch (info) {
      case 24:
        this.need(1);
        return d[this.pos++]!;
      case 25: {
        this.need(2);
        const v = (d[this.pos]! << 8) | d[this.pos + 1]!;
        this.pos += 2;
        return v;
      }
      case 26: {
        this.need(4);
        const v = d.readUInt32BE(this.pos);
        this.pos += 4;
        return v;
      }
      case 27: {
        this.need(8);
        const high = d.readUInt32BE(this.pos);
        const low = d.readUInt32BE(this.pos + 4);
        this.pos += 8;
        // Below 2^53 the number is exact.
        if (high < 0x200000) return high * TWO_POW_32 + low;
        return (BigInt(high) << 32n) | BigInt(low);
      }
      case 31:
        return -1;
      default:
        throw new CborFormatError(`reserved additional information ${info} at offset ${this.pos - 1}`);
    }
  }

  private length(info: number): number {
    const n = this.argument(info);
    if (typeof n === "bigint") throw new CborFormatError(`length ${n} at offset ${this.pos} is too large`);
    return n;
  }

  private item(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new CborFormatError(`items nested deeper than ${MAX_DEPTH} levels`);
    this.need(1);
    const initial = this.data[this.pos++]!;
    const major = initial >> 5;
    const info = initial & 31;
    switch (major) {
      case 0: {
        if (info === 31) throw new CborFormatError(`indefinite length on an integer at offset ${this.pos - 1}`);
        return this.argument(info);
      }
      case 1: {
        if (info === 31) throw new CborFormatError(`indefinite length on an integer at offset ${this.pos - 1}`);
        const n = this.argument(info);
        if (typeof n === "bigint") return -1n - n;
        // -1 - n is exact while n stays below 2^53 - 1.
        return n < Number.MAX_SAFE_INTEGER ? -1 - n : -1n - BigInt(n);
      }
      case 2:
        return this.bytes(info, depth);
      case 3:
        return this.text(info, depth);
      case 4:
        return this.array(info, depth);
      case 5:
        return this.map(info, depth);
      case 6:
        this.argument(info); // tags carry no meaning in a trace: the tagged item stands for itself
        return this.item(depth + 1);
      default:
        return this.simple(info);
    }
  }

  private bytes(info: number, depth: number): Uint8Array {
    if (info === 31) return Buffer.concat(this.chunks(2, depth) as Uint8Array[]);
    const n = this.length(info);
    this.need(n);
    const out = new Uint8Array(this.data.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  private text(info: number, depth: number): string {
    if (info === 31) return (this.chunks(3, depth) as string[]).join("");
    const n = this.length(info);
    this.need(n);
    const d = this.data;
    const start = this.pos;
    this.pos += n;
    if (n <= SHORT_TEXT) {
      let s = "";
      for (let i = start; i < start + n; i++) {
        const c = d[i]!;
        if (c >= 0x80) return d.toString("utf8", start, start + n);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return d.toString("utf8", start, start + n);
  }

  /** The chunks of an indefinite-length byte or text string. */
  private chunks(major: number, depth: number): unknown[] {
    const parts: unknown[] = [];
    for (;;) {
      this.need(1);
      if (this.data[this.pos] === 0xff) {
        this.pos++;
        return parts;
      }
      const initial = this.data[this.pos]!;
      if (initial >> 5 !== major || (initial & 31) === 31) {
        throw new CborFormatError(`bad chunk in an indefinite-length string at offset ${this.pos}`);
      }
      parts.push(this.item(depth + 1));
    }
  }

  private array(info: number, depth: number): unknown[] {
    const n = this.length(info);
    if (n === -1) {
      const items: unknown[] = [];
      for (;;) {
        const item = this.item(depth + 1);
        if (item === BREAK) return items;
        items.push(item);
      }
    }
    // Every item takes at least one byte: a bogus huge count fails here, not in the allocation.
    this.need(n);
    const items = new Array<unknown>(n);
    for (let i = 0; i < n; i++) items[i] = this.item(depth + 1);
    return items;
  }

  private map(info: number, depth: number): Record<string, unknown> {
    const n = this.length(info);
    const out: Record<string, unknown> = {};
    for (let i = 0; n === -1 || i < n; i++) {
      const key = this.item(depth + 1);
      if (key === BREAK) {
        if (n === -1) return out;
        throw new CborFormatError(`unexpected break code at offset ${this.pos - 1}`);
      }
      const value = this.item(depth + 1);
      if (value === BREAK) throw new CborFormatError(`map key without a value at offset ${this.pos - 1}`);
      const name = typeof key === "string" ? key : String(key);
      if (name === "__proto__") {
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      } else {
        out[name] = value;
      }
    }
    return out;
  }

  private simple(info: number): unknown {
    const d = this.data;
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 24:
        this.need(1);
        this.pos++;
        return undefined;
      case 25: {
        this.need(2);
        const v = halfToNumber((d[this.pos]! << 8) | d[this.pos + 1]!);
        this.pos += 2;
        return v;
      }
      case 26: {
        this.need(4);
        const v = d.readFloatBE(this.pos);
        this.pos += 4;
        return v;
      }
      case 27: {
        this.need(8);
        const v = d.readDoubleBE(this.pos);
        this.pos += 8;
        return v;
      }
      case 31:
        return BREAK;
      default:
        if (info < 20) return undefined;
        throw new CborFormatError(`reserved simple value ${info} at offset ${this.pos - 1}`);
    }
  }
}

function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** All items of a complete CBOR sequence. */
export function decodeCborSequence(bytes: Uint8Array): unknown[] {
  const decoder = new CborDecoder();
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  decoder.setInput(data);
  const items: unknown[] = [];
  while (decoder.hasMore) items.push(decoder.next());
  return items;
}
