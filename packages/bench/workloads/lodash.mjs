// lodash collection work on generated records: grouping, sorting, keyed lookups, deep clone and compare.
import { seededRandom } from "./seeded-random.mjs";

function generateRecords(count) {
  const random = seededRandom(23);
  const groups = ["north", "south", "east", "west"];
  return Array.from({ length: count }, (_, id) => ({
    id,
    group: random.pick(groups),
    score: random.int(1000),
    tags: Array.from({ length: 1 + random.int(3) }, () => `t${random.int(20)}`),
  }));
}

const RECORDS = 40;

export default {
  name: "lodash",
  kind: "real",
  description: `lodash on ${RECORDS} generated records: groupBy, sumBy, orderBy, uniqBy, keyBy, countBy, partition, flatMap, chunk, cloneDeep, isEqual`,
  subject: { package: "lodash", instrument: ["lodash.js"] },
  makeInput() {
    return generateRecords(RECORDS);
  },
  run({ default: _ }, records) {
    const byGroup = _.groupBy(records, "group");
    const totals = _.mapValues(byGroup, (items) => _.sumBy(items, "score"));
    const ranked = _.orderBy(records, ["score", "id"], ["desc", "asc"]);
    const distinct = _.uniqBy(ranked, "score");
    const byId = _.keyBy(records, "id");
    const tagCounts = _.countBy(_.flatMap(records, "tags"));
    const [high, low] = _.partition(records, (r) => r.score >= 500);
    const pages = _.chunk(distinct, 50);
    const copy = _.cloneDeep(records.slice(0, RECORDS / 2));
    const same = _.isEqual(copy, records.slice(0, RECORDS / 2));
    return _.size(totals) + distinct.length + _.size(byId) + _.size(tagCounts) + high.length - low.length + pages.length + (same ? 1 : 0);
  },
};
