// Real JavaScript of a chosen size for the parser and minifier workloads: the top-level statements
// of an installed package's file from the start (or from the line `from`, a top-level statement),
// cut just before a top-level `function` declaration (a line starting with "function "), so the
// excerpt is complete, valid code.
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageDir } from "../package-dir.mjs";

export function sourceExcerpt(packageName, file, maxChars, from) {
  const whole = readFileSync(path.join(packageDir(packageName), file), "utf8");
  const begin = from === undefined ? 0 : whole.indexOf(`\n${from}\n`) + 1;
  if (begin === 0 && from !== undefined) throw new Error(`no line ${JSON.stringify(from)} in ${packageName}/${file}`);
  const text = whole.slice(begin);
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf("\nfunction ", maxChars);
  if (cut <= 0) throw new Error(`no top-level function declaration before character ${maxChars} of ${packageName}/${file}${from === undefined ? "" : ` from ${JSON.stringify(from)}`}`);
  return text.slice(0, cut + 1);
}
