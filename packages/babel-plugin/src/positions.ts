import path from "node:path";
import { TraceMap, decodedMappings } from "@jridgewell/trace-mapping";

/** A position in the file the developer wrote: 1-based line, 0-based column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Maps positions of the code Babel parsed back to the developer's file. Without an input source
 * map that is the identity; with one (inline or adjacent), positions go through it and the
 * recorded path becomes the map's original source. A map of several sources (a bundle) is not
 * followed: one file's table has one path, so the positions stay those of the parsed file.
 */
export class PositionMapper {
  readonly path: string;
  private readonly map: TraceMap | undefined;

  /** `code` is the parsed code: an adjacent map's `sources` are relative to the map's own location. */
  constructor(filename: string, inputMap: unknown, code = "") {
    this.path = filename;
    this.map = undefined;
    const raw = rawMap(inputMap);
    if (raw === undefined) return;
    try {
      const map = new TraceMap(raw as ConstructorParameters<typeof TraceMap>[0], adjacentMapFile(filename, code));
      const sources = map.resolvedSources;
      if (sources.length !== 1 || sources[0] === null) return;
      this.map = map;
      this.path = resolveSource(filename, sources[0]!);
    } catch {
      // an unreadable map: keep the positions of the parsed code
    }
  }

  /** The developer's position of a parsed-code position (falls back to the parsed one). */
  map1(line: number, column: number): SourcePosition {
    if (this.map === undefined) return { line, column };
    const segments = decodedMappings(this.map)[line - 1] ?? [];
    const index = lastSegmentAtOrBefore(segments, column);
    const segment = index < 0 ? undefined : segments[index];
    if (segment === undefined || !isMapped(segment)) {
      // code the map does not cover: the original line of the generated line's start, if any
      const first = segments[0];
      if (first !== undefined && isMapped(first)) return { line: first[2] + 1, column: 0 };
      return { line, column };
    }
    return { line: segment[2] + 1, column: segment[3] + verbatimOffset(segments, index, column) };
  }
}

type Segment = ReturnType<typeof decodedMappings>[number][number];
type MappedSegment = Extract<Segment, { length: 4 | 5 }>;

function isMapped(segment: Segment): segment is MappedSegment {
  return segment.length >= 4;
}

/** Index of the last segment starting at or before `column` (-1 when none). Segments are sorted. */
function lastSegmentAtOrBefore(segments: readonly Segment[], column: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (segments[mid]![0] <= column) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/**
 * How far into segment `index` the column lies in the original, when that is knowable: compilers
 * map tokens, not every character (TypeScript maps `export function f` at the space before
 * `function`), and a span whose generated and original lengths agree up to the next segment on the
 * same original line is a verbatim copy. Otherwise the segment's own position is the best answer.
 */
function verbatimOffset(segments: readonly Segment[], index: number, column: number): number {
  const segment = segments[index]!;
  const offset = column - segment[0];
  const next = segments[index + 1];
  if (offset === 0 || next === undefined || !isMapped(next) || !isMapped(segment)) return 0;
  if (next[1] !== segment[1] || next[2] !== segment[2]) return 0;
  return next[0] - segment[0] === next[3] - segment[3] ? offset : 0;
}

function rawMap(inputMap: unknown): unknown {
  if (inputMap === null || inputMap === undefined) return undefined;
  const m = inputMap as { toObject?: () => unknown; sourcemap?: unknown };
  if (typeof m.toObject === "function") return m.toObject();
  if (m.sourcemap !== undefined) return m.sourcemap;
  return inputMap;
}

/** The file named by the code's last `sourceMappingURL` comment, unless that is a data: URL. */
function adjacentMapFile(filename: string, code: string): string | undefined {
  const comments = [...code.matchAll(/\/[/*][#@][ \t]*sourceMappingURL=([^\s'"*]+)/g)];
  const url = comments[comments.length - 1]?.[1];
  if (url === undefined || url.startsWith("data:")) return undefined;
  if (url.startsWith("file://")) return resolveSource(filename, url);
  return path.resolve(path.dirname(filename), decodeURI(url));
}

function resolveSource(filename: string, source: string): string {
  if (source.startsWith("file://")) {
    try {
      return decodeURIComponent(new URL(source).pathname);
    } catch {
      return source;
    }
  }
  if (path.isAbsolute(source)) return source;
  return path.resolve(path.dirname(filename), source);
}
