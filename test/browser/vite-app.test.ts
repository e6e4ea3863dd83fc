/**
 * Recording in a real browser: examples/vite-app under the Vite dev server with the ctjs plugin,
 * Chromium clicking through it (Record, the form, the fetch, a timer tick, Stop), then the trace
 * the dev server wrote is validated and searched for the handlers, their arguments and the values
 * they computed. A reload in the middle of a recording must leave a complete trace as well, and
 * so must the dev server closing under an open recording.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import type { ViteDevServer } from "vite";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readTraceEvents } from "../../packages/runtime/src/trace-reader/index.js";
import { validateTrace } from "../helpers/differential.js";
import { traceFacts, type TraceEvent, type TraceFacts } from "../helpers/trace-facts.js";
import { APP_ROOT, AppPage, finishedMetadata, launchChromium, pageLog, readJson, startAppServer, waitFor } from "./app-harness.js";

const scratch = mkdtempSync(path.join(tmpdir(), "ctjs-vite-app-"));
let browser: Browser;
let server: ViteDevServer | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A dev server writing under scratch/<label>, and the app open in a new page of the browser. */
async function openApp(label: string, format: "json" | "binary"): Promise<{ traceRoot: string; app: AppPage; log: string[] }> {
  const traceRoot = path.join(scratch, label);
  const started = await startAppServer(traceRoot, format);
  server = started.server;
  const page = await browser.newPage();
  const log = pageLog(page);
  await page.goto(started.url);
  return { traceRoot, app: new AppPage(page), log };
}

/** The one trace directory the server has created under `traceRoot`, once it exists. */
async function onlyTrace(traceRoot: string): Promise<string> {
  const [dir] = await waitFor("the trace directory", () => (tracesIn(traceRoot).length === 1 ? tracesIn(traceRoot) : undefined));
  return dir!;
}

function factsOf(traceDir: string): TraceFacts {
  return traceFacts(readTraceEvents(traceDir) as unknown as TraceEvent[]);
}

function expectValid(traceDir: string): void {
  const validation = validateTrace(traceDir);
  expect(validation.ok, validation.output).toBe(true);
}

/** Trace directories written under `root` so far. */
function tracesIn(root: string): string[] {
  return existsSync(root) ? readdirSync(root).map((name) => path.join(root, name)) : [];
}

