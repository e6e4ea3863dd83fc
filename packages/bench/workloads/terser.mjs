// terser minifying real library code: parse, scope analysis, compression passes and code generation.
// The input is small, for the reason in `note`.
import { sourceExcerpt } from "./source-excerpt.mjs";

const INPUT = { package: "js-yaml", file: "dist/js-yaml.mjs", from: "var str;", maxChars: 400 };

export default {
  name: "terser",
  kind: "real",
  description: `terser \`minify_sync\` (compress and mangle) of one module function of ${INPUT.package}'s \`${INPUT.file}\` (\`requireStr\`, which defines the YAML str type, with its two \`var\` lines: ${sourceExcerpt(INPUT.package, INPUT.file, INPUT.maxChars, INPUT.from).length} characters)`,
  note: "terser makes some 200 line steps per character of input (its tree walkers and compressor passes), and at every step the variables in scope hold large objects (AST nodes, the TreeWalker and its stack, the Compressor and its options). Counted at commit fdf800d, the value encoder visits 245 nodes a step on this input and 419 on the input used until issue 10 (js-yaml's first 2,000 characters, 1,463 of code: 300,460 steps), against 16 for acorn, in either values mode (changed mode encodes each step's values afresh to compare them with what is shown, and writes fewer). The old input took over 30 s to record once in either mode; this one function of js-yaml, 68,387 steps, finishes.",
  subject: { package: "terser", instrument: ["main.js", "lib/"] },
  makeInput() {
    return sourceExcerpt(INPUT.package, INPUT.file, INPUT.maxChars, INPUT.from);
  },
  run({ minify_sync }, source) {
    return minify_sync(source, { compress: true, mangle: true }).code.length;
  },
};
