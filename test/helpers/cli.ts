import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CTJS_BIN = path.join(ROOT, "packages/cli/bin/ctjs.js");

export interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

function done(r: SpawnSyncReturns<string>): Run {
  return { stdout: r.stdout ?? "", stderr: r.stderr ?? "", status: r.status, signal: r.signal };
}

/** Runs the real ctjs CLI in a child process. */
export function ctjs(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  return done(spawnSync(process.execPath, [CTJS_BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: "utf8",
    timeout: 60_000,
  }));
}

/** Runs a script with plain node, for comparison. */
export function node(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  return done(spawnSync(process.execPath, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: "utf8",
    timeout: 60_000,
  }));
}

/** The first line of stderr, as Node reports an uncaught error (`/path/file.js:LINE`). */
export function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
