// Maps a position in a compiled file (packages/*/dist/*.js) back to its TypeScript source line,
// through the `.js.map` file beside it, so that profile entries name the lines engineers edit.
// Only what that needs: the VLQ "mappings" field of a version 3 source map, one segment per column.
import { readFileSync } from "node:fs";
import path from "node:path";

const BASE64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT_VALUE = new Map([...BASE64_DIGITS].map((c, i) => [c, i]));

/** The signed integers of one VLQ-encoded segment. */
function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT_VALUE.get(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Per generated line, its segments as [generated column, source index, source line (0-based)]. */
function parseMappings(mappings) {
  const lines = [];
  let source = 0;
  let sourceLine = 0;
  for (const lineText of mappings.split(";")) {
    let column = 0;
    const segments = [];
    for (const segmentText of lineText.split(",")) {
      if (segmentText === "") continue;
      const [columnDelta, sourceDelta, lineDelta] = decodeSegment(segmentText);
      column += columnDelta;
      if (sourceDelta === undefined) continue;
      source += sourceDelta;
      sourceLine += lineDelta;
      segments.push([column, source, sourceLine]);
      // the 4th and 5th fields (source column, name) are not needed here
    }
    lines.push(segments);
  }
  return lines;
}

const maps = new Map();

function loadMap(file) {
  if (!maps.has(file)) {
    try {
      const map = JSON.parse(readFileSync(`${file}.map`, "utf8"));
      const base = path.resolve(path.dirname(file), map.sourceRoot ?? "");
      maps.set(file, { sources: map.sources.map((s) => path.resolve(base, s)), lines: parseMappings(map.mappings) });
    } catch {
      maps.set(file, undefined);
    }
  }
  return maps.get(file);
}

/** { file, line } (1-based) in the original source of `file` at 0-based line/column, or undefined. */
export function originalPosition(file, line, column) {
  const map = loadMap(file);
  const segments = map?.lines[line];
  if (!segments || segments.length === 0) return undefined;
  let best = segments[0];
  for (const segment of segments) {
    if (segment[0] <= column) best = segment;
    else break;
  }
  return { file: map.sources[best[1]], line: best[2] + 1 };
}
