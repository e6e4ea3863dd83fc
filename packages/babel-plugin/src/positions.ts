import path from "node:path";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";

/** A position in the file the developer wrote: 1-based line, 0-based column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Maps positions of the code Babel parsed back to the developer's file. Without an input source
 * map that is the identity; with one (inline or adjacent), positions go through it and the
 * recorded path becomes the map's original source.
 */
export class PositionMapper {
  readonly path: string;
  private readonly map: TraceMap | undefined;
  private readonly sourceIndex: number;

  constructor(filename: string, inputMap: unknown) {
    this.path = filename;
    this.map = undefined;
    this.sourceIndex = -1;
    const raw = rawMap(inputMap);
    if (raw === undefined) return;
    try {
      const map = new TraceMap(raw as ConstructorParameters<typeof TraceMap>[0]);
      const sources = map.resolvedSources ?? map.sources;
      if (sources.length === 0) return;
      this.map = map;
      this.sourceIndex = 0;
      const original = sources[0]!;
      this.path = resolveSource(filename, original);
    } catch {
      // an unreadable map: keep the positions of the parsed code
    }
  }

  /** The developer's position of a parsed-code position (falls back to the parsed one). */
  map1(line: number, column: number): SourcePosition {
    if (this.map === undefined) return { line, column };
    const found = originalPositionFor(this.map, { line, column });
    if (found.line === null || found.line === undefined) {
      const start = originalPositionFor(this.map, { line, column: 0 });
      if (start.line !== null && start.line !== undefined) return { line: start.line, column: 0 };
      return { line, column };
    }
    return { line: found.line, column: found.column ?? 0 };
  }
}

function rawMap(inputMap: unknown): unknown {
  if (inputMap === null || inputMap === undefined) return undefined;
  const m = inputMap as { toObject?: () => unknown; sourcemap?: unknown };
  if (typeof m.toObject === "function") return m.toObject();
  if (m.sourcemap !== undefined) return m.sourcemap;
  return inputMap;
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
