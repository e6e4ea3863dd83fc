import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeBatch } from "@ctjs/runtime";
import type { StartRequest } from "@ctjs/runtime/dev-protocol";
import { HttpError, sendError, sendJson } from "./http-replies.js";
import { checkSameOrigin, countParam, endReasonParam, parseTraceRoute, readBody } from "./request-guard.js";
import type { TraceStore } from "./trace-store.js";

export interface EndpointHandlerOptions {
  /** Bodies over this many bytes are refused with 413. */
  maxRequestBytes: number;
  /** Where unexpected failures are reported (the Vite logger). */
  logError: (message: string) => void;
}

/**
 * The connect middleware under the endpoint's mount point (it sees URLs relative to it). Every
 * failure becomes a JSON `{ error }` reply: a bad request never throws out of the middleware.
 */
export function createEndpointHandler(store: TraceStore, options: EndpointHandlerOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res, store, options).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendError(res, error);
        return;
      }
      options.logError(`ctjs: trace endpoint failed on ${req.method ?? "?"} ${req.url ?? "?"}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      sendJson(res, 500, { error: `the dev server could not write the trace (${error instanceof Error ? error.message : String(error)})` });
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, store: TraceStore, options: EndpointHandlerOptions): Promise<void> {
  if (req.method !== "POST") throw new HttpError(405, `method ${req.method ?? "?"} not allowed; the trace endpoint takes POST`, { allow: "POST" });
  checkSameOrigin(req);
  const route = parseTraceRoute(req.url ?? "/");
  const body = await readBody(req, options.maxRequestBytes);
  switch (route.action) {
    case "start": {
      const started = store.start(route.name, parseStartRequest(body));
      sendJson(res, 201, started);
      return;
    }
    case "events": {
      const seq = countParam(route.query, "seq");
      const receipt = store.events(route.name, seq, decodeEvents(body));
      sendJson(res, 200, { trace: route.name, seq, receipt });
      return;
    }
    case "end": {
      const batches = countParam(route.query, "batches");
      const result = await store.end(route.name, batches, endReasonParam(route.query));
      if (result === undefined) sendJson(res, 202, { trace: route.name, pending: true });
      else sendJson(res, 200, result);
      return;
    }
  }
}

function decodeEvents(body: Buffer): unknown[] {
  if (body.length === 0) throw new HttpError(400, "empty event batch");
  try {
    return decodeBatch(body);
  } catch (error) {
    throw new HttpError(400, `the body is not a msgpack event batch (${error instanceof Error ? error.message : String(error)})`);
  }
}

function parseStartRequest(body: Buffer): StartRequest {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "the start request must be a JSON object");
  }
  const request = value as Partial<Record<keyof StartRequest, unknown>>;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new HttpError(400, "the start request must be a JSON object");
  const field = (key: keyof StartRequest, optional = false): string | undefined => {
    const v = request[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== "string" || v === "" || v.length > 4096) throw new HttpError(400, `start request field ${key} must be a non-empty string`);
    return v;
  };
  return { client: field("client")!, format: field("format", true), program: field("program")!, page: field("page")! };
}
