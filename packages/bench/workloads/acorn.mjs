// acorn parsing real source code: a recursive-descent parser, tokenizer-heavy.
import { sourceExcerpt } from "./source-excerpt.mjs";

const INPUT = { package: "js-yaml", file: "dist/js-yaml.mjs", maxChars: 12000 };

export default {
  name: "acorn",
  kind: "real",
  description: `acorn \`parse\` (ecmaVersion latest, module, locations on) of the leading top-level declarations (up to ${INPUT.maxChars.toLocaleString("en")} characters) of ${INPUT.package}'s \`${INPUT.file}\``,
  subject: { package: "acorn", instrument: ["dist/acorn.mjs"] },
  makeInput() {
    return sourceExcerpt(INPUT.package, INPUT.file, INPUT.maxChars);
  },
  run({ parse }, source) {
    const ast = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true });
    return ast.body.length + ast.end;
  },
};
