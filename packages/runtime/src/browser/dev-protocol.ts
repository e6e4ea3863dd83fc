/**
 * The protocol between browser code recording a trace and the Vite dev server writing it to disk.
 * Both sides import this module (the server through `@ctjs/runtime/dev-protocol`), so routes,
 * names and limits cannot drift apart. Everything here is plain data: no DOM, no node.
 *
 * Under the endpoint (default `/__ctjs/`, same origin), for a trace named NAME:
 *   POST trace/NAME/start               JSON StartRequest: opens the trace directory
 *   POST trace/NAME/events?seq=N        msgpack event batch number N (0, 1, 2 …)
 *   POST trace/NAME/end?batches=N&reason=stop|unload
 *                                       no more batches after N-1; the server finalises the trace
 * Batches may arrive out of order or twice (a resend at unload); the server writes them in
 * sequence order exactly once.
 */

/** Where the page finds the dev-server settings the plugin injects into index.html. */
export const DEV_SERVER_CONFIG_KEY = "ctjs.devServer";

export const DEFAULT_ENDPOINT = "/__ctjs/";

/** What the plugin injects (all optional: the runtime falls back to same-origin defaults). */
export interface DevServerConfig {
  /** Absolute URL path of the endpoint, ending in "/". */
  endpoint?: string;
  /** Absolute path of the Vite root on the server's disk: names the page's `<toplevel>` file. */
  root?: string;
  /** The plugin's configured trace format. */
  format?: string;
}

export const TRACE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/** A trace name is one directory below the trace root: no separators, never "." or "..". */
export function isValidTraceName(name: unknown): name is string {
  return typeof name === "string" && TRACE_NAME_PATTERN.test(name) && !name.includes("..") && name !== ".";
}

export type TraceAction = "start" | "events" | "end";
export const TRACE_ACTIONS: readonly TraceAction[] = ["start", "events", "end"];

export type EndReason = "stop" | "unload";
export const END_REASONS: readonly EndReason[] = ["stop", "unload"];

/** The URL of one action, relative to the origin. */
export function traceUrl(endpoint: string, name: string, action: TraceAction, query: Record<string, string | number> = {}): string {
  const base = endpoint.endsWith("/") ? endpoint : `${endpoint}/`;
  const search = Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join("&");
  return `${base}trace/${encodeURIComponent(name)}/${action}${search ? `?${search}` : ""}`;
}

export interface StartRequest {
  /** Identifies the browser tab across reloads: a new recording from it finalises its older ones. */
  client: string;
  /** "json" or "binary"; the plugin's format when absent. */
  format?: string;
  /** The file the `<toplevel>` call is attributed to (written to the metadata as the program). */
  program: string;
  /** The page's URL. */
  page: string;
}

export interface StartResponse {
  trace: string;
  dir: string;
  format: string;
}

/** What the server answers to `end`: where the trace is and whether every batch made it. */
export interface TraceResult {
  trace: string;
  dir: string;
  format: string;
  events: number;
  /** False when batches were missing and the server closed the open calls itself. */
  complete: boolean;
  endedBy: string;
  /** Why the server could not finish writing the trace, if it could not. */
  error?: string;
}

export interface ErrorResponse {
  error: string;
}

/** Requests larger than this are refused with 413 unless the plugin configures another limit. */
export const DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/**
 * Browsers cap the bodies of `keepalive` requests (the ones that survive unload) at 64 KiB in
 * flight; batches sent while the page goes away are cut below this.
 */
export const KEEPALIVE_BODY_BYTES = 60 * 1024;
