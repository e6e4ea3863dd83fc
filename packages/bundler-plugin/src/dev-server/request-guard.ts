import type { IncomingMessage } from "node:http";
import { END_REASONS, TRACE_ACTIONS, isValidTraceName, type EndReason, type TraceAction } from "@ctjs/runtime/dev-protocol";
import { HttpError } from "./http-replies.js";

/**
 * Only the page served by this dev server may post traces: a browser marks every POST with its
 * `Origin` (and `Sec-Fetch-Site`), and another site's page, or a DNS-rebound name, cannot make
 * them match this server's `Host`. Requests that carry neither header are refused too.
 */
export function checkSameOrigin(req: IncomingMessage): void {
  const host = req.headers.host?.toLowerCase();
  if (!host) throw new HttpError(403, "refused: the request has no Host header");
  const site = header(req, "sec-fetch-site");
  if (site !== undefined && site !== "same-origin") throw new HttpError(403, `refused: only same-origin requests are accepted (Sec-Fetch-Site: ${site})`);
  const origin = header(req, "origin");
  if (origin === undefined) {
    if (site === "same-origin") return;
    throw new HttpError(403, "refused: only same-origin browser requests are accepted (no Origin header)");
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new HttpError(403, `refused: Origin ${JSON.stringify(origin)} is not a URL`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.host !== host) {
    throw new HttpError(403, `refused: Origin ${origin} is not this server (${host})`);
  }
}

/** Reads the request body, refusing (413) anything over `limit` bytes, declared or actual. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, `request body larger than ${limit} bytes`, { connection: "close" });
  const declared = header(req, "content-length");
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // stop buffering; the 413 reply closes the connection, discarding the rest
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new HttpError(400, `could not read the request body (${error.message})`));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

export interface TraceRoute {
  name: string;
  action: TraceAction;
  query: URLSearchParams;
}

/** `trace/<name>/<action>?…` relative to the endpoint; the name is checked before anything touches the disk. */
export function parseTraceRoute(url: string): TraceRoute {
  const [pathPart = "", search = ""] = url.split("?", 2);
  const parts = pathPart.split("/").filter((part) => part !== "");
  if (parts.length !== 3 || parts[0] !== "trace") throw new HttpError(404, `no such endpoint: ${pathPart}`);
  let name: string;
  try {
    name = decodeURIComponent(parts[1]!);
  } catch {
    throw new HttpError(400, "the trace name is not valid URL encoding");
  }
  if (!isValidTraceName(name)) throw new HttpError(400, `invalid trace name ${JSON.stringify(name)} (expected [A-Za-z0-9._-]{1,100}, without "..")`);
  const action = parts[2] as TraceAction;
  if (!TRACE_ACTIONS.includes(action)) throw new HttpError(404, `no such trace action: ${parts[2]}`);
  return { name, action, query: new URLSearchParams(search) };
}

/** A non-negative integer query parameter. */
export function countParam(query: URLSearchParams, key: string): number {
  const text = query.get(key);
  if (text === null || !/^\d{1,9}$/.test(text)) throw new HttpError(400, `query parameter ${key} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

export function endReasonParam(query: URLSearchParams): EndReason {
  const reason = query.get("reason") ?? "stop";
  if (!(END_REASONS as readonly string[]).includes(reason)) throw new HttpError(400, `query parameter reason must be one of ${END_REASONS.join(", ")}, got ${JSON.stringify(reason)}`);
  return reason as EndReason;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
