/**
 * The trace endpoint over HTTP, in a real Vite dev server: same-origin pages write traces; other
 * origins, oversized bodies, bad trace names and garbage payloads get a 4xx JSON error, nothing
 * is written for them, and the server goes on serving.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeBatch } from "@ctjs/runtime";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateTrace } from "../../../test/helpers/differential.js";
import { traceEndpointPlugin } from "../src/dev-server/vite-endpoint.js";
import { resolveBundlerOptions } from "../src/options.js";
import { APP_SOURCE, freePort, sameOrigin, sampleBatches, send, writeAppRoot } from "./dev-server-fixtures.js";

const LIMIT = 64 * 1024;
const scratch = mkdtempSync(path.join(tmpdir(), "ctjs-dev-endpoint-"));
const appRoot = path.join(scratch, "app");
const traceRoot = path.join(scratch, "traces");
const source = writeAppRoot(appRoot);
let server: ViteDevServer;
let base = "";

beforeAll(async () => {
  server = await createServer({
    root: appRoot,
    configFile: false,
    plugins: [traceEndpointPlugin(resolveBundlerOptions({ traceDir: traceRoot, format: "json" }), { maxRequestBytes: LIMIT, endGraceMs: 200 })],
    server: { host: "127.0.0.1", port: await freePort(), strictPort: true },
    logLevel: "silent",
  });
  await server.listen();
  base = server.resolvedUrls!.local[0]!;
});

afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const startBody = (client = "c0ffee") => JSON.stringify({ client, program: path.join(appRoot, "index.html"), page: base });

/** Records the sample stream under `name` and returns the server's account of it. */
async function recordSample(name: string): Promise<Record<string, unknown>> {
  const headers = sameOrigin(base);
  expect((await send(base, `/__ctjs/trace/${name}/start`, startBody(), { headers })).status).toBe(201);
  const batches = sampleBatches(source);
  for (const [seq, batch] of batches.entries()) {
    const reply = await send(base, `/__ctjs/trace/${name}/events?seq=${seq}`, encodeBatch(batch), { headers });
    expect(reply.status, reply.body).toBe(200);
  }
  const end = await send(base, `/__ctjs/trace/${name}/end?batches=${batches.length}&reason=stop`, "", { headers });
  expect(end.status, end.body).toBe(200);
  return end.json;
}

function tracesWritten(): string[] {
  return existsSync(traceRoot) ? readdirSync(traceRoot).sort() : [];
}

