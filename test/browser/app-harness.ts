/**
 * Runs examples/vite-app the way a developer does — the Vite dev server with the ctjs plugin —
 * and drives it with Debian's Chromium through playwright-core. Traces go to a temporary
 * directory instead of the app's ct-traces/.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { freePort } from "../../packages/bundler-plugin/test/dev-server-fixtures.js";
import ctjs from "../../packages/bundler-plugin/src/vite.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const APP_ROOT = path.join(REPO_ROOT, "examples/vite-app");
export const CHROMIUM = "/usr/bin/chromium";

export async function startAppServer(traceDir: string, format: "json" | "binary"): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root: APP_ROOT,
    // the app's vite.config.js does the same with the default trace directory
    configFile: false,
    plugins: [ctjs({ traceDir, format })],
    // a dependency cache of its own, which a developer's `vite dev` of the app cannot invalidate
    // mid-test; outside node_modules, so the plugin must know to leave Vite's pre-bundled deps alone
    cacheDir: path.join(`${traceDir}-deps`, ".vite"),
    server: { host: "127.0.0.1", port: await freePort(), strictPort: true },
    logLevel: "error",
    clearScreen: false,
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error("the dev server reports no local URL");
  return { server, url };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
}

/** Collects what the page prints and throws, to explain a failure. */
export function pageLog(page: Page): string[] {
  const log: string[] = [];
  page.on("console", (message) => log.push(`[${message.type()}] ${message.text()}`));
  page.on("pageerror", (error) => log.push(`[pageerror] ${error.message}`));
  return log;
}

/** Waits for `condition` by polling; fails with `what` when it never holds. */
export async function waitFor<T>(what: string, condition: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The trace's metadata once the server has finalised it. */
export function finishedMetadata(traceDir: string): Record<string, unknown> | undefined {
  const metadata = readJson(path.join(traceDir, "trace_metadata.json"));
  return metadata !== undefined && typeof metadata.finished_at === "string" ? metadata : undefined;
}

/** The app's recorder buttons and form, as a user works them. */
export class AppPage {
  constructor(readonly page: Page) {}

  async record(): Promise<void> {
    await this.page.click("#record");
    await this.page.waitForSelector("#recorder-status[data-state=recording]");
  }

  /** Clicks Stop and returns the trace directory the page reports. */
  async stop(): Promise<string> {
    await this.page.click("#stop");
    await this.page.waitForSelector("#recorder-status[data-state=saved], #recorder-status[data-state=failed]");
    const dir = await this.page.getAttribute("#recorder-status", "data-trace-dir");
    if (dir === null) throw new Error(`the page did not save the trace: ${await this.page.textContent("#recorder-status")}`);
    return dir;
  }

  async addExpense(description: string, amount: string, category: string): Promise<void> {
    await this.page.fill("input[name=description]", description);
    await this.page.fill("input[name=amount]", amount);
    await this.page.selectOption("select[name=category]", category);
    await this.page.click("#expense-form button[type=submit]");
  }

  async formErrors(): Promise<string> {
    return (await this.page.textContent("#form-errors")) ?? "";
  }

  async loadSaved(): Promise<void> {
    await this.page.click("#load");
    await this.page.waitForSelector("#load-status:has-text('Loaded')");
  }

  /** Waits until the clock has ticked (the timer callback ran) at least once more. */
  async waitForTick(): Promise<void> {
    const shown = await this.page.textContent("#clock");
    await this.page.waitForFunction(`document.getElementById("clock")?.textContent !== ${JSON.stringify(shown)}`);
  }

  async total(): Promise<string> {
    return (await this.page.textContent("#total")) ?? "";
  }
}
