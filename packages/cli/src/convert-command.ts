import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  FILES_DIR, METADATA_FILE, PATHS_FILE, createTraceWriter, isRecorderError, iterateTraceEvents, parseFormat, prepareTraceDir, writeJsonAtomically,
} from "@ctjs/runtime";
import { UsageError } from "./usage-error.js";

/** `ctjs convert <trace-dir> --format json|binary -o <dir>`: same events, other format, same sidecars. */
export function convertCommand(argv: string[]): number {
  let input: string | undefined;
  let format: string | undefined;
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--format") format = argv[++i];
    else if (arg.startsWith("--format=")) format = arg.slice(9);
    else if (arg === "-o" || arg === "--out-dir") outDir = argv[++i];
    else if (arg.startsWith("--out-dir=")) outDir = arg.slice(10);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${JSON.stringify(arg)} for ctjs convert`);
    else if (input === undefined) input = arg;
    else throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
  }
  if (input === undefined) throw new UsageError("ctjs convert needs a trace directory");
  if (format === undefined) throw new UsageError("ctjs convert needs --format json|binary");
  if (outDir === undefined) throw new UsageError("ctjs convert needs -o <dir>");
  const source = path.resolve(input);
  if (!existsSync(path.join(source, METADATA_FILE))) throw new UsageError(`not a trace directory: ${source}`);
  let target: string;
  let targetFormat: "json" | "binary";
  try {
    targetFormat = parseFormat(format);
    target = prepareTraceDir(outDir);
  } catch (error) {
    throw new UsageError(isRecorderError(error) ? error.message : String(error));
  }
  const writer = createTraceWriter(targetFormat, target);
  for (const event of iterateTraceEvents(source)) writer.write(event);
  writer.close();
  const metadata = JSON.parse(readFileSync(path.join(source, METADATA_FILE), "utf8")) as Record<string, unknown>;
  writeJsonAtomically(target, METADATA_FILE, { ...metadata, format: targetFormat });
  writeJsonAtomically(target, PATHS_FILE, JSON.parse(readFileSync(path.join(source, PATHS_FILE), "utf8")));
  if (existsSync(path.join(source, FILES_DIR))) cpSync(path.join(source, FILES_DIR), path.join(target, FILES_DIR), { recursive: true });
  process.stderr.write(`ctjs: converted ${writer.eventCount} events to ${targetFormat} in ${target}\n`);
  return 0;
}
