// js-yaml dumping a generated nested structure to YAML and loading it back: a serializer and a parser.
import { seededRandom } from "./seeded-random.mjs";

function generateStructure(records) {
  const random = seededRandom(11);
  const tags = ["alpha", "beta", "gamma", "delta", "epsilon"];
  return {
    version: 3,
    generated: "2024-01-01",
    records: Array.from({ length: records }, (_, id) => ({
      id,
      name: `record-${id}`,
      active: random.next() < 0.5,
      score: Math.round(random.next() * 10000) / 100,
      tags: Array.from({ length: 1 + random.int(4) }, () => random.pick(tags)),
      position: { x: random.int(1000), y: random.int(1000), label: `point ${id}` },
      note: random.next() < 0.2 ? "multi\nline\ntext" : null,
    })),
  };
}

const RECORDS = 10;

export default {
  name: "js-yaml",
  kind: "real",
  description: `js-yaml \`dump\` then \`load\` of a generated structure of ${RECORDS} nested records`,
  subject: { package: "js-yaml", instrument: ["dist/js-yaml.mjs"] },
  makeInput() {
    return generateStructure(RECORDS);
  },
  run({ dump, load }, structure) {
    const text = dump(structure);
    const back = load(text);
    return text.length + back.records.length;
  },
};
