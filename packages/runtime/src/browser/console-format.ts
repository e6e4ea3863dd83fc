/**
 * Console arguments as one line of text, the way a terminal would show them, without running the
 * program's code: values are read through own data properties only (no getters, toString,
 * toJSON or iterators), and output is bounded. printf-style directives in a leading string are
 * applied (%s %d %i %f %o %O %j %c %%).
 */

const getOwn = Object.getOwnPropertyDescriptor;
const getProto = Object.getPrototypeOf;
const ownKeys = Reflect.ownKeys;
const isArray = Array.isArray;
const symbolDescription = getOwn(Symbol.prototype, "description")!.get!;

const MAX_DEPTH = 2;
const MAX_ITEMS = 20;
const MAX_TEXT = 64 * 1024;

export function formatConsoleArgs(args: readonly unknown[]): string {
  let text = "";
  let rest = 0;
  const first = args[0];
  if (typeof first === "string" && first.includes("%")) {
    const applied = applyDirectives(first, args);
    text = applied.text;
    rest = applied.consumed;
  }
  const parts: string[] = text === "" && rest === 0 ? [] : [text];
  for (let i = rest; i < args.length; i++) {
    const value = args[i];
    parts.push(typeof value === "string" ? value : inspect(value, 0));
  }
  const line = parts.join(" ");
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}… (${line.length} chars)` : line;
}

function applyDirectives(format: string, args: readonly unknown[]): { text: string; consumed: number } {
  let next = 1;
  const text = format.replace(/%[sdifoOjc%]/g, (directive) => {
    if (directive === "%%") return "%";
    if (next >= args.length) return directive;
    const value = args[next++];
    switch (directive) {
      case "%s":
        return typeof value === "string" ? value : inspect(value, 1);
      case "%d":
      case "%i": {
        const n = typeof value === "number" ? value : typeof value === "bigint" ? value : NaN;
        return typeof n === "bigint" ? `${n}n` : String(directive === "%i" ? Math.trunc(n) : n);
      }
      case "%f":
        return String(typeof value === "number" ? value : NaN);
      case "%c":
        return "";
      default:
        return inspect(value, 0);
    }
  });
  return { text, consumed: next };
}

function inspect(value: unknown, depth: number): string {
  switch (typeof value) {
    case "string":
      return depth === 0 ? `'${value}'` : value;
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return `Symbol(${String(Reflect.apply(symbolDescription, value, []) ?? "")})`;
    case "function": {
      const name = dataValue(value, "name");
      return typeof name === "string" && name !== "" ? `[Function: ${name}]` : "[Function (anonymous)]";
    }
  }
  if (value === null) return "null";
  return inspectObject(value as object, depth);
}

function inspectObject(object: object, depth: number): string {
  try {
    const name = dataValue(object, "name");
    const message = dataValue(object, "message");
    if (typeof message === "string" && object instanceof Error) return `${typeof name === "string" ? name : className(object)}: ${message}`;
    if (isArray(object)) {
      if (depth >= MAX_DEPTH) return "[Array]";
      const items: string[] = [];
      const length = object.length;
      for (let i = 0; i < length && i < MAX_ITEMS; i++) items.push(quoted(dataValue(object, String(i)), depth + 1));
      if (length > MAX_ITEMS) items.push(`… ${length - MAX_ITEMS} more items`);
      return `[ ${items.join(", ")} ]`;
    }
    const label = className(object);
    if (depth >= MAX_DEPTH) return `[${label}]`;
    const entries: string[] = [];
    let count = 0;
    for (const key of ownKeys(object)) {
      const descriptor = getOwn(object, key);
      if (descriptor === undefined || !descriptor.enumerable) continue;
      if (count++ >= MAX_ITEMS) {
        entries.push("…");
        break;
      }
      const shownKey = typeof key === "symbol" ? `[${inspect(key, 1)}]` : key;
      entries.push(`${shownKey}: ${"value" in descriptor ? quoted(descriptor.value, depth + 1) : "[Getter]"}`);
    }
    const body = entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
    return label === "Object" ? body : `${label} ${body}`;
  } catch {
    // a revoked proxy, or one whose traps throw
    return "[object]";
  }
}

/** Strings nested in containers are quoted, as terminals show them. */
function quoted(value: unknown, depth: number): string {
  return typeof value === "string" ? `'${value}'` : inspect(value, depth);
}

function dataValue(object: object, key: PropertyKey): unknown {
  const descriptor = getOwn(object, key);
  return descriptor !== undefined && "value" in descriptor ? descriptor.value : undefined;
}

function className(object: object): string {
  const proto = getProto(object) as object | null;
  if (proto === null) return "[Object: null prototype]";
  const ctor = dataValue(proto, "constructor");
  const name = typeof ctor === "function" ? dataValue(ctor, "name") : undefined;
  return typeof name === "string" && name !== "" ? name : "Object";
}
