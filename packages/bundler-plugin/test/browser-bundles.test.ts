/**
 * Browser builds (esbuild's default platform, webpack's web target, a Vite client build) are
 * instrumented but carry no Node runtime: the app imports `@ctjs/runtime` and calls `start()`.
 * Without it the bundle runs dormant. Their source maps still lead back to the original lines.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_BUNDLERS, BUNDLED_APP, buildBrowserBundle } from "./helpers/bundlers.js";
import { runBundle } from "./helpers/run-bundle.js";
import { lineIn, originalPositionOf } from "./helpers/source-maps.js";

const MAIN = path.join(BUNDLED_APP, "main.ts");
const MARKER = '"ctjs-marker-42"';

const scratch = mkdtempSync(path.join(os.tmpdir(), "ctjs-browser-bundles-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(BROWSER_BUNDLERS)("%s browser bundle", (bundler) => {
  let bundle = "";
  beforeAll(async () => {
    bundle = await buildBrowserBundle(bundler, { entry: MAIN, outDir: path.join(scratch, bundler), ctjs: {}, root: BUNDLED_APP });
  });

  it("is instrumented and carries no auto-starting Node runtime", () => {
    const code = readFileSync(bundle, "utf8");
    expect(code).toContain("ctjs.probes");
    expect(code).not.toContain("CTJS_TRACE");
    expect(code).not.toMatch(/["']node:fs["']/);
  });

  it("runs dormant, printing what the program prints", () => {
    const traceDir = path.join(scratch, `${bundler}-never-written`);
    const run = runBundle(bundle, scratch, { CTJS_TRACE: traceDir });
    expect(run.stdout, run.stderr).toBe("rejected many plums: no amount\nctjs-marker-42 fruit: 7 items 3\n");
    expect(existsSync(traceDir)).toBe(false);
  });

  it("has a source map that takes the marker back to main.ts", () => {
    const position = originalPositionOf(bundle, MARKER);
    expect(position.source, JSON.stringify(position)).toMatch(/(^|\/)main\.ts$/);
    expect(position.line, JSON.stringify(position)).toBe(lineIn(MAIN, MARKER));
  });
});
