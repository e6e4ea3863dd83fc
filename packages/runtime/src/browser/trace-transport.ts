import { KEEPALIVE_BODY_BYTES, traceUrl, type EndReason, type StartRequest, type TraceResult } from "./dev-protocol.js";
import { warnOnce } from "./diagnostics.js";
import { pageFetch, pageSendBeacon, pageSetTimeout } from "./page.js";

type Outgoing =
  | { readonly action: "start"; readonly body: string }
  | { readonly action: "events"; readonly seq: number; readonly body: Uint8Array }
  | { readonly action: "end"; readonly batches: number; readonly reason: EndReason };

/** Delays before the second and third attempt of a request that failed on the network or with 5xx. */
const RETRY_DELAYS_MS = [100, 500];

/**
 * Carries one trace's requests to the dev server, one at a time and in order, so the server
 * normally receives batches in sequence and a slow server slows the queue rather than flooding
 * it. Small bodies go with `keepalive`, so a request in flight survives the page unloading.
 *
 * When the page goes away, `unload()` sends whatever is still queued (including the request in
 * flight, which navigation may cancel) all at once with keepalive fetches or beacons; the server
 * ignores duplicates and reorders by sequence number.
 */
export class TraceTransport {
  private readonly queue: Outgoing[] = [];
  private sending = false;
  private unloading = false;
  private failure: string | undefined;
  private batches = 0;
  private endResult: ((result: TraceResult | undefined) => void) | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly endpoint: string,
    readonly traceName: string,
    /** Told once when the server refuses the trace for good (the session then stops recording). */
    private readonly onFailure: (reason: string) => void = () => {},
  ) {}

  /** Batches handed over so far. */
  get batchCount(): number {
    return this.batches;
  }

  /** Why the server stopped accepting this trace, if it did. */
  get failed(): string | undefined {
    return this.failure;
  }

  open(request: StartRequest): void {
    this.enqueue({ action: "start", body: JSON.stringify(request) });
  }

  sendBatch(body: Uint8Array): void {
    this.enqueue({ action: "events", seq: this.batches++, body });
  }

  /** Ends the trace after every batch sent so far; resolves with the server's account of it. */
  end(): Promise<TraceResult | undefined> {
    return new Promise((resolve) => {
      this.endResult = resolve;
      this.enqueue({ action: "end", batches: this.batches, reason: "stop" });
    });
  }

  /** Resolves once every queued request has been answered. */
  drained(): Promise<void> {
    if (!this.sending && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The page is going away: send everything left, ending with an `end` marked "unload". */
  unload(): void {
    if (this.unloading) return;
    this.unloading = true;
    const pending = this.queue.splice(0);
    if (this.failure !== undefined) return;
    if (!pending.some((item) => item.action === "end")) pending.push({ action: "end", batches: this.batches, reason: "unload" });
    for (const item of pending) sendDetached(this.urlOf(item), bodyOf(item));
  }

  private enqueue(item: Outgoing): void {
    if (this.unloading || this.failure !== undefined) {
      if (item.action === "end") this.settle(undefined);
      return;
    }
    this.queue.push(item);
    if (!this.sending) void this.pump();
  }

  private async pump(): Promise<void> {
    this.sending = true;
    while (this.queue.length > 0 && !this.unloading) {
      const item = this.queue[0]!;
      const answer = await this.deliver(item);
      if (this.unloading) break;
      this.queue.shift();
      if (answer === undefined) {
        this.queue.length = 0;
        this.settle(undefined);
        break;
      }
      if (item.action === "end") this.settle(answer as TraceResult);
    }
    this.sending = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Sends one request, retrying transient failures; returns the JSON answer, or undefined when it failed for good. */
  private async deliver(item: Outgoing): Promise<unknown> {
    const body = bodyOf(item);
    const size = typeof body === "string" ? body.length : body.byteLength;
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let answer: unknown;
      try {
        const response = await pageFetch(this.urlOf(item), {
          method: "POST",
          body: typeof body === "string" ? body : (body as Uint8Array<ArrayBuffer>),
          headers: { "content-type": item.action === "start" ? "application/json" : "application/msgpack" },
          credentials: "same-origin",
          keepalive: size <= KEEPALIVE_BODY_BYTES,
        });
        status = response.status;
        answer = await response.json().catch(() => ({}));
        if (response.ok) return answer;
      } catch {
        status = 0;
      }
      if (this.unloading) return undefined;
      const transient = status === 0 || status >= 500;
      if (!transient || attempt >= RETRY_DELAYS_MS.length) {
        const reason = describeFailure(status, answer);
        this.failure = reason;
        warnOnce(`send-${this.traceName}`, `the dev server did not accept trace ${this.traceName} (${reason}); recording stopped`);
        this.onFailure(reason);
        return undefined;
      }
      await new Promise<void>((resolve) => pageSetTimeout(resolve, RETRY_DELAYS_MS[attempt]!));
    }
  }

  private urlOf(item: Outgoing): string {
    switch (item.action) {
      case "start":
        return traceUrl(this.endpoint, this.traceName, "start");
      case "events":
        return traceUrl(this.endpoint, this.traceName, "events", { seq: item.seq });
      case "end":
        return traceUrl(this.endpoint, this.traceName, "end", { batches: item.batches, reason: item.reason });
    }
  }

  private settle(result: TraceResult | undefined): void {
    const resolve = this.endResult;
    this.endResult = undefined;
    resolve?.(result);
  }
}

function bodyOf(item: Outgoing): string | Uint8Array {
  if (item.action === "start") return item.body;
  if (item.action === "events") return item.body;
  return "";
}

/**
 * Sends a request that should outlive the page: a keepalive fetch when the body fits the
 * browser's keepalive budget (a beacon if the fetch is refused), a plain fetch otherwise, which
 * may or may not get out before the page is torn down. What gets lost is a gap the server closes.
 */
function sendDetached(url: string, body: string | Uint8Array): void {
  const keepalive = (typeof body === "string" ? body.length : body.byteLength) <= KEEPALIVE_BODY_BYTES;
  const payload = typeof body === "string" ? body : (body as Uint8Array<ArrayBuffer>);
  void pageFetch(url, { method: "POST", body: payload, keepalive, credentials: "same-origin" }).catch(() => {
    if (keepalive) pageSendBeacon(url, body);
  });
}

function describeFailure(status: number, answer: unknown): string {
  if (status === 0) return "the request failed on the network";
  const message = typeof answer === "object" && answer !== null ? (answer as { error?: unknown }).error : undefined;
  return `HTTP ${status}${typeof message === "string" ? `: ${message}` : ""}`;
}
