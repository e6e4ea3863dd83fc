/**
 * A JSON parser that keeps large integers exact: an integer beyond the safe range becomes a
 * bigint, where JSON.parse would round it. Used only for the elements that hold such a number
 * (the reader detects long digit runs), so its speed matters little.
 */

export class JsonSyntaxError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

export function parseJsonExact(text: string): unknown {
  const parser = new ExactParser(text);
  const value = parser.value();
  parser.skipSpace();
  if (parser.pos !== text.length) throw parser.error("unexpected text after the value");
  return value;
}

class ExactParser {
  pos = 0;
  constructor(private readonly text: string) {}

  error(message: string): JsonSyntaxError {
    return new JsonSyntaxError(`${message} at offset ${this.pos}`);
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  value(): unknown {
    this.skipSpace();
    const t = this.text;
    const c = t[this.pos];
    switch (c) {
      case "{":
        return this.object();
      case "[":
        return this.array();
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      default:
        return this.number();
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.error("unexpected token");
    this.pos += word.length;
    return value;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.error("unexpected token");
    this.pos = NUMBER.lastIndex;
    const token = match[0];
    const n = Number(token);
    if (match[1] === undefined && match[2] === undefined && !Number.isSafeInteger(n)) return BigInt(token);
    return n;
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    for (;;) {
      const c = t.charCodeAt(p);
      if (Number.isNaN(c)) throw this.error("unterminated string");
      if (c === 0x22) break;
      p += c === 0x5c ? 2 : 1;
    }
    this.pos = p + 1;
    // JSON.parse unescapes the literal (and rejects a malformed one).
    return JSON.parse(t.slice(start, this.pos)) as string;
  }

  private array(): unknown[] {
    this.pos++;
    const items: unknown[] = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === "]") return items;
      if (c !== ",") throw this.error("expected , or ]");
    }
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') throw this.error("expected a key");
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos++] !== ":") throw this.error("expected :");
      const value = this.value();
      if (key === "__proto__") {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = value;
      }
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === "}") return out;
      if (c !== ",") throw this.error("expected , or }");
    }
  }
}
