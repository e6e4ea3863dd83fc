// `pnpm bench`: runs every benchmark and writes RESULTS.md beside this file.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const sections = [];
for (const script of ["runtime.mjs", "transform.mjs"]) {
  process.stderr.write(`bench: ${script}…\n`);
  const r = spawnSync(process.execPath, [path.join(here, script)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  sections.push(r.status === 0 ? r.stdout : `### ${script}\n\nfailed with status ${r.status}\n`);
}
const header = `# ctjs benchmark results\n\nMeasured ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}. Ratios are taken side by side in one run; absolute times vary between machines.\n\n`;
writeFileSync(path.join(here, "RESULTS.md"), header + sections.join("\n"));
process.stdout.write(header + sections.join("\n"));
