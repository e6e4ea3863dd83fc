// The scratch directory's manifest: where each workload's plain and instrumented subject loaders
// are, and what instrumenting its files took. Kept apart from subject-copies.mjs so that measured
// processes read it without loading Babel.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const MANIFEST_FILE = "manifest.json";

export function writeManifest(root, manifest) {
  writeFileSync(path.join(root, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
}

export function readManifest(root) {
  return JSON.parse(readFileSync(path.join(root, MANIFEST_FILE), "utf8"));
}