describe("examples/vite-app recorded in Chromium through the Vite dev server", () => {
  it("records the submit handler with the entered text, the fetch, a timer tick and the computed total", async () => {
    const { traceRoot, app, log } = await openApp("full", "json");
    await app.record();
    await app.addExpense("", "abc", "food");
    expect(await app.formErrors()).toContain("Enter a description.");
    await app.addExpense("Coffee beans", "12.50", "food");
    await app.loadSaved();
    expect(await app.total()).toBe("97.04");
    await app.waitForTick();
    const traceDir = await app.stop();
    await app.page.close();

    expect(path.dirname(traceDir), log.join("\n")).toBe(traceRoot);
    expectValid(traceDir);
    const metadata = readJson(path.join(traceDir, "trace_metadata.json"))!;
    expect(metadata).toMatchObject({ program: path.join(APP_ROOT, "index.html"), workdir: APP_ROOT, format: "json", ended_by: "stop", complete: true, args: [] });

    const facts = factsOf(traceDir);
    // the submit handler ran twice: once rejected by validation, once adding the expense
    expect(facts.callsOf("handleSubmit")).toHaveLength(2);
    const validations = facts.callsOf("validateExpense");
    expect(validations.map((call) => call.args.input)).toEqual([
      { description: "", amount: "abc", category: "food" },
      { description: "Coffee beans", amount: "12.50", category: "food" },
    ]);
    expect(validations[0]!.returned).toEqual({ ok: false, errors: ["Enter a description.", "Enter an amount like 12.50."] });
    expect(validations[1]!.returned).toEqual({ ok: true, expense: { description: "Coffee beans", amount: 12.5, category: "food" } });
    expect(facts.callsOf("parseAmount").map((call) => [call.args.text, call.returned])).toEqual([
      ["abc", undefined],
      ["12.50", 12.5],
    ]);

    // the fetch of public/expenses.json and what was made of it
    expect(facts.callsOf("loadSavedExpenses").length).toBeGreaterThan(0);
    const parsed = facts.callsOf("parseSavedExpenses");
    expect(parsed).toHaveLength(1);
    expect((parsed[0]!.returned as Array<{ description: string }>).map((e) => e.description)).toEqual(["Train ticket", "Groceries", "Phone bill"]);

    // the totals the page showed were computed in the recording
    const totals = facts.callsOf("totalOf");
    expect(totals.map((call) => call.returned)).toEqual([12.5, 97.04]);
    expect((totals[1]!.args.expenses as unknown[]).length).toBe(4);
    expect(facts.callsOf("totalsByCategory").at(-1)!.returned).toEqual({ travel: 23.4, food: 53.65, bills: 19.99 });

    // the timer ticked while recording
    const clocks = facts.callsOf("formatClock");
    expect(clocks.length).toBeGreaterThan(0);
    for (const call of clocks) expect(call.returned).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(facts.callsOf("tick").length).toBe(clocks.length);

    // console output is part of the trace
    expect(facts.stdout).toContain("added Coffee beans 12.5\n");
    // only the app's own modules were recorded (not the runtime, not the bundled dependencies)
    for (const recorded of facts.paths) expect(recorded.startsWith(`${APP_ROOT}${path.sep}`), recorded).toBe(true);
    // the sources are copied into files/
    for (const source of ["index.html", "src/main.js", "src/expenses.js", "src/saved-expenses.js", "src/countdown.js"]) {
      const file = path.join(APP_ROOT, source);
      expect(facts.paths).toContain(file);
      expect(existsSync(path.join(traceDir, "files", file)), source).toBe(true);
    }
  });

  it("leaves a complete, loadable trace when the page reloads mid-recording, and records again afterwards", async () => {
    const { traceRoot, app } = await openApp("reload", "binary");
    await app.record();
    await app.addExpense("Bus pass", "30", "travel");
    await app.page.reload();
    await app.page.waitForSelector("#clock:not(:empty)");

    const interrupted = await onlyTrace(traceRoot);
    const metadata = await waitFor("the server to finalise the interrupted trace", () => finishedMetadata(interrupted));
    expect(metadata).toMatchObject({ ended_by: "unload", format: "binary" });
    expect(existsSync(path.join(interrupted, "trace.bin"))).toBe(true);
    expectValid(interrupted);
    const facts = factsOf(interrupted);
    expect(facts.callsOf("validateExpense").map((call) => call.args.input)).toEqual([{ description: "Bus pass", amount: "30", category: "travel" }]);
    expect(facts.callsOf("totalOf").map((call) => call.returned)).toEqual([30]);

    // the reloaded page records a second trace of its own
    await app.record();
    await app.addExpense("Lunch", "9.90", "food");
    const second = await app.stop();
    await app.page.close();
    expect(second).not.toBe(interrupted);
    expectValid(second);
    expect(factsOf(second).callsOf("validateExpense").map((call) => call.args.input)).toEqual([{ description: "Lunch", amount: "9.90", category: "food" }]);
  });

  it("finalises a recording still open when the dev server closes", async () => {
    const { traceRoot, app } = await openApp("server-close", "json");
    await app.record();
    await app.addExpense("Cinema", "11", "fun");
    const traceDir = await onlyTrace(traceRoot);
    // the page's first batch has been written once the paths sidecar lists main.js
    await waitFor("the first batch on disk", () => (readJson(path.join(traceDir, "trace_paths.json")) as unknown as string[] | undefined)?.includes(path.join(APP_ROOT, "src/main.js")));
    await server!.close();
    server = undefined;
    await app.page.close();

    const metadata = finishedMetadata(traceDir);
    expect(metadata).toMatchObject({ ended_by: "the dev server closed", complete: false });
    expectValid(traceDir);
    const facts = factsOf(traceDir);
    expect(facts.callsOf("handleSubmit")).toHaveLength(1);
    expect(facts.callsOf("validateExpense")[0]!.args.input).toEqual({ description: "Cinema", amount: "11", category: "fun" });
  });
});
