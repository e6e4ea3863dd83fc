// marked rendering a generated Markdown document: block and inline lexing with many regexes, then HTML output.
import { seededRandom } from "./seeded-random.mjs";

const WORDS = ["trace", "record", "value", "step", "frame", "call", "return", "debugger", "time", "travel", "source", "line", "event", "writer", "binary"];

function generateDocument(sections) {
  const random = seededRandom(7);
  const words = (n) => Array.from({ length: n }, () => random.pick(WORDS)).join(" ");
  const parts = [];
  for (let s = 0; s < sections; s++) {
    parts.push(`## Section ${s}: ${words(3)}\n`);
    parts.push(`${words(12)} **${words(2)}** and *${words(2)}* with \`code ${s}\` and a [link](https://example.com/${s}).\n`);
    parts.push(`- ${words(4)}\n- ${words(5)}\n  - nested ${words(3)}\n1. first ${words(2)}\n2. second ${words(2)}\n`);
    parts.push(`> ${words(10)}\n`);
    parts.push("```js\nconst value" + s + " = " + s + " * 2;\n```\n");
    parts.push(`| name | count |\n|---|---|\n| ${words(1)} | ${s} |\n| ${words(1)} | ${s * 2} |\n`);
  }
  return parts.join("\n");
}

const SECTIONS = 10;

export default {
  name: "marked",
  kind: "real",
  description: `marked \`parse\` of a generated ${SECTIONS}-section Markdown document (headings, emphasis, lists, quotes, code, tables, links)`,
  subject: { package: "marked", instrument: ["lib/marked.esm.js"] },
  makeInput() {
    return generateDocument(SECTIONS);
  },
  run({ marked }, markdown) {
    return marked.parse(markdown, { async: false }).length;
  },
};
