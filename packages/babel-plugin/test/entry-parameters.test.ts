/** Which parameters a function's line steps take from its entry instead of passing them (entry-parameters.ts). */
import { parseSync, traverse } from "@babel/core";
import type { NodePath } from "@babel/traverse";
import type * as t from "@babel/types";
import { expect, it } from "vitest";
import { parametersKeptFromEntry } from "../src/entry-parameters.js";

function keptOf(code: string): Record<string, number> {
  const ast = parseSync(code, { configFile: false, babelrc: false, sourceType: "script" })!;
  let fn: NodePath<t.Function> | undefined;
  traverse(ast, { Function(path) { fn ??= path; } });
  return Object.fromEntries(parametersKeptFromEntry(fn!));
}

it("keeps the parameters nothing reassigns, by their position in the enter probe's arguments", () => {
  expect(keptOf("function f(a, { b, c: [d] }, e = 1, ...rest) { return a + b + d + e + rest.length }")).toEqual({ a: 0, b: 1, d: 2, e: 3, rest: 4 });
  expect(keptOf("function f(a, b, c) { a = 1; b++; const g = () => { c += 1 }; }")).toEqual({});
  expect(keptOf("function f(a, b) { for (b of []) ; [a] = [1]; }")).toEqual({});
});

it("keeps none where `arguments` or `eval` could change them, nor a name bound twice", () => {
  expect(keptOf("function f(a) { arguments[0] = 2; return a }")).toEqual({});
  expect(keptOf("function f(a) { const g = () => arguments.length; return a }")).toEqual({});
  expect(keptOf("function f(a) { eval('a = 2'); return a }")).toEqual({});
  expect(keptOf("function f(a, a) { return a }")).toEqual({});
});
