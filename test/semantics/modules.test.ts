/**
 * From the checklist's "Also:": `import.meta`, top-level `await`, dynamic `import()`, CommonJS
 * `module.exports` cycles, code already instrumented once, `Error.stack` / `fn.toString()`
 * expectations; plus ES module cycles and TypeScript-only syntax.
 */
import { describe, expect, it } from "vitest";
import { instrumentSource } from "../../packages/babel-plugin/src/transform.js";
import { differential, lineOf } from "../helpers/differential.js";
import { traceFacts } from "../helpers/trace-facts.js";

describe("import.meta", () => {
  it("keeps import.meta of the running module", () => {
    const r = differential(
      `console.log(import.meta.url);
console.log(import.meta.filename, import.meta.dirname);
console.log(typeof import.meta.resolve, import.meta.resolve("./dep.mjs"));
function inFunction() { return import.meta.url.endsWith("/snippet.mjs") }
console.log(inFunction(), Object.keys(import.meta).sort().join());
import { depMeta } from "./dep.mjs";
console.log(depMeta);
`,
      { files: { "dep.mjs": "export const depMeta = import.meta.url.split('/').pop();\n" } },
    );
    expect(r.plain.stdout).toContain("file://<dir>/snippet.mjs");
  });
});

describe("top-level await", () => {
  it("keeps module evaluation order and the values awaited", () => {
    const source = `import { ready } from "./dep.mjs";
console.log("main starts, dep ready:", ready);
const v = await Promise.resolve(41);
console.log("main awaited", v + 1);
for await (const x of [Promise.resolve("a"), "b"]) console.log("for await", x);
const late = await new Promise((resolve) => setTimeout(() => resolve("timer"), 5));
console.log(late);
`;
    const r = differential(source, {
      files: {
        "dep.mjs": `console.log("dep starts");\nawait null;\nexport const ready = await Promise.resolve("yes");\nconsole.log("dep done");\n`,
      },
    });
    expect(r.plain.stdout).toBe("dep starts\ndep done\nmain starts, dep ready: yes\nmain awaited 42\nfor await a\nfor await b\ntimer\n");
    const facts = traceFacts(r.events);
    const modules = facts.calls.filter((c) => c.name === "<module>");
    expect(modules.length).toBeGreaterThanOrEqual(2);
  });

  it("keeps an unhandled rejection at the top level", () => {
    const r = differential(`console.log("before");\nawait Promise.reject(new Error("top-level rejection"));\nconsole.log("after");\n`);
    expect(r.plain.status).toBe(1);
  });
});

describe("dynamic import()", () => {
  it("loads the same module instance from ESM and CommonJS", () => {
    differential(
      `const m = await import("./dep.mjs");
const again = await import("./dep.mjs");
console.log(m === again, m.value, m.default(), Object.keys(m).join());
const cjs = await import("./dep.cjs");
console.log(cjs.default.fromCjs, typeof cjs.default);
try { await import("./missing.mjs") } catch (e) { console.log(e.code) }
function lazy() { return import("./dep.mjs").then((ns) => ns === m) }
console.log(await lazy());
`,
      {
        files: {
          "dep.mjs": `export const value = 1;\nexport default function named() { return "default fn" }\n`,
          "dep.cjs": `module.exports = { fromCjs: "cjs" };\n`,
        },
      },
    );
  });

  it("works from CommonJS", () => {
    differential(
      `const p = import("./dep.mjs");
console.log(p instanceof Promise);
p.then((ns) => console.log(ns.value, ns[Symbol.toStringTag]));
`,
      { ext: ".cjs", files: { "dep.mjs": "export const value = 'esm from cjs';\n" } },
    );
  });
});

describe("CommonJS", () => {
  it("keeps module.exports cycles (partial exports) intact", () => {
    const r = differential(
      `exports.loaded = false;
const b = require("./b.cjs");
console.log("a sees b.done =", b.done, "and b saw a.loaded =", b.sawA);
exports.loaded = true;
module.exports.fn = function aFn() { return "aFn" };
console.log(require("./b.cjs").callA(), require("./b.cjs") === b);
const c = require("./c.cjs");
console.log("c:", JSON.stringify(c), "d saw:", JSON.stringify(require("./d.cjs").sawC));
console.log(require.main === module, typeof __dirname, __filename.endsWith("snippet.cjs"));
`,
      {
        ext: ".cjs",
        files: {
          "b.cjs": `const a = require("./snippet.cjs");\nexports.sawA = a.loaded;\nexports.done = true;\nexports.callA = () => a.fn();\n`,
          "c.cjs": `exports.before = "partial";\nrequire("./d.cjs");\nmodule.exports = { replaced: true };\n`,
          "d.cjs": `exports.sawC = require("./c.cjs");\n`,
        },
      },
    );
    expect(r.plain.stdout).toContain("a sees b.done = true and b saw a.loaded = false");
  });

  it("keeps a top-level return", () => {
    const r = differential(
      `console.log("before");
function helper() { return "helper" }
if (process.argv.length > 0) return console.log(helper());
console.log("after");
`,
      { ext: ".cjs" },
    );
    expect(r.plain.stdout).toBe("before\nhelper\n");
  });
});

