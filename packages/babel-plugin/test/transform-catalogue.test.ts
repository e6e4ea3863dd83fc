/**
 * packages/babel-plugin/TRANSFORM.md shows, shape by shape, what the plugin makes of a function.
 * Its "after" blocks are the plugin's real output, reprinted for reading: this test renders them
 * again and fails when the document no longer says what the plugin does.
 * `CTJS_UPDATE_CATALOGUE=1 pnpm exec vitest run packages/babel-plugin/test/transform-catalogue.test.ts` rewrites it.
 */
import { parseSync, transformFromAstSync } from "@babel/core";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as t from "@babel/types";
import { expect, it } from "vitest";
import { instrumentSource } from "../src/index.js";

const DOCUMENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../TRANSFORM.md");

interface Shape {
  title: string;
  why: string;
  file: string;
  source: string;
  /** Show the file preamble (site table, probes binding, `<module>` frame) rather than a comment in its place. */
  preamble?: boolean;
}

const SHAPES: Shape[] = [
  {
    title: "A module: the preamble and the `<module>` frame",
    why: "Every file gets a site table (`_ctF`: functions, variable names, and each step's line, column and variables) built once by a hoisted `_ctI`, and a `const` binding of the realm's probes object. The top level is a frame of its own, `<module>`. While nothing records, `_c.onCall` and `_c.onLine` are false fields of a constant object: optimised code folds every test away.",
    file: "/app/greet.mjs",
    source: `const greeting = "hello";\nconsole.log(greeting);\n`,
    preamble: true,
  },
  {
    title: "A function of several statements",
    why: "The frame is entered with the parameters' values, a line probe before each statement passes the variables readable there (never one in its temporal dead zone), and a `try`/`finally` leaves the frame exactly once, whether the body returns, falls off its end or throws. `_ctr` holds the probes object until a `return` stores the value, which is how the exit probe tells a return from an unwinding. Parameters never reassigned are not passed again at each step: the site table lists them (`[line, column, passed, [name, position, …]]`) and the recorder shows the values the frame was entered with, which keeps the function small enough for V8 to inline.",
    file: "/app/area.mjs",
    source: `export function area(width, height) {\n  const product = width * height;\n  if (product < 0) throw new RangeError("negative");\n  return product;\n}\n`,
  },
  {
    title: "A leaf function whose body sits on one line: a dormant copy",
    why: "A function that creates no closure and whose code is on one line also carries its original body, run while nothing records: no frame, no `try`. Both copies stay on that one line, so an error's line number is the developer's either way.",
    file: "/app/math.mjs",
    source: `export const double = (x) => x * 2;\nexport function clamp(x, low, high) {\n  return x < low ? low : x > high ? high : x;\n}\n`,
  },
  {
    title: "Loops",
    why: "A `for` loop's test and update are steps of their own, with the loop variable; a `for…of` steps at the head of each iteration, once the loop variable is bound.",
    file: "/app/sum.mjs",
    source: `export function sum(items) {\n  let total = 0;\n  for (let i = 0; i < items.length; i++) total += items[i];\n  for (const item of items) total -= item;\n  return total;\n}\n`,
  },
  {
    title: "`async` and `await`, generators and `yield`",
    why: "Each `await` and `yield` suspends the frame with the awaited or yielded value and resumes it with the value it produced, evaluated once; a `yield` passes `1`, so a generator closed by `.return()` is told from one resumed normally.",
    file: "/app/flow.mjs",
    source: `export async function load(fetcher) {\n  const value = await fetcher();\n  return value;\n}\nexport function* count(limit) {\n  for (let n = 0; n < limit; n++) yield n;\n}\n`,
  },
  {
    title: "`throw` and `catch`",
    why: "A `throw` reports the value it raises (and the result slot, for a `finally` that returns over it); a `catch` reports the exception it takes, so the trace knows which frame unwound with it and where it stopped.",
    file: "/app/parse.mjs",
    source: `export function parse(text) {\n  try {\n    return JSON.parse(text);\n  } catch (error) {\n    throw new SyntaxError("bad input");\n  }\n}\n`,
  },
  {
    title: "Class fields",
    why: "A field initialiser is a frame of its own without a function around it (a function would show in `error.stack`): it is entered and left around the initialiser's value.",
    file: "/app/counter.mjs",
    source: `export class Counter {\n  count = 0;\n  add(amount) {\n    this.count += amount;\n  }\n}\n`,
  },
  {
    title: "`this` and private fields",
    why: "Steps of class members (methods, accessors, constructors, static blocks), of object-literal methods and of the arrows inside them pass `this`, which the site table names \"this\"; a plain `function`'s steps do not (its `this` is the global object, or whatever its caller chose). In a derived constructor, `this` is passed only after a `super(…)` statement at the top of the body: before it, reading `this` would throw. In instance members of a class with private fields, the class's reader of them follows the variables: one arrow per class (`_ctp`), set by a static block put first in the class body, since only code inside the class can name its private fields, and declared with `var` in the code that evaluates the class, so that each class a factory makes keeps its own. The site table lists the fields as the site's fifth element (its fourth, the kept parameters, is `0` when there are none). While recording, the recorder calls the reader with `this` and a marker of its own for \"no such field\": each field is read behind a brand check, which fails for an object of another class (a method called on another object) or of another evaluation of the class; a primitive gets no fields, since `#x in 5` throws. Private methods and accessors are never read: that would run the developer's code. A step passes two identifiers whatever the number of fields, which keeps small methods within V8's inlining budget; static members, whose `this` is the class (shown as text), pass `this` alone.",
    file: "/app/counter.mjs",
    source: `import { Base } from "./base.mjs";\nexport class Counter extends Base {\n  #count = 0;\n  #step = 1;\n  get #double() {\n    return this.#count * 2;\n  }\n  constructor(start) {\n    const first = start * 2;\n    super();\n    this.#count = first;\n  }\n  add(amount) {\n    this.#count += amount * this.#step;\n  }\n}\n`,
    preamble: true,
  },
  {
    title: "A module that imports: hoisted functions read the probes through `_ctP()`",
    why: "Through an import cycle, another module can call this module's hoisted function declarations before this module's body ran, when the `const` is still in its temporal dead zone. Code inside them reads the probes through a hoisted accessor that falls back on `_ctI()`; the rest of the file reads the `const`.",
    file: "/app/cycle.mjs",
    source: `import { other } from "./other.mjs";\nexport function early(n) {\n  return other(n) + 1;\n}\nexport const late = (n) => other(n);\n`,
  },
  {
    title: "A classic script: a `var` binding",
    why: "A script that is not CommonJS declares its top-level names globally, and a page may load it twice: a `const` would be declared twice. Its names carry a hash of the file, and the probes sit in a `var` (whose global cell V8 folds all the same) read as `_ct || _ctI()`. A CommonJS file (one that uses `require`, `module` or `exports`) gets the `const`.",
    file: "/app/widget.js",
    source: `function show(text) {\n  document.title = text;\n}\nshow("ready");\n`,
    preamble: true,
  },
];

