// Every workload the suite measures, real packages first. A workload is
// { name, kind: "real" | "micro", description, subject, makeInput(), run(subject, input) }:
// `subject` names the code to instrument (an npm package and the files of it to instrument, or a
// file under ../subjects/), `makeInput` builds a deterministic input outside the timed region, and
// `run` drives the subject module once and returns a checksum (compared across variants).
import acorn from "./acorn.mjs";
import jsYaml from "./js-yaml.mjs";
import lodash from "./lodash.mjs";
import marked from "./marked.mjs";
import terser from "./terser.mjs";
import { microWorkloads } from "./micro.mjs";

export const workloads = [acorn, marked, jsYaml, lodash, terser, ...microWorkloads];

export function workloadByName(name) {
  const found = workloads.find((w) => w.name === name);
  if (!found) throw new Error(`unknown workload ${JSON.stringify(name)} (known: ${workloads.map((w) => w.name).join(", ")})`);
  return found;
}
