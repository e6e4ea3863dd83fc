// ES modules across several files, with top-level await.
import { parseCsv } from "./csv.mjs";
import { summarize } from "./stats.mjs";

const text = await Promise.resolve("name,score\nada,91\ngrace,87\nlinus,78");
const rows = parseCsv(text);
console.log(summarize(rows.map((row) => Number(row.score))));