describe("ES module cycles", () => {
  it("let a cyclic import call this module's functions before its body ran", () => {
    const r = differential(
      `import { fromB } from "./b.mjs";
export function fromA(x) { return "A" + x }
console.log("main", fromB());
`,
      { files: { "b.mjs": `import { fromA } from "./snippet.mjs";\nexport function fromB() { return "B" }\nconsole.log("b calls a:", fromA(1));\n` } },
    );
    expect(r.plain.stdout).toBe("b calls a: A1\nmain B\n");
    expect(traceFacts(r.events).callsOf("fromA")[0]!.args).toEqual({ x: 1 });
  });

  it("let a cyclic import run closures and classes of this module's hoisted functions before its body ran", () => {
    const r = differential(
      `import { later } from "./b.mjs";
export function early(n) {
  const twice = (x) => x * 2;
  class Box { value = twice(n); get doubled() { return this.value } }
  let total = 0;
  for (let i = 0; i < 2; i++) total += new Box().doubled;
  return total;
}
console.log("main", later());
`,
      { files: { "b.mjs": `import { early } from "./snippet.mjs";\nconst seen = early(3);\nexport function later() { return seen + early(1) }\nconsole.log("b saw", seen);\n` } },
    );
    expect(r.plain.stdout).toBe("b saw 12\nmain 16\n");
    const facts = traceFacts(r.events);
    expect(facts.callsOf("early").map((c) => c.returned)).toEqual([12, 4]);
    expect(facts.callsOf("twice")).toHaveLength(4);
  });
});

describe("code instrumented once", () => {
  it("is not instrumented twice", () => {
    const source = `function f(a) { return a + 1 }\nconsole.log(f(1));\n`;
    const once = instrumentSource(source, { filename: "/tmp/ctjs-once/snippet.mjs", warnings: false });
    const twice = instrumentSource(once.code, { filename: "/tmp/ctjs-once/snippet.mjs", warnings: false });
    expect(twice.ctjs).toMatchObject({ instrumented: false, reason: "already-instrumented" });
    const r = differential((snippetPath) => instrumentSource(source, { filename: snippetPath, warnings: false }).code);
    expect(r.plain.stdout).toBe("2\n");
    const facts = traceFacts(r.events);
    expect(facts.callsOf("f")).toHaveLength(1);
    expect(facts.callsOf("f")[0]!.args).toEqual({ a: 1 });
    expect(facts.callsOf("<module>")).toHaveLength(1);
  });
});

