import { closeSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TraceEvent } from "../trace-events.js";
import { isBinaryTraceHeader, iterateBinaryEvents } from "./binary-events.js";
import { iterateJsonEvents } from "./json-events.js";

export type EventsFileFormat = "json" | "binary";

export interface EventsFileLocation {
  file: string;
  format: EventsFileFormat;
}

/**
 * The events file of a trace directory (trace.json, else trace.bin, the order in which the
 * CodeTracer reader looks), or the given file itself; its format comes from its first bytes.
 */
export function locateEventsFile(dirOrFile: string): EventsFileLocation {
  let file = dirOrFile;
  if (statSync(dirOrFile).isDirectory()) {
    const json = join(dirOrFile, "trace.json");
    const bin = join(dirOrFile, "trace.bin");
    if (isFile(json)) file = json;
    else if (isFile(bin)) file = bin;
    else throw new Error(`${dirOrFile} holds no trace.json or trace.bin`);
  }
  return { file, format: startsWithBinaryHeader(file) ? "binary" : "json" };
}

/** The trace's events one at a time; memory stays bounded whatever the trace's size. */
export function iterateTraceEvents(dirOrFile: string): Iterable<TraceEvent> {
  const { file, format } = locateEventsFile(dirOrFile);
  return format === "binary" ? iterateBinaryEvents(file) : iterateJsonEvents(file);
}

/** All events of the trace. */
export function readTraceEvents(dirOrFile: string): TraceEvent[] {
  return Array.from(iterateTraceEvents(dirOrFile));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function startsWithBinaryHeader(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(8);
    const n = readSync(fd, head, 0, 8, 0);
    return isBinaryTraceHeader(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}
