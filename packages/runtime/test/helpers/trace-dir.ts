import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh empty directory under the system temp dir; `cleanup()` removes it. */
export function makeTempDir(prefix = "ctjs-test-"): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A lowercase RFC 9562 UUID version 7 (48-bit millisecond timestamp, then random bits). */
export function uuidV7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  let time = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface SidecarOptions {
  /** The traced paths, exactly the trace's Path events in order. */
  paths: readonly string[];
  program?: string;
  args?: readonly string[];
  workdir?: string;
  /** Extra keys for trace_metadata.json (the reader ignores them). */
  extra?: Record<string, unknown>;
  /** Sources to copy under files/: traced path → content. */
  files?: Record<string, string>;
}

/** Writes trace_metadata.json and trace_paths.json (and files/ copies if given) into `dir`. */
export function writeSidecars(dir: string, options: SidecarOptions): void {
  mkdirSync(dir, { recursive: true });
  const program = options.program ?? options.paths[0] ?? "/tmp/ctjs-test/main.js";
  const metadata = {
    program,
    args: options.args ?? [],
    workdir: options.workdir ?? "/tmp/ctjs-test",
    recording_id: uuidV7(),
    ...options.extra,
  };
  writeFileSync(join(dir, "trace_metadata.json"), `${JSON.stringify(metadata, null, 2)}\n`);
  writeFileSync(join(dir, "trace_paths.json"), `${JSON.stringify(options.paths)}\n`);
  for (const [path, content] of Object.entries(options.files ?? {})) {
    const copy = join(dir, "files", path.replace(/^\/+/, ""));
    mkdirSync(join(copy, ".."), { recursive: true });
    writeFileSync(copy, content);
  }
}
