import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RecorderError } from "./errors.js";
import type { TraceFormat } from "./formats.js";

/** The files of a trace directory. */
export const METADATA_FILE = "trace_metadata.json";
export const PATHS_FILE = "trace_paths.json";
export const FILES_DIR = "files";

export function eventsFileName(format: TraceFormat): string {
  return format === "json" ? "trace.json" : "trace.bin";
}

/**
 * Makes sure `outDir` can receive a new trace: it is created when missing; an existing directory
 * must be empty. Returns its absolute path.
 */
export function prepareTraceDir(outDir: unknown): string {
  if (typeof outDir !== "string" || outDir.trim() === "") {
    throw new RecorderError("ERR_INVALID_OPTION", `outDir must be a non-empty string, got ${describe(outDir)}`);
  }
  const dir = path.resolve(outDir);
  if (existsSync(dir)) {
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new RecorderError("ERR_TRACE_DIR_CONFLICT", `trace directory ${dir} exists and is not a directory`);
    if (readdirSync(dir).length > 0) {
      throw new RecorderError("ERR_TRACE_DIR_CONFLICT", `trace directory ${dir} already exists and is not empty`);
    }
    return dir;
  }
  try {
    makeDirectories(dir);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new RecorderError("ERR_TRACE_DIR_CREATE_FAILED", `cannot create trace directory ${dir} (${why})`, { cause: error });
  }
  return dir;
}

/**
 * `mkdir -p`, one level at a time from the nearest existing ancestor. Node 20's recursive mkdir
 * spins forever where a level cannot be created for reasons other than a missing parent (under
 * /proc, say); this fails with that level's error instead.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!existsSync(at)) {
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) mkdirSync(missing[i]!);
}

/** Default location: ./ct-traces/<script name>-<timestamp> under `cwd`. */
export function defaultTraceDir(program: string, cwd: string, now = new Date()): string {
  const base = path.basename(program).replace(/[^A-Za-z0-9._-]+/g, "_") || "program";
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  let dir = path.join(cwd, "ct-traces", `${base}-${stamp}`);
  for (let n = 2; existsSync(dir); n++) dir = path.join(cwd, "ct-traces", `${base}-${stamp}-${n}`);
  return dir;
}

/**
 * Where the copy of a traced source goes: files/<absolute path without its leading "/">.
 * Returns undefined for paths that would leave the trace directory.
 */
export function sourceCopyPath(traceDir: string, sourcePath: string): string | undefined {
  if (!path.isAbsolute(sourcePath)) return undefined;
  const relative = path.normalize(sourcePath).replace(/^[/\\]+/, "").replace(/^[A-Za-z]:[/\\]*/, "");
  const filesRoot = path.join(traceDir, FILES_DIR);
  const target = path.resolve(filesRoot, relative);
  if (target !== filesRoot && !target.startsWith(filesRoot + path.sep)) return undefined;
  return target;
}

/** Copies a source into files/ (text given, or read from disk); returns whether it was written. */
export function copySource(traceDir: string, sourcePath: string, text?: string): boolean {
  const target = sourceCopyPath(traceDir, sourcePath);
  if (target === undefined) return false;
  try {
    const content = text ?? readFileSync(sourcePath, "utf8");
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    return true;
  } catch {
    return false;
  }
}

/** Writes a JSON sidecar so that readers never see a half-written file (write, then rename). */
export function writeJsonAtomically(traceDir: string, name: string, value: unknown): void {
  const target = path.join(traceDir, name);
  const temp = `${target}.tmp`;
  writeFileSync(temp, JSON.stringify(value, null, 2) + "\n");
  renameSync(temp, target);
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
