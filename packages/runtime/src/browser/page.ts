/**
 * The few browser globals the browser runtime uses, typed here so the package keeps compiling
 * against node's types only, and captured when this module loads so that an app wrapping
 * `fetch` or the timers (instrumented code) never sees, or records, the recorder's own calls.
 */

interface EventTargetLike {
  addEventListener(type: string, listener: (event: unknown) => void, options?: { capture?: boolean }): void;
  removeEventListener(type: string, listener: (event: unknown) => void, options?: { capture?: boolean }): void;
}

export interface DocumentLike extends EventTargetLike {
  readonly visibilityState: string;
}

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

interface PageGlobals extends EventTargetLike {
  document?: DocumentLike;
  location?: { readonly href: string; readonly pathname: string };
  navigator?: { sendBeacon?(url: string, data?: Blob | ArrayBufferView | string): boolean; readonly userAgent?: string };
  sessionStorage?: StorageLike;
  crypto?: { getRandomValues<T extends ArrayBufferView>(array: T): T };
  fetch?: typeof fetch;
}

const page = globalThis as unknown as Partial<PageGlobals>;

const nativeFetch = typeof page.fetch === "function" ? page.fetch.bind(globalThis) : undefined;
const nativeSetTimeout = globalThis.setTimeout.bind(globalThis);
const nativeClearTimeout = globalThis.clearTimeout.bind(globalThis);
const nativeSendBeacon = page.navigator && typeof page.navigator.sendBeacon === "function" ? page.navigator.sendBeacon.bind(page.navigator) : undefined;

export function pageFetch(url: string, init: RequestInit & { keepalive?: boolean }): Promise<Response> {
  if (nativeFetch === undefined) return Promise.reject(new TypeError("fetch is not available"));
  return nativeFetch(url, init);
}

/** navigator.sendBeacon, or false when the browser has none (or refused the beacon). */
export function pageSendBeacon(url: string, body: Uint8Array | string): boolean {
  if (nativeSendBeacon === undefined) return false;
  try {
    return nativeSendBeacon(url, typeof body === "string" ? body : new Blob([body as Uint8Array<ArrayBuffer>]));
  } catch {
    return false;
  }
}

export function pageSetTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  return nativeSetTimeout(fn, ms);
}

export function pageClearTimeout(handle: ReturnType<typeof setTimeout>): void {
  nativeClearTimeout(handle);
}

export function pageDocument(): DocumentLike | undefined {
  return page.document;
}

/** The window (or worker global) as an event target, when there is one. */
export function pageEvents(): EventTargetLike | undefined {
  return typeof page.addEventListener === "function" ? (globalThis as unknown as EventTargetLike) : undefined;
}

export function pageLocation(): { href: string; pathname: string } {
  return page.location ?? { href: "about:blank", pathname: "/" };
}

export function pageSessionStorage(): StorageLike | undefined {
  try {
    return page.sessionStorage ?? undefined;
  } catch {
    // storage access throws in sandboxed frames and with storage disabled
    return undefined;
  }
}

/** Hex digits from the browser's random generator (available outside secure contexts too). */
export function randomHex(bytes: number): string {
  const data = new Uint8Array(bytes);
  if (page.crypto?.getRandomValues) page.crypto.getRandomValues(data);
  else for (let i = 0; i < bytes; i++) data[i] = Math.floor(Math.random() * 256);
  let out = "";
  for (const byte of data) out += byte.toString(16).padStart(2, "0");
  return out;
}
