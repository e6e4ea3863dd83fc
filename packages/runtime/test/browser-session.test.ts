/**
 * The browser runtime's session against a simulated page and dev server: what it posts, in which
 * order, when (stop, hidden page, unload), and how it gives up when the server refuses. The real
 * browser and dev server are exercised by test/browser/vite-app.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type * as BrowserRuntime from "../src/browser/index.js";
import type { TraceEvent } from "../src/trace-events.js";
import { decodeBatch } from "../src/writers/wire.js";

interface Posted {
  url: string;
  action: string;
  query: URLSearchParams;
  body: string | Uint8Array;
  keepalive: boolean;
}

type Reply = { status: number; json: unknown };

const posted: Posted[] = [];
let replyTo: (request: Posted) => Reply | undefined = () => undefined;
const pageTarget = new EventTarget();
const documentStub = Object.assign(new EventTarget(), { visibilityState: "visible" });
const storage = new Map<string, string>();
const consoleLog = vi.fn();
const consoleWarn = vi.fn();
const saved = { log: console.log, warn: console.warn, fetch: globalThis.fetch };
let runtime: typeof BrowserRuntime;

function defaultReply(request: Posted): Reply {
  if (request.action === "start") return { status: 201, json: { trace: "t", dir: "/traces/t", format: "json" } };
  if (request.action === "end") {
    const reason = request.query.get("reason")!;
    return { status: 200, json: { trace: "t", dir: "/traces/t", format: "json", events: 1, complete: true, endedBy: reason } };
  }
  return { status: 200, json: { receipt: "written" } };
}

async function fakeFetch(url: string, init: { body?: string | Uint8Array; keepalive?: boolean }): Promise<Response> {
  const parsed = new URL(url, "http://localhost:5173");
  const request: Posted = {
    url,
    action: parsed.pathname.split("/").pop()!,
    query: parsed.searchParams,
    body: init.body ?? "",
    keepalive: init.keepalive === true,
  };
  posted.push(request);
  const reply = replyTo(request) ?? defaultReply(request);
  return new Response(JSON.stringify(reply.json), { status: reply.status, headers: { "content-type": "application/json" } });
}

/** The events of every batch posted so far, in sequence order. */
function postedEvents(): TraceEvent[] {
  return posted
    .filter((p) => p.action === "events")
    .sort((a, b) => Number(a.query.get("seq")) - Number(b.query.get("seq")))
    .flatMap((p) => decodeBatch(p.body as Uint8Array));
}

beforeAll(async () => {
  const page = globalThis as Record<string | symbol, unknown>;
  page.addEventListener = pageTarget.addEventListener.bind(pageTarget);
  page.removeEventListener = pageTarget.removeEventListener.bind(pageTarget);
  page.document = documentStub;
  page.location = { href: "http://localhost:5173/", pathname: "/" };
  page.sessionStorage = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) };
  page[Symbol.for("ctjs.devServer")] = { endpoint: "/__ctjs/", root: "/app", format: "json" };
  globalThis.fetch = fakeFetch as unknown as typeof fetch;
  console.log = consoleLog;
  console.warn = consoleWarn;
  // the runtime captures fetch and the console as it loads, like a page's first script
  vi.resetModules();
  runtime = await import("../src/browser/index.js");
});

afterAll(() => {
  const page = globalThis as Record<string | symbol, unknown>;
  for (const key of ["addEventListener", "removeEventListener", "document", "location", "sessionStorage"]) delete page[key];
  delete page[Symbol.for("ctjs.devServer")];
  globalThis.fetch = saved.fetch;
  console.log = saved.log;
  console.warn = saved.warn;
});

beforeEach(async () => {
  if (runtime.isTracing()) await runtime.stop();
  posted.length = 0;
  replyTo = () => undefined;
  consoleLog.mockClear();
  consoleWarn.mockClear();
  documentStub.visibilityState = "visible";
});

