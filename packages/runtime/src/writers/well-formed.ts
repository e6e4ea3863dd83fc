/**
 * Lone UTF-16 surrogates: JavaScript strings may hold them, UTF-8 cannot, and the CodeTracer reader
 * rejects them. Every string that reaches a trace is made well formed by replacing each lone
 * surrogate with U+FFFD, the same replacement UTF-8 encoders (Buffer, TextEncoder) apply.
 */

/** `String.prototype.isWellFormed` / `toWellFormed` exist on Node 20 but not in the ES2023 lib. */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

export function isWellFormedString(s: string): boolean {
  return (s as unknown as WellFormedString).isWellFormed();
}

/** The string with every lone surrogate replaced by U+FFFD (the same string when there is none). */
export function toWellFormedString(s: string): string {
  const w = s as unknown as WellFormedString;
  return w.isWellFormed() ? s : w.toWellFormed();
}

/**
 * A copy of `value` in which every string (object keys included) is well formed. Objects and arrays
 * are copied only along the paths that needed a change, so a clean value comes back as itself.
 */
export function withWellFormedStrings<T>(value: T): T {
  return sanitize(value) as T;
}

function sanitize(value: unknown): unknown {
  if (typeof value === "string") return toWellFormedString(value);
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = sanitize(item);
      if (clean !== item) {
        copy ??= value.slice();
        copy[i] = clean;
      }
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in record) {
    const item = record[key];
    const clean = sanitize(item);
    const cleanKey = toWellFormedString(key);
    if (clean !== item || cleanKey !== key) {
      copy ??= copyOwnEntries(record);
      if (cleanKey !== key) delete copy[key];
      defineEntry(copy, cleanKey, clean);
    }
  }
  return copy ?? value;
}

function copyOwnEntries(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in record) defineEntry(copy, key, record[key]);
  return copy;
}

/** Plain assignment of "__proto__" would replace the prototype instead of adding a key. */
function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