/** The file-level statements of the first section: the site table, its initialiser, the probes binding, the `<module>` frame. */
function isPreamble(statement: t.Statement): boolean {
  if (t.isFunctionDeclaration(statement)) return statement.id?.name === "_ctI";
  if (!t.isVariableDeclaration(statement)) return false;
  const first = statement.declarations[0]!.id as t.Identifier;
  return ["_ctF", "_ct", "_c"].includes(first.name);
}

/** The plugin's output for `shape`, reprinted without retainLines (same code, one statement per line). */
function afterOf(shape: Shape): string {
  const sourceType = shape.file.endsWith(".mjs") ? "module" : "script";
  const { code } = instrumentSource(shape.source, { filename: shape.file, warnings: false, sourceType });
  const ast = parseSync(code, { configFile: false, babelrc: false, sourceType })!;
  if (!shape.preamble) {
    const body = ast.program.body;
    const at = body.findIndex(isPreamble);
    const kept = body.filter((s) => !isPreamble(s));
    const marker = t.emptyStatement();
    t.addComment(marker, "leading", " preamble and <module> frame as in the first section", true);
    kept.splice(at, 0, marker);
    ast.program.body = kept;
  }
  return transformFromAstSync(ast, code, { configFile: false, babelrc: false, retainLines: false, comments: true, compact: false })!.code!.replace(/^;$/m, "").replace(/\n\/\/# sourceMappingURL=.*$/, "");
}

function render(): string {
  const parts = [
    "# What the Babel plugin does to each shape of code",
    "",
    "Each section shows a small input and what `@ctjs/babel-plugin` makes of it. The output is the plugin's own,",
    "reprinted one statement per line for reading (the real output keeps every statement on its original line,",
    "so that stack traces name the developer's lines, and ends with a source map comment). Generated names start",
    "with `_c` and never collide with the file's own names: `_ct` the probes object, `_ctF` the file's site table,",
    "`_ctI()` its initialiser, `_c` a frame's probes, `_ctf` its Frame (the table while dormant), `_ctr` its result",
    "slot, `_ctt` a temporary, `_ctp` a class's reader of private fields. The probe methods are described in",
    "`packages/monitoring/src/probes.ts`.",
    "",
    "This document is checked by `packages/babel-plugin/test/transform-catalogue.test.ts`.",
  ];
  for (const shape of SHAPES) {
    parts.push("", `## ${shape.title}`, "", shape.why, "", "Before:", "", "```js", shape.source.trimEnd(), "```", "", "After:", "", "```js", afterOf(shape).trimEnd(), "```");
  }
  return parts.join("\n") + "\n";
}

it("TRANSFORM.md shows what the plugin does today", () => {
  const rendered = render();
  if (process.env.CTJS_UPDATE_CATALOGUE === "1") writeFileSync(DOCUMENT, rendered);
  expect(readFileSync(DOCUMENT, "utf8")).toBe(rendered);
});