describe("browser recording session", () => {
  it("posts start, the batches and end in order, with console output in the trace", async () => {
    expect(runtime.start({ traceName: "first-trace" })).toBe(true);
    expect(runtime.isTracing()).toBe(true);
    console.log("total is", 97.04);
    expect(consoleLog).toHaveBeenCalledWith("total is", 97.04);
    const result = await runtime.stop();
    expect(runtime.isTracing()).toBe(false);
    expect(result).toMatchObject({ dir: "/traces/t", endedBy: "stop", complete: true });

    expect(posted.map((p) => p.url)).toEqual(["/__ctjs/trace/first-trace/start", "/__ctjs/trace/first-trace/events?seq=0", "/__ctjs/trace/first-trace/end?batches=1&reason=stop"]);
    const start = JSON.parse(posted[0]!.body as string) as Record<string, unknown>;
    expect(start).toEqual({ client: storage.get("ctjs.client"), format: "json", program: "/app/index.html", page: "http://localhost:5173/" });
    expect(start.client).toMatch(/^[0-9a-f]{32}$/);
    const events = postedEvents();
    expect(events).toContainEqual({ Path: "/app/index.html" });
    expect(events).toContainEqual({ Function: { path_id: 0, line: 1, name: "<toplevel>" } });
    expect(events).toContainEqual({ Event: { kind: 0, metadata: "", content: "total is 97.04\n" } });
    expect(events.filter((e) => "Call" in e)).toHaveLength(1);
    expect(events.filter((e) => "Return" in e)).toHaveLength(1);
    // the console is the page's own again
    console.log("after");
    expect(consoleLog).toHaveBeenLastCalledWith("after");
  });

  it("names traces after the app and keeps one client id per tab", async () => {
    runtime.start();
    await runtime.stop();
    runtime.start();
    await runtime.stop();
    const starts = posted.filter((p) => p.action === "start");
    const names = starts.map((p) => decodeURIComponent(p.url.split("/")[3]!));
    for (const name of names) expect(name).toMatch(/^app-\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(names[0]).not.toBe(names[1]);
    const clients = starts.map((p) => (JSON.parse(p.body as string) as { client: string }).client);
    expect(clients[0]).toBe(clients[1]);
  });

  it("sends pending events when the page is hidden, and goes on recording", async () => {
    runtime.start({ traceName: "hidden", flushDelayMs: 60_000 });
    console.warn("hiding");
    await runtime.flush();
    posted.length = 0;
    console.info("now hidden");
    documentStub.visibilityState = "hidden";
    documentStub.dispatchEvent(new Event("visibilitychange"));
    await expect.poll(() => posted.filter((p) => p.action === "events").length).toBe(1);
    expect(runtime.isTracing()).toBe(true);
    expect(postedEvents()).toContainEqual({ Event: { kind: 0, metadata: "", content: "now hidden\n" } });
    await runtime.stop();
  });

  it("on unload closes the trace in the page and sends the rest with keepalive, ending with reason unload", async () => {
    runtime.start({ traceName: "unloaded", flushDelayMs: 60_000 });
    await runtime.flush();
    posted.length = 0;
    console.error("going away");
    pageTarget.dispatchEvent(new Event("pagehide"));
    expect(runtime.isTracing()).toBe(false);
    await expect.poll(() => posted.some((p) => p.action === "end")).toBe(true);
    const end = posted.find((p) => p.action === "end")!;
    expect(end.query.get("reason")).toBe("unload");
    const batches = posted.filter((p) => p.action === "events");
    expect(Number(end.query.get("batches"))).toBe(Math.max(...batches.map((p) => Number(p.query.get("seq")))) + 1);
    for (const request of posted) expect(request.keepalive).toBe(true);
    const events = postedEvents();
    expect(events).toContainEqual({ Event: { kind: 2, metadata: "", content: "going away\n" } });
    // the <toplevel> call was closed before the page went
    expect(events.at(-1)).toMatchObject({ Return: {} });
  });

  it("retries a request that failed on the server's side, and stops recording when the server refuses the trace", async () => {
    let failures = 1;
    replyTo = (request) => (request.action === "events" && failures-- > 0 ? { status: 503, json: { error: "busy" } } : undefined);
    runtime.start({ traceName: "retried" });
    console.log("once");
    expect(await runtime.stop()).toMatchObject({ endedBy: "stop" });
    const seqs = posted.filter((p) => p.action === "events").map((p) => p.query.get("seq"));
    expect(seqs).toEqual(["0", "0"]);

    posted.length = 0;
    replyTo = (request) => (request.action === "start" ? { status: 409, json: { error: "trace refused already exists" } } : undefined);
    runtime.start({ traceName: "refused" });
    await runtime.flush();
    expect(runtime.isTracing()).toBe(false);
    expect(consoleWarn).toHaveBeenCalledWith(expect.stringMatching(/^ctjs: the dev server did not accept trace refused \(HTTP 409: trace refused already exists\)/));
    expect(posted.map((p) => p.action)).toEqual(["start"]);
    expect(await runtime.stop()).toBeUndefined();
  });

  it("validates its options and refuses a second recording", async () => {
    expect(() => runtime.start({ outDir: "/tmp" } as never)).toThrow(/unknown start\(\) option "outDir"/);
    expect(() => runtime.start({ traceName: "../escape" })).toThrow(/traceName must match/);
    expect(() => runtime.start({ format: "xml" })).toThrow(/unsupported trace format/);
    expect(() => runtime.start({ endpoint: "http://elsewhere/" })).toThrow(/endpoint must be a URL path/);
    runtime.start({ traceName: "only-one" });
    expect(() => runtime.start({ traceName: "second" })).toThrow(/already running/);
    await runtime.stop();
  });
});
