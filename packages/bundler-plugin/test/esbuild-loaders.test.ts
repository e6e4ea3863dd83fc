/**
 * esbuild parses what the plugin returns with a loader chosen per file. Instrumented code keeps
 * its JSX and TypeScript, so the build's own `loader` settings (JSX in `.js` files) must still
 * apply, and `.tsx` must stay TSX.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as esbuild from "esbuild";
import { afterAll, expect, it } from "vitest";
import { validateTrace } from "../../../test/helpers/differential.js";
import ctjsEsbuild from "../src/esbuild.js";
import { runBundle } from "./helpers/run-bundle.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "ctjs-esbuild-loaders-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("keeps the build's JSX-in-.js loader and TSX for instrumented modules", async () => {
  writeFileSync(path.join(scratch, "h.js"), "export function h(tag, props, ...children) {\n  return `<${tag}>${children.flat().join('')}</${tag}>`;\n}\n");
  writeFileSync(path.join(scratch, "item.js"), 'import { h } from "./h.js";\nexport function Item({ name }) {\n  return <li>{name}</li>;\n}\n');
  writeFileSync(path.join(scratch, "list.tsx"), 'import { h } from "./h.js";\nimport { Item } from "./item.js";\nexport function List(props: { names: string[] }): string {\n  return <ul>{props.names.map((name) => Item({ name }))}</ul>;\n}\n');
  writeFileSync(path.join(scratch, "main.js"), 'import { List } from "./list.tsx";\nconsole.log(List({ names: ["a", "b"] }));\n');
  const outfile = path.join(scratch, "out", "bundle.js");
  await esbuild.build({
    entryPoints: [path.join(scratch, "main.js")], bundle: true, platform: "node", outfile, logLevel: "silent",
    loader: { ".js": "jsx" }, jsx: "transform", jsxFactory: "h",
    plugins: [ctjsEsbuild({ root: scratch })],
  });
  const traceDir = path.join(scratch, "trace");
  const run = runBundle(outfile, scratch, { CTJS_TRACE: traceDir, CTJS_FORMAT: "json" });
  expect(run.stdout, run.stderr).toBe("<ul><li>a</li><li>b</li></ul>\n");
  expect(run.status).toBe(0);
  const validation = validateTrace(traceDir);
  expect(validation.ok, validation.output).toBe(true);
  expect(validation.verdict).toMatch(/calls=([4-9]|\d\d)/);
});
