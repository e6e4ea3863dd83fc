// Real JavaScript of a chosen size for the parser and minifier workloads: the leading top-level
// statements of an installed package's file, cut just before a top-level `function` declaration
// (a line starting with "function "), so the excerpt is complete, valid code.
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageDir } from "../package-dir.mjs";

export function sourceExcerpt(packageName, file, maxChars) {
  const text = readFileSync(path.join(packageDir(packageName), file), "utf8");
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf("\nfunction ", maxChars);
  if (cut <= 0) throw new Error(`no top-level function declaration before character ${maxChars} of ${packageName}/${file}`);
  return text.slice(0, cut + 1);
}
