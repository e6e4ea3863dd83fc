import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Activation } from "../src/activation.js";
import { RecorderError } from "../src/errors.js";
import { DEFAULT_FORMAT, parseFormat } from "../src/formats.js";
import { OutputCapture } from "../src/io-capture.js";
import { copySource, defaultTraceDir, eventsFileName, prepareTraceDir, sourceCopyPath } from "../src/output-paths.js";
import { uuidV7 } from "../src/recording-id.js";
import { EVENT_LOG_KIND } from "../src/trace-events.js";
import { makeTempDir } from "./helpers/trace-dir.js";

const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});
function tempDir(): string {
  const d = makeTempDir();
  dirs.push(d);
  return d.dir;
}

describe("formats", () => {
  it("parses names case-insensitively and rejects others by name", () => {
    expect(parseFormat("JSON")).toBe("json");
    expect(parseFormat("bin")).toBe("binary");
    expect(parseFormat(undefined)).toBe(DEFAULT_FORMAT);
    expect(() => parseFormat("xml")).toThrow(RecorderError);
    expect(() => parseFormat("xml")).toThrow(/"xml"/);
    expect(eventsFileName("json")).toBe("trace.json");
    expect(eventsFileName("binary")).toBe("trace.bin");
  });
});

describe("activation", () => {
  it("is active from the start without a path", () => {
    expect(new Activation().isActive).toBe(true);
  });
  it("activates on entering the activation file and stays active", () => {
    const a = new Activation("src/main.js", "/proj");
    expect(a.isActive).toBe(false);
    expect(a.enter("/proj/src/other.js")).toBe(false);
    expect(a.enter("/proj/src/main.js")).toBe(true);
    expect(a.enter("/proj/src/other.js")).toBe(true);
  });
});

describe("output paths", () => {
  it("creates missing directories and accepts empty ones", () => {
    const dir = tempDir();
    expect(prepareTraceDir(path.join(dir, "a", "b"))).toBe(path.join(dir, "a", "b"));
    mkdirSync(path.join(dir, "empty"));
    expect(prepareTraceDir(path.join(dir, "empty"))).toBe(path.join(dir, "empty"));
  });
  it.runIf(existsSync("/proc/self"))("fails, naming the directory, where a level cannot be created (Node's recursive mkdir spins under /proc)", () => {
    expect(() => prepareTraceDir("/proc/ctjs-not-here/trace")).toThrow(/cannot create trace directory \/proc\/ctjs-not-here\/trace \(ENOENT\)/);
  });
  it("keeps source copies inside files/", () => {
    expect(sourceCopyPath("/t", "/home/u/a.js")).toBe("/t/files/home/u/a.js");
    expect(sourceCopyPath("/t", "relative.js")).toBeUndefined();
    expect(sourceCopyPath("/t", "/../../etc/passwd")).toBe("/t/files/etc/passwd");
    const dir = tempDir();
    const src = path.join(dir, "s.js");
    writeFileSync(src, "x");
    expect(copySource(path.join(dir, "trace"), src)).toBe(true);
    expect(copySource(path.join(dir, "trace"), path.join(dir, "missing.js"))).toBe(false);
  });
  it("names default trace directories after the script and never reuses one", () => {
    const dir = tempDir();
    const now = new Date("2026-01-02T03:04:05Z");
    const first = defaultTraceDir("/x/app.js", dir, now);
    expect(first).toBe(path.join(dir, "ct-traces", "app.js-20260102-030405"));
    mkdirSync(first, { recursive: true });
    expect(defaultTraceDir("/x/app.js", dir, now)).toBe(`${first}-2`);
  });
});

describe("recording ids", () => {
  it("are lowercase UUIDv7 ordered by time", () => {
    const a = uuidV7(1_000_000);
    const b = uuidV7(2_000_000);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
  });
});

describe("output capture", () => {
  it("sees stdout and stderr writes while passing them through unchanged", () => {
    const seen: Array<[number, string]> = [];
    const passed: unknown[][] = [];
    const fakeOut = { write: (...args: unknown[]) => (passed.push(args), true) };
    const realOut = process.stdout.write;
    const realErr = process.stderr.write;
    process.stdout.write = fakeOut.write as typeof process.stdout.write;
    process.stderr.write = fakeOut.write as typeof process.stderr.write;
    const capture = new OutputCapture();
    try {
      capture.install((kind, content) => seen.push([kind, content]));
      expect(process.stdout.write("héllo\n")).toBe(true);
      process.stderr.write(Buffer.from("bytes\n"), () => {});
      process.stdout.write("aGk=", "base64");
    } finally {
      capture.uninstall();
      process.stdout.write = realOut;
      process.stderr.write = realErr;
    }
    expect(seen).toEqual([
      [EVENT_LOG_KIND.Write, "héllo\n"],
      [EVENT_LOG_KIND.WriteOther, "bytes\n"],
      [EVENT_LOG_KIND.Write, "hi"],
    ]);
    expect(passed[0]).toEqual(["héllo\n"]);
    expect(passed[2]).toEqual(["aGk=", "base64"]);
  });
});