describe("dev-server trace endpoint", () => {
  it("writes a complete trace, with sidecars and source copies, from same-origin requests", async () => {
    const result = await recordSample("sample-1");
    const dir = path.join(traceRoot, "sample-1");
    expect(result).toMatchObject({ trace: "sample-1", dir, format: "json", complete: true, endedBy: "stop", events: 17 });
    const validation = validateTrace(dir);
    expect(validation.ok, validation.output).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, "trace_paths.json"), "utf8"))).toEqual([source]);
    expect(readFileSync(path.join(dir, "files", source), "utf8")).toBe(APP_SOURCE);
    const metadata = JSON.parse(readFileSync(path.join(dir, "trace_metadata.json"), "utf8")) as Record<string, unknown>;
    expect(metadata).toMatchObject({ program: path.join(appRoot, "index.html"), workdir: appRoot, args: [], recorder: "ctjs", complete: true, events: 17 });
    expect(metadata.recording_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("tells the page where the endpoint is and which root it serves", async () => {
    const page = await send(base, "/", "", { method: "GET" });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`globalThis[Symbol.for("ctjs.devServer")] = {"endpoint":"/__ctjs/","root":${JSON.stringify(appRoot)},"format":"json"}`);
  });

  it.each([
    ["another origin", { origin: "http://evil.example", "sec-fetch-site": "cross-site" }],
    ["another port of the same host", { origin: "http://127.0.0.1:1" }],
    ["a cross-site fetch without Origin", { "sec-fetch-site": "cross-site" }],
    ["a same-site subdomain", { origin: "http://127.0.0.1", "sec-fetch-site": "same-site" }],
    ["an opaque origin", { origin: "null" }],
    ["no Origin and no Sec-Fetch-Site", {}],
  ])("refuses %s with 403 and writes nothing", async (_what, headers) => {
    const before = tracesWritten();
    const reply = await send(base, "/__ctjs/trace/cross-origin/start", startBody(), { headers });
    expect(reply.status).toBe(403);
    expect(reply.json.error).toMatch(/^refused: /);
    const events = await send(base, "/__ctjs/trace/sample-1/events?seq=9", encodeBatch(sampleBatches(source)[0]!), { headers });
    expect(events.status).toBe(403);
    expect(tracesWritten()).toEqual(before);
  });

  it("refuses bodies over the size limit with 413, declared or streamed", async () => {
    const headers = sameOrigin(base);
    expect((await send(base, "/__ctjs/trace/big/start", startBody(), { headers })).status).toBe(201);
    const huge = new Uint8Array(LIMIT + 1);
    const declared = await send(base, "/__ctjs/trace/big/events?seq=0", huge, { headers });
    expect(declared.status).toBe(413);
    expect(declared.json.error).toContain(`larger than ${LIMIT} bytes`);
    const streamed = await send(base, "/__ctjs/trace/big/events?seq=0", new Uint8Array(4 * LIMIT), { headers, chunked: true });
    expect(streamed.status).toBe(413);
    // nothing of it reached the trace, which still takes its batches
    const batch = await send(base, "/__ctjs/trace/big/events?seq=0", encodeBatch(sampleBatches(source)[0]!), { headers });
    expect(batch.json).toMatchObject({ receipt: "written" });
  });

  it.each(["..", "%2e%2e", "a..b", "..%2Fescape", "a%2Fb", "a%5Cb", "sp%20ace", "nul%00", "%E2%80%A6", "x".repeat(101), "."])(
    "refuses the trace name %j with 400, writing nothing outside (or inside) the trace root",
    async (name) => {
      const before = readdirSync(scratch).sort();
      const traces = tracesWritten();
      const reply = await send(base, `/__ctjs/trace/${name}/start`, startBody(), { headers: sameOrigin(base) });
      expect(reply.status, reply.body).toBe(400);
      expect(reply.json.error).toMatch(/trace name/);
      expect(readdirSync(scratch).sort()).toEqual(before);
      expect(tracesWritten()).toEqual(traces);
    },
  );

  it("answers malformed requests with a 4xx JSON error", async () => {
    const headers = sameOrigin(base);
    const post = (urlPath: string, body: Uint8Array | string) => send(base, urlPath, body, { headers });
    // a rejected batch ends what its trace can take, so each bad batch goes to a trace of its own
    let traces = 0;
    const firstBatch = async (body: Uint8Array | string) => {
      const name = `garbage-${++traces}`;
      // each from a tab of its own: a tab's new recording would finalise its previous one
      expect((await post(`/__ctjs/trace/${name}/start`, startBody(`tab-${name}`))).status).toBe(201);
      return post(`/__ctjs/trace/${name}/events?seq=0`, body);
    };
    expect((await post("/__ctjs/trace/garbage/start", startBody())).status).toBe(201);
    const cases: Array<[string, Promise<{ status: number; json: Record<string, unknown> }>, number, RegExp]> = [
      ["bytes that are not msgpack", firstBatch(new Uint8Array([0xc1, 0xc1, 0xff])), 400, /not a msgpack event batch/],
      ["msgpack that is no array", firstBatch(encodeBatch({ Path: "x" } as never)), 400, /not a msgpack event batch/],
      ["an empty body", firstBatch(""), 400, /empty event batch/],
      ["an unknown event", firstBatch(encodeBatch([{ Jump: 1 } as never])), 400, /unknown event "Jump"/],
      ["a step on an unregistered path", firstBatch(encodeBatch([{ Step: { path_id: 3, line: 1 } }])), 400, /path_id 3 refers to nothing registered/],
      ["a return without a call", firstBatch(encodeBatch([{ Type: { kind: 30, lang_type: "undefined", specific_info: { kind: "None" } } }, { Return: { return_value: { kind: "None", type_id: 0 } } }])), 400, /Return without an open call/],
      ["a batch after a rejected one", (async () => (await firstBatch(encodeBatch([{ Jump: 1 } as never])), post(`/__ctjs/trace/garbage-${traces}/events?seq=1`, encodeBatch([]))))(), 409, /stopped taking batches at batch 0/],
      ["a missing sequence number", post("/__ctjs/trace/garbage/events", encodeBatch([])), 400, /seq must be a non-negative integer/],
      ["an unknown end reason", post("/__ctjs/trace/garbage/end?batches=0&reason=crash", ""), 400, /reason must be one of/],
      ["a start that is not JSON", post("/__ctjs/trace/garbage-x/start", "{client"), 400, /must be a JSON object/],
      ["a start without a client", post("/__ctjs/trace/garbage-x/start", JSON.stringify({ program: "p", page: "u" })), 400, /field client/],
      ["an unknown format", post("/__ctjs/trace/garbage-x/start", JSON.stringify({ client: "c", program: "p", page: "u", format: "xml" })), 400, /unsupported trace format/],
      ["an unknown action", post("/__ctjs/trace/garbage/delete", ""), 404, /no such trace action/],
      ["an unknown path", post("/__ctjs/other", ""), 404, /no such endpoint/],
      ["a stop of a trace never started", post("/__ctjs/trace/never-started/end?batches=0&reason=stop", ""), 404, /no trace never-started/],
      ["GET", send(base, "/__ctjs/trace/garbage/start", "", { headers, method: "GET" }), 405, /takes POST/],
    ];
    for (const [what, pending, status, message] of cases) {
      const reply = await pending;
      expect(reply.status, `${what}: ${JSON.stringify(reply.json)}`).toBe(status);
      expect(reply.json.error, what).toMatch(message);
    }
    expect(tracesWritten()).not.toContain("garbage-x");
  });

  it("keeps serving pages and recording traces after refusing bad requests", async () => {
    const page = await send(base, "/", "", { method: "GET" });
    expect(page.status).toBe(200);
    const result = await recordSample("after-errors");
    expect(result).toMatchObject({ complete: true, events: 17 });
    expect(validateTrace(path.join(traceRoot, "after-errors")).ok).toBe(true);
  });

  it("answers a repeated end with the same result and refuses batches for a finished trace", async () => {
    const headers = sameOrigin(base);
    const first = await recordSample("finished-once");
    const again = await send(base, "/__ctjs/trace/finished-once/end?batches=3&reason=unload", "", { headers });
    expect(again.json).toEqual(first);
    const late = await send(base, "/__ctjs/trace/finished-once/events?seq=3", encodeBatch([]), { headers });
    expect(late.status).toBe(409);
    const restart = await send(base, "/__ctjs/trace/finished-once/start", startBody(), { headers });
    expect(restart.status).toBe(409);
  });
});
