/**
 * What the dev-server tests post: a small, well-formed event stream of one instrumented file,
 * split into batches the way the browser runtime sends them, and a plain HTTP client that sets
 * the headers a browser would (or would not).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer as createNetServer } from "node:net";
import path from "node:path";
import type { TraceEvent } from "@ctjs/runtime";

export const APP_SOURCE = "export function double(x) {\n  const y = x * 2;\n  return y;\n}\ndouble(1);\n";

/** A Vite root with an index.html and the source the sample stream records. */
export function writeAppRoot(root: string): string {
  mkdirSync(path.join(root, "src"), { recursive: true });
  writeFileSync(path.join(root, "index.html"), '<!doctype html>\n<html><head></head><body><script type="module" src="/src/app.js"></script></body></html>\n');
  const source = path.join(root, "src/app.js");
  writeFileSync(source, APP_SOURCE);
  return source;
}

/**
 * `<toplevel>` calling double(1), which prints and returns 2, as three batches. Every call is
 * closed, so the stream is a complete trace.
 */
export function sampleBatches(source: string): TraceEvent[][] {
  const int = (i: number) => ({ kind: "Int" as const, i, type_id: 0 });
  return [
    [
      { Type: { kind: 7, lang_type: "number", specific_info: { kind: "None" } } },
      { Type: { kind: 30, lang_type: "undefined", specific_info: { kind: "None" } } },
      { Path: source },
      { Function: { path_id: 0, line: 1, name: "<toplevel>" } },
      { Call: { function_id: 0, args: [] } },
      { Step: { path_id: 0, line: 5 } },
      { Function: { path_id: 0, line: 1, name: "double" } },
      { VariableName: "x" },
      { Step: { path_id: 0, line: 1 } },
      { Call: { function_id: 1, args: [{ variable_id: 0, value: int(1) }] } },
    ],
    [
      { Step: { path_id: 0, line: 2 } },
      { VariableName: "y" },
      { Value: { variable_id: 1, value: int(2) } },
      { Event: { kind: 0, metadata: "", content: "doubled\n" } },
      { Step: { path_id: 0, line: 3 } },
    ],
    [{ Return: { return_value: int(2) } }, { Return: { return_value: { kind: "None", type_id: 1 } } }],
  ];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface Reply {
  status: number;
  body: string;
  json: Record<string, unknown>;
}

export interface PostOptions {
  headers?: Record<string, string>;
  /** Send the body in chunks without a Content-Length (as a stream would). */
  chunked?: boolean;
  method?: string;
}

/** One HTTP request to the dev server, headers exactly as given (node's fetch would add its own). */
export function send(base: string, urlPath: string, body: Uint8Array | string = "", options: PostOptions = {}): Promise<Reply> {
  // the path goes out as written: a URL object would resolve "..", as browsers do
  const { hostname, port } = new URL(base);
  const bytes = typeof body === "string" ? Buffer.from(body) : Buffer.from(body);
  const headers: Record<string, string> = { ...options.headers };
  if (!options.chunked) headers["content-length"] = String(bytes.length);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: urlPath, method: options.method ?? "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not every reply is JSON (index.html)
        }
        resolve({ status: res.statusCode ?? 0, body: text, json });
      });
    });
    // the server may answer (413) and close before the whole body is out
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
    if (options.chunked) {
      const piece = 16 * 1024;
      for (let at = 0; at < bytes.length; at += piece) req.write(bytes.subarray(at, at + piece));
      req.end();
    } else {
      req.end(bytes);
    }
  });
}

/** Headers of a same-origin fetch from the page served at `base`. */
export function sameOrigin(base: string): Record<string, string> {
  return { origin: new URL(base).origin, "sec-fetch-site": "same-origin" };
}
