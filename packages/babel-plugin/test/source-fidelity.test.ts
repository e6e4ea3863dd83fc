/**
 * Every position the site table records is a position in the file the developer wrote (TypeScript,
 * TSX, or whatever an input source map points back to), and the output's own source map leads
 * from the instrumented code back there, so stack traces do too.
 */
import { GenMapping, maybeAddMapping, setSourceContent, toEncodedMap } from "@jridgewell/gen-mapping";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import { parseSync } from "@babel/core";
import { createRequire } from "node:module";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import ctjsBabelPlugin, { instrumentSource } from "../src/index.js";
import { emittedTable, positionOf, runNode, scratchDir, transformWithPlugin, withInlineMap, writeFile, type BabelOutput, type EmittedTable } from "./plugin-harness.js";

const require = createRequire(import.meta.url);

const SHAPES_TS = `interface Shape { area(): number }
type Id = string | number;
enum Color { Red, Green = 4 }
export class Circle implements Shape {
  constructor(private readonly radius: number) {}
  area(): number {
    const r = this.radius;
    return Math.PI * r * r;
  }
}
export function largest<T extends Shape>(shapes: T[]): T | undefined {
  let best: T | undefined;
  for (const shape of shapes) {
    if (!best || shape.area() > best.area()) best = shape;
  }
  return best;
}
const config = { color: Color.Green } satisfies { color: Color };
const id = <Id>"c1";
console.log(largest([new Circle(1), new Circle(2)])!.area().toFixed(2), config.color, id);
`;
const SHAPES_OUTPUT = "12.57 4 c1\n";

/** The developer's functions of SHAPES_TS and where they start. */
const SHAPES_FUNCTIONS = [
  { name: "<module>", line: 1, column: 0 },
  { name: "Circle.constructor", ...positionOf(SHAPES_TS, "constructor(") },
  { name: "Circle#area", ...positionOf(SHAPES_TS, "area(): number {") },
  { name: "largest", ...positionOf(SHAPES_TS, "function largest") },
];

/** The statements of SHAPES_TS that run, by the text they start with. */
const SHAPES_STATEMENTS = [
  "enum Color",
  "export class Circle",
  "const r = this.radius",
  "return Math.PI",
  "let best",
  "for (const shape",
  "if (!best",
  "best = shape",
  "return best",
  "const config",
  "const id",
  "console.log(largest",
];

/** The source text at a table position, up to the end of its line. */
function textAt(source: string, position: { line: number; column: number }): string {
  return (source.split("\n")[position.line - 1] ?? "").slice(position.column);
}

