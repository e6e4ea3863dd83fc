// terser minifying real library code: parse, scope analysis, compression passes and code generation.
import { sourceExcerpt } from "./source-excerpt.mjs";

const INPUT = { package: "js-yaml", file: "dist/js-yaml.mjs", maxChars: 2000 };

export default {
  name: "terser",
  kind: "real",
  description: `terser \`minify_sync\` (compress and mangle) of the leading top-level declarations (up to ${INPUT.maxChars.toLocaleString("en")} characters) of ${INPUT.package}'s \`${INPUT.file}\``,
  subject: { package: "terser", instrument: ["main.js", "lib/"] },
  makeInput() {
    return sourceExcerpt(INPUT.package, INPUT.file, INPUT.maxChars);
  },
  run({ minify_sync }, source) {
    return minify_sync(source, { compress: true, mangle: true }).code.length;
  },
};