describe("Error.stack and fn.toString()", () => {
  it("keeps function names and line numbers in stacks", () => {
    const source = `function thrower() { throw new Error("stack") }
function caller() { thrower() }
const arrow = () => caller();
class K { method() { arrow() } }
try { new K().method() } catch (e) {
  console.log(e.stack.split("\\n").slice(0, 6).map((l) => l.trim().replace(/:(\\d+):\\d+\\)?$/, ":$1")).join("\\n"));
}
function captured() { const o = {}; Error.captureStackTrace(o, captured); return o.stack.split("\\n").length }
console.log(captured() > 0, new Error("x").stack.split("\\n")[0]);
`;
    const r = differential(source);
    expect(r.plain.stdout).toContain("at thrower (");
    expect(r.plain.stdout).toContain(`snippet.mjs:${lineOf(source, "function caller")}`);
  });

  it("keeps the lines of errors thrown in functions whose one-line body is written across lines", () => {
    const source = `function reach(x) {
  return x.missing.deep;
}
const box = {
  get broken() {
    return reach({});
  },
};
const pick = (o) =>
  o.value.inner;
for (const attempt of [() => box.broken, () => pick({})]) {
  try { attempt() } catch (e) { console.log(e.stack.split("\\n").slice(0, 3).map((l) => l.trim().replace(/:(\\d+):\\d+\\)?$/, ":$1")).join(" | ")) }
}
try { reach(null) } catch (e) { console.log(e.constructor.name) }
reach(undefined);
`;
    const r = differential(source);
    expect(r.plain.stdout).toContain(`snippet.mjs:${lineOf(source, "return x.missing")}`);
    expect(r.plain.stdout).toContain(`snippet.mjs:${lineOf(source, "o.value.inner")}`);
    expect(r.plain.status).toBe(1);
  });

  it("adds no stack frames to errors created in field initialisers", () => {
    differential(
      `const frames = (e) => e.stack.split("\\n").slice(1, 3).map((l) => l.trim().split(" (")[0].replace(/:\\d+:\\d+$/, "")).join(" | ");
class K { instanceField = frames(new Error()); static staticField = frames(new Error()) }
console.log(new K().instanceField);
console.log(K.staticField);
`,
    );
  });

  it("keeps the parameter lists that toString() shows", () => {
    differential(
      `function f(a, b = 2, ...rest) { return a }
const g = (x, { y }) => x;
const h = async function named(p) {};
class C { constructor(first, second) {} m(q) {} }
const params = (fn) => /\\(([^)]*)\\)/.exec(String(fn))[1];
console.log([f, g, h, C, C.prototype.m].map(params).join(" | "));
console.log(String(f).startsWith("function f(a, b = 2, ...rest) {"), String(g).startsWith("(x, { y }) =>"), String(C).startsWith("class C {"));
console.log(typeof Function.prototype.toString.call(f), String(Math.max));
`,
    );
  });
});

describe("TypeScript", () => {
  it("keeps enums, namespaces, casts and generics", () => {
    differential(
      `enum Color { Red, Green = 5, Blue }
namespace NS { export const inside = "ns"; export function fn<T>(x: T): T { return x } }
const cast = (() => "cast") as () => string;
const sat = function () {} satisfies () => void;
function generic<T extends { id: number }>(items: T[]): number[] { return items.map((i) => i.id) }
abstract class Shape { abstract area(): number; describe(): string { return this.constructor.name + ":" + this.area() } }
class Square extends Shape { constructor(private side: number) { super() } area() { return this.side ** 2 } }
console.log(Color.Green, Color[6], NS.inside, NS.fn<number>(3), cast.name, sat.name, generic([{ id: 1 }, { id: 2 }]).join(), new Square(3).describe());
let definite!: string;
definite = "set";
console.log(definite, (<any>"angle").length);
`,
      { ext: ".ts" },
    );
  });
});

describe("the process around the program", () => {
  it("passes process.argv and stdin through", () => {
    const r = differential(
      `console.log(JSON.stringify(process.argv.slice(2)));
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk });
process.stdin.on("end", () => console.log("read", JSON.stringify(input)));
`,
      { args: ["one", "two words"], stdin: "line 1\nline 2\n" },
    );
    expect(r.plain.stdout).toBe('["one","two words"]\nread "line 1\\nline 2\\n"\n');
  });

  it("keeps user exit, uncaughtException and unhandledRejection handlers", () => {
    differential(
      `process.on("exit", (code) => console.log("exit handler sees", code, process.exitCode));
process.on("uncaughtException", (e, origin) => { console.log("handled", e.message, origin); process.exitCode = 7 });
process.on("unhandledRejection", (reason) => console.log("unhandled rejection", reason));
function later() { throw new Error("late failure") }
setTimeout(later);
Promise.reject("rejected value");
`,
    );
    differential(`process.on("exit", (code) => { console.log("exit", code); process.exitCode = 9 });\nprocess.exitCode = 2;\n`);
  });

  it("keeps writes of buffers, encodings and callbacks on stdout", () => {
    const r = differential(
      `process.stdout.write(Buffer.from("buffer é\\n"));
process.stdout.write(new Uint8Array([104, 105, 10]));
process.stdout.write("6865780a", "hex");
const ok = process.stdout.write("with callback\\n", () => console.log("callback ran"));
console.log(typeof ok);
console.log("%s is %d", "format", 42, { o: 1 });
`,
    );
    expect(r.plain.stdout).toContain("buffer é\nhi\nhex\n");
    expect(traceFacts(r.events).stdout, "the trace holds the text the program wrote").toBe(r.plain.stdout);
  });

  it("keeps recording code that runs after the top level finished", () => {
    const r = differential(
      `function later(n) { return n + 1 }
setTimeout(() => console.log("timer", later(1)), 5);
setImmediate(() => later(10));
`,
    );
    expect(traceFacts(r.events).callsOf("later").map((c) => c.args.n).sort()).toEqual([1, 10]);
  });
});