/** Named functions of the table, in source order (the table lists inner functions first). */
function userFunctions(table: EmittedTable) {
  return table.fns
    .filter((f) => !f.name.startsWith("<anonymous"))
    .map(({ name, line, column }) => ({ name, line, column }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Each expected statement has a site at its first character, and every site is at code of the file. */
function expectStatementSites(table: EmittedTable, source: string, statements: string[]): void {
  const texts = table.sites.map((site) => textAt(source, site));
  for (const statement of statements) {
    expect(texts.some((text) => text.startsWith(statement)), `no site at ${statement}; sites: ${JSON.stringify(texts)}`).toBe(true);
  }
  for (const text of texts) expect(text.trim(), `a site points at no code`).not.toBe("");
}

describe("TypeScript and JSX in one pass", () => {
  it("strips types, compiles enums, casts and satisfies, and keeps the TypeScript positions", () => {
    const dir = scratchDir();
    const filename = path.join(dir, "shapes.ts");
    const output = instrumentSource(SHAPES_TS, { filename });
    // plain JavaScript: Babel parses it without the TypeScript plugin, Node runs it
    expect(() => parseSync(output.code, { configFile: false, babelrc: false, sourceType: "module" })).not.toThrow();
    expect(output.code).not.toMatch(/interface|satisfies|<T/);
    writeFile(path.join(dir, "shapes.mjs"), output.code);
    expect(runNode([path.join(dir, "shapes.mjs")])).toMatchObject({ stdout: SHAPES_OUTPUT, stderr: "", status: 0 });
    const table = emittedTable(output.code);
    expect(table.path).toBe(filename);
    expect(userFunctions(table)).toEqual(SHAPES_FUNCTIONS);
    expectStatementSites(table, SHAPES_TS, SHAPES_STATEMENTS);
    expect(table.fns.find((f) => f.name === "Circle.constructor")?.params).toEqual(["radius"]);
  });

  it("compiles TSX (generic arrows, fragments, props) with the TSX positions", () => {
    const source = `const React = { createElement: (type: unknown, props: unknown, ...children: unknown[]) => ({ type, children }), Fragment: "frag" };
type Props<T> = { items: T[]; render: (item: T) => string };
export const List = <T,>({ items, render }: Props<T>) => {
  const rendered = items.map((item) => <li key={render(item)}>{render(item)}</li>);
  return <><ul>{rendered}</ul></>;
};
function Title(props: { text: string }): JSX.Element {
  return <h1 className="title">{props.text}</h1>;
}
const tree = List({ items: [1, 2], render: (n: number) => String(n * 10) });
console.log(JSON.stringify(tree), JSON.stringify(Title({ text: "hi" })));
`;
    const dir = scratchDir();
    const filename = path.join(dir, "list.tsx");
    const output = instrumentSource(source, { filename, jsxRuntime: "classic" });
    writeFile(path.join(dir, "list.mjs"), output.code);
    const run = runNode([path.join(dir, "list.mjs")]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain('{"type":"frag","children":[{"type":"ul","children":[[{"type":"li","children":["10"]}');
    const table = emittedTable(output.code);
    expect(userFunctions(table)).toEqual([
      { name: "<module>", line: 1, column: 0 },
      { name: "React.createElement", ...positionOf(source, "(type: unknown") },
      { name: "List", ...positionOf(source, "<T,>(") },
      { name: "items.map callback", ...positionOf(source, "(item) =>") },
      { name: "Title", ...positionOf(source, "function Title") },
      { name: "render", ...positionOf(source, "(n: number)") },
    ]);
    expectStatementSites(table, source, ["const React", "export const List", "const rendered", "return <>", "return <h1", "const tree", "console.log("]);
  });

  it("works as babel.config.js lists the TypeScript and JSX transforms beside the plugin", () => {
    const source = `export function Badge({ label }: { label: string }) {\n  const text: string = label.toUpperCase();\n  return <b>{text}</b>;\n}\n`;
    const configured = transformWithPlugin(source, "/projects/app/src/badge.tsx", {}, {
      plugins: [
        [ctjsBabelPlugin, {}],
        [require.resolve("@babel/plugin-transform-typescript"), { isTSX: true }],
        [require.resolve("@babel/plugin-transform-react-jsx"), { runtime: "automatic" }],
      ],
    });
    expect(configured.code).toContain('from "react/jsx-runtime"');
    expect(configured.code).not.toContain(": string");
    const table = emittedTable(configured.code);
    expect(userFunctions(table)).toEqual([
      { name: "<module>", line: 1, column: 0 },
      { name: "Badge", ...positionOf(source, "function Badge") },
    ]);
    expect(table.sites.map((s) => textAt(source, s))).toEqual(["const text: string = label.toUpperCase();", "return <b>{text}</b>;"]);
  });
});

/**
 * SHAPES_TS compiled by TypeScript itself (not Babel) into dist/, with a source map whose
 * `sources` lead back to src/shapes.ts, as `tsc --outDir dist --sourceMap` writes it.
 */
function compileWithTsc(dir: string): { original: string; js: string; map: { sources: string[] } & Record<string, unknown> } {
  const original = writeFile(path.join(dir, "src/shapes.ts"), SHAPES_TS);
  const compiled = ts.transpileModule(SHAPES_TS, {
    fileName: original,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true },
  });
  const map = JSON.parse(compiled.sourceMapText!) as { sources: string[] } & Record<string, unknown>;
  map.sources = ["../src/shapes.ts"];
  const js = compiled.outputText.replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");
  return { original, js, map };
}

/**
 * A map sending every character of each part, placed from generated line `line` on and indented
 * by `indent` columns, back to the same character of its source.
 */
function verbatimMap(file: string, parts: Array<{ source: string; text: string; line: number; indent: number }>) {
  const map = new GenMapping({ file });
  for (const part of parts) {
    setSourceContent(map, part.source, part.text);
    part.text.split("\n").forEach((text, index) => {
      for (let column = 0; column < text.length; column++) {
        maybeAddMapping(map, { generated: { line: part.line + index, column: column + part.indent }, source: part.source, original: { line: index + 1, column } });
      }
    });
  }
  return toEncodedMap(map);
}

describe("input source maps", () => {
  const check = (output: { code: string; ctjs?: { path?: string } | undefined }, original: string) => {
    expect(output.ctjs?.path).toBe(original);
    const table = emittedTable(output.code);
    expect(table.path).toBe(original);
    expect(userFunctions(table)).toEqual(SHAPES_FUNCTIONS);
    expectStatementSites(table, SHAPES_TS, SHAPES_STATEMENTS);
  };

  it("an inline map: positions are those of the TypeScript file it names", () => {
    const dir = scratchDir();
    const { original, js, map } = compileWithTsc(dir);
    const compiled = path.join(dir, "dist/shapes.js");
    const withMap = withInlineMap(js, map);
    check(instrumentSource(withMap, { filename: compiled }), original);
    check(transformWithPlugin(withMap, compiled), original);
  });

  it("an adjacent .map file named by the sourceMappingURL comment", () => {
    const dir = scratchDir();
    const { original, js, map } = compileWithTsc(dir);
    const compiled = writeFile(path.join(dir, "dist/shapes.js"), `${js}//# sourceMappingURL=shapes.js.map\n`);
    writeFile(path.join(dir, "dist/shapes.js.map"), JSON.stringify(map));
    const code = `${js}//# sourceMappingURL=shapes.js.map\n`;
    check(instrumentSource(code, { filename: compiled }), original);
    check(transformWithPlugin(code, compiled), original);
  });

  it("an adjacent .map in another folder: its sources are relative to the map", () => {
    const dir = scratchDir();
    const { original, js, map } = compileWithTsc(dir);
    map.sources = ["../../src/shapes.ts"];
    // Babel reads a map outside the input's folder only within the same package
    writeFile(path.join(dir, "package.json"), '{ "name": "shapes" }\n');
    writeFile(path.join(dir, "maps/dist/shapes.js.map"), JSON.stringify(map));
    const code = `${js}//# sourceMappingURL=../maps/dist/shapes.js.map\n`;
    const compiled = writeFile(path.join(dir, "dist/shapes.js"), code);
    check(instrumentSource(code, { filename: compiled }), original);
  });

  it("a map of several sources (a bundle): positions stay those of the file as given", () => {
    const parts = { "a.js": "export function fromA(x) {\n  return x + 1;\n}\n", "b.js": "export function fromB(y) {\n  return y * 2;\n}\n" };
    const bundle = Object.values(parts).join("");
    const map = verbatimMap("bundle.js", [
      { source: "a.js", text: parts["a.js"], line: 1, indent: 0 },
      { source: "b.js", text: parts["b.js"], line: 4, indent: 0 },
    ]);
    const dir = scratchDir();
    const filename = path.join(dir, "bundle.js");
    const output = instrumentSource(withInlineMap(bundle, map), { filename });
    const table = emittedTable(output.code);
    expect(table.path).toBe(filename);
    expect(userFunctions(table)).toEqual([
      { name: "<module>", line: 1, column: 0 },
      { name: "fromA", ...positionOf(bundle, "function fromA") },
      { name: "fromB", ...positionOf(bundle, "function fromB") },
    ]);
    // the output map still leads to each part
    const traced = originalPositionFor(new TraceMap(output.map as ConstructorParameters<typeof TraceMap>[0]), positionOf(output.code, "y * 2"));
    expect([traced.source, traced.line, traced.column]).toEqual([expect.stringMatching(/b\.js$/), 2, 9]);
  });

  it("a hand-made map of a shifted copy: exact lines and columns of the original", () => {
    const source = `export function scale(values, factor) {
  const out = [];
  for (let i = 0; i < values.length; i++) {
    out.push(values[i] * factor);
  }
  return out;
}
export const half = (values) => scale(values, 0.5);
`;
    const dir = scratchDir();
    const original = writeFile(path.join(dir, "src/scale.js"), source);
    // three banner lines, and every line indented by four spaces
    const banner = "// built\n// by a tool\n/* that shifts code */\n";
    const shifted = banner + source.split("\n").map((l) => (l === "" ? l : `    ${l}`)).join("\n");
    const map = verbatimMap("scale.js", [{ source: "../src/scale.js", text: source, line: 4, indent: 4 }]);
    const compiled = path.join(dir, "build/scale.js");
    const output = instrumentSource(withInlineMap(shifted, map), { filename: compiled });
    const table = emittedTable(output.code);
    expect(table.path).toBe(original);
    expect(userFunctions(table)).toEqual([
      { name: "<module>", line: 1, column: 0 },
      { name: "scale", ...positionOf(source, "function scale") },
      { name: "half", ...positionOf(source, "(values) =>") },
    ]);
    // in the order the instrumenter meets them: loop test and update after the loop body
    expect(table.sites.map(({ line, column }) => ({ line, column }))).toEqual([
      positionOf(source, "const out"),
      positionOf(source, "for (let i"),
      positionOf(source, "out.push"),
      positionOf(source, "i < values"),
      positionOf(source, "i++"),
      positionOf(source, "return out"),
      positionOf(source, "export const half"),
    ]);
  });
});

/** Generated line/column of the first occurrence of `text` in the output. */
function generatedPositionOf(code: string, text: string): { line: number; column: number } {
  return positionOf(code, text);
}

function originalOf(output: BabelOutput | { map: object | null; code: string }, text: string): { source: string | null; line: number | null; column: number | null } {
  const traced = originalPositionFor(new TraceMap(output.map as ConstructorParameters<typeof TraceMap>[0]), generatedPositionOf(output.code, text));
  return { source: traced.source, line: traced.line, column: traced.column };
}

describe("the output's source map", () => {
  const SOURCE = `import { readFileSync } from "node:fs";
export function first(list) {
  const head = list[0];
  return markHead(head);
}

export class Box {
  open() {
    return markOpen(this);
  }
}
markTop(first([1]), new Box().open());
`;
  const markers = ["markHead(head)", "markOpen(this)", "markTop(first"];

  it.each([
    ["Babel's default layout", (code: string, filename: string) => transformWithPlugin(code, filename)],
    ["instrumentSource (lines retained)", (code: string, filename: string) => instrumentSource(code, { filename })],
  ])("maps instrumented code back to the original: %s", (_label, transform) => {
    const filename = "/projects/app/src/first.mjs";
    const output = transform(SOURCE, filename);
    for (const marker of markers) {
      const traced = originalOf(output as BabelOutput, marker);
      expect(traced, marker).toEqual({ source: expect.stringMatching(/first\.mjs$/), ...positionOf(SOURCE, marker) });
    }
  });

  it("maps through an input map to the TypeScript the developer wrote", () => {
    const dir = scratchDir();
    const { js, map } = compileWithTsc(dir);
    const output = instrumentSource(withInlineMap(js, map), { filename: path.join(dir, "dist/shapes.js") });
    for (const marker of ["Math.PI * r * r", "largest([new Circle(1)"]) {
      const traced = originalOf(output, marker);
      expect(traced.source).toMatch(/src\/shapes\.ts$/);
      expect({ line: traced.line, column: traced.column }, marker).toEqual(positionOf(SHAPES_TS, marker));
    }
  });

  it("keeps stack traces on the developer's lines under --enable-source-maps", () => {
    const source = `interface Account { balance: number }
function withdraw(account: Account, amount: number): number {
  if (amount > account.balance) {
    throw new RangeError(\`cannot withdraw \${amount}\`);
  }
  return account.balance - amount;
}

function pay(amount: number) {
  return withdraw({ balance: 10 }, amount);
}
pay(5);
pay(50);
`;
    const dir = scratchDir();
    const original = writeFile(path.join(dir, "src/pay.ts"), source);
    const output = instrumentSource(source, { filename: original });
    const built = writeFile(path.join(dir, "src/pay.mjs"), withInlineMap(output.code, output.map!));
    const run = runNode(["--enable-source-maps", built]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("RangeError: cannot withdraw 50");
    const frames = run.stderr.split("\n").filter((l) => l.trim().startsWith("at ")).map((l) => l.trim());
    expect(frames[0]).toMatch(new RegExp(`^at withdraw \\(${escape(original)}:${positionOf(source, "throw new").line}:\\d+\\)$`));
    expect(frames[1]).toMatch(new RegExp(`^at pay \\(${escape(original)}:${positionOf(source, "return withdraw").line}:\\d+\\)$`));
    expect(frames[2]).toMatch(new RegExp(`${escape(original)}:${positionOf(source, "pay(50)").line}:\\d+`));
    // the source line Node prints above the error is the developer's too
    expect(run.stderr).toContain("throw new RangeError(`cannot withdraw ${amount}`);");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
