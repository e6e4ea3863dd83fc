/**
 * Every extension ctjs accepts runs as the entry point, TypeScript and JSX without a build step,
 * and the trace shows its functions at the lines of the file as written.
 */
import path from "node:path";
import { expect, it } from "vitest";
import { expectValidTrace, factsOf, outcome, runCtjs, runNode, scratchDir, writeTree } from "./recording.js";

/** A stand-in for React: JSX compiles to React.createElement when react is not installed. */
const REACT = `const React = { createElement: (type, props, ...children) => ({ type: typeof type === "string" ? type : type.name, props, children }) };`;

interface Entry {
  source: string;
  /** Output of the program; for the extensions node runs itself, checked against a plain run too. */
  stdout: string;
  /** The function every entry calls, its arguments and what it returned. */
  call: [name: string, args: Record<string, unknown>, returned: unknown];
  /** Line of that function's declaration in `source`. */
  line: number;
  files?: Record<string, string>;
}

const ENTRIES: Record<string, Entry> = {
  "entry.js": {
    source: `function double(n) {\n  return n * 2;\n}\nconsole.log("js", double(21), typeof require, typeof module);\n`,
    stdout: "js 42 function object\n",
    call: ["double", { n: 21 }, 42],
    line: 1,
  },
  "entry.cjs": {
    source: `function double(n) {\n  return n * 2;\n}\nconsole.log("cjs", double(21), typeof require, typeof module);\n`,
    stdout: "cjs 42 function object\n",
    call: ["double", { n: 21 }, 42],
    line: 1,
  },
  "entry.mjs": {
    source: `function double(n) {\n  return n * 2;\n}\nconsole.log("mjs", double(21), typeof require, import.meta.url.endsWith("/entry.mjs"));\n`,
    stdout: "mjs 42 undefined true\n",
    call: ["double", { n: 21 }, 42],
    line: 1,
  },
  "entry.jsx": {
    source: `${REACT}\nfunction Badge({ label }) {\n  return <span className="badge">{label}</span>;\n}\nconsole.log("jsx", JSON.stringify(<Badge label="new" />), JSON.stringify(Badge({ label: "hot" })));\n`,
    stdout: 'jsx {"type":"Badge","props":{"label":"new"},"children":[]} {"type":"span","props":{"className":"badge"},"children":["hot"]}\n',
    // <Badge /> only describes an element: the one call of Badge is the direct one
    call: ["Badge", { label: "hot" }, { type: "span", props: { className: "badge" }, children: ["hot"] }],
    line: 2,
  },
  "pragma.jsx": {
    source: `/** @jsx h */\nfunction h(type, props, ...children) {\n  return [type, children.length];\n}\nconsole.log("pragma", JSON.stringify(<p>a{1}b</p>));\n`,
    stdout: 'pragma ["p",3]\n',
    call: ["h", { type: "p", props: null, children: ["a", 1, "b"] }, ["p", 3]],
    line: 2,
  },
  "automatic.jsx": {
    // with react installed, JSX compiles for its automatic runtime (a stand-in here)
    source: `function Tag({ text }) {\n  return <i>{text}</i>;\n}\nconsole.log("automatic", JSON.stringify(Tag({ text: "x" })));\n`,
    stdout: 'automatic {"runtime":"i","props":{"children":"x"}}\n',
    call: ["Tag", { text: "x" }, { runtime: "i", props: { children: "x" } }],
    line: 1,
    files: {
      "node_modules/react/package.json": `{ "name": "react", "version": "0.0.0" }\n`,
      "node_modules/react/jsx-runtime.js": `exports.jsx = exports.jsxs = (type, props) => ({ runtime: type, props });\nexports.Fragment = "Fragment";\n`,
    },
  },
  "entry.ts": {
    source: `function double(n: number): number {\n  return n * 2;\n}\nconst label: string = "ts";\nconsole.log(label, double(21), typeof require);\n`,
    stdout: "ts 42 function\n",
    call: ["double", { n: 21 }, 42],
    line: 1,
  },
  "esm-entry.ts": {
    // TypeScript's convention: "./lib.js" names lib.ts
    source: `import { double } from "./lib.js";\nconst result: number = double(21);\nconsole.log("ts esm", result, typeof require);\n`,
    stdout: "ts esm 42 undefined\n",
    call: ["double", { n: 21 }, 42],
    line: 1,
    files: { "lib.ts": `export function double(n: number): number {\n  return n * 2;\n}\n` },
  },
  "entry.mts": {
    source: `function double(n: number): number {\n  return n * 2;\n}\nconsole.log("mts", double(21), typeof require, import.meta.url.endsWith("/entry.mts"));\n`,
    stdout: "mts 42 undefined true\n",
    call: ["double", { n: 21 }, 42],
    line: 1,
  },
  "entry.cts": {
    source: `function double(n: number): number {\n  return n * 2;\n}\nconsole.log("cts", double(21), typeof require, __filename.endsWith("entry.cts"));\n`,
    stdout: "cts 42 function true\n",
    call: ["double", { n: 21 }, 42],
    line: 1,
  },
  "entry.tsx": {
    source: `${REACT}\nfunction Badge({ label }: { label: string }) {\n  return <b>{label.toUpperCase()}</b>;\n}\nconsole.log("tsx", JSON.stringify(<Badge label="new" />), JSON.stringify(Badge({ label: "new" })));\n`,
    stdout: 'tsx {"type":"Badge","props":{"label":"new"},"children":[]} {"type":"b","props":null,"children":["NEW"]}\n',
    call: ["Badge", { label: "new" }, { type: "b", props: null, children: ["NEW"] }],
    line: 2,
  },
};

const scratch = scratchDir("extensions");

it.each(Object.keys(ENTRIES))("%s runs and is recorded", (name) => {
  const entry = ENTRIES[name]!;
  const dir = writeTree(path.join(scratch, name.replace(".", "-")), { [name]: entry.source, ...entry.files });
  const out = path.join(dir, "trace");
  const recorded = runCtjs(["record", "-q", "--format", "json", "-o", out, name], { cwd: dir });
  expect(recorded.status, recorded.stderr).toBe(0);
  expect(recorded.stdout).toBe(entry.stdout);
  expect(recorded.stderr).toBe("");
  if (/\.[cm]?js$/.test(name)) expect(outcome(recorded)).toEqual(outcome(runNode([name], { cwd: dir })));
  expectValidTrace(out);
  const facts = factsOf(out);
  const [fn, args, returned] = entry.call;
  const call = facts.callsOf(fn)[0];
  expect(call, `calls: ${facts.callNames().join(", ")}`).toBeDefined();
  expect(call!.args).toEqual(args);
  expect(call!.returned).toEqual(returned);
  const declared = facts.functions.find((f) => f.name === fn);
  expect(declared?.line).toBe(entry.line);
  expect(facts.stdout).toBe(entry.stdout);
});
