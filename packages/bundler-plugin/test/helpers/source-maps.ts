import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import { readFileSync } from "node:fs";
import path from "node:path";

export interface OriginalPosition {
  /** Source as the map names it, resolved against the map's location (webpack's `webpack://` stay as they are). */
  source: string | null;
  line: number | null;
  column: number | null;
  /** 1-based line and 0-based column of the marker in the bundle. */
  generated: { line: number; column: number };
}

/** Where the first occurrence of `marker` in `bundle` comes from, according to `<bundle>.map`. */
export function originalPositionOf(bundle: string, marker: string): OriginalPosition {
  const lines = readFileSync(bundle, "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`${marker} not in ${bundle}`);
  const generated = { line: index + 1, column: lines[index]!.indexOf(marker) };
  const map = new TraceMap(readFileSync(`${bundle}.map`, "utf8"), path.basename(bundle));
  const original = originalPositionFor(map, generated);
  const source = original.source === null || /^[a-z]+:/.test(original.source) ? original.source : path.resolve(path.dirname(bundle), original.source);
  return { source, line: original.line, column: original.column, generated };
}

/** 1-based line of the first line of `file` that contains `marker`. */
export function lineIn(file: string, marker: string): number {
  const index = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`${marker} not in ${file}`);
  return index + 1;
}
