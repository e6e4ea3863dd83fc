import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isSourceFile } from "./source-kinds.js";
import { UsageError } from "./usage-error.js";

/** `ctjs instrument <file|dir> --out-dir <dir>`: writes instrumented files with `.map` files beside them. */
export async function instrumentCommand(argv: string[]): Promise<number> {
  let input: string | undefined;
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-o" || arg === "--out-dir") outDir = argv[++i];
    else if (arg.startsWith("--out-dir=")) outDir = arg.slice("--out-dir=".length);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${JSON.stringify(arg)} for ctjs instrument`);
    else if (input === undefined) input = arg;
    else throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (ctjs instrument takes one file or directory)`);
  }
  if (input === undefined) throw new UsageError("ctjs instrument needs a file or directory");
  if (outDir === undefined || outDir === "") throw new UsageError("ctjs instrument needs --out-dir <dir>");
  const source = path.resolve(input);
  let stat;
  try {
    stat = statSync(source);
  } catch {
    throw new UsageError(`not found: ${source}`);
  }
  // Babel loads only once the call is known to be good
  const { instrumentSource } = await import("@ctjs/babel-plugin");
  const { jsxOptions } = await import("./instrument-file.js");
  const root = stat.isDirectory() ? source : path.dirname(source);
  const files = stat.isDirectory() ? listSources(source) : [source];
  const target = path.resolve(outDir);
  let count = 0;
  for (const file of files) {
    const relative = path.relative(root, file).replace(/\.(ts|tsx|mts|cts|jsx)$/, (m) => ({ ".ts": ".js", ".tsx": ".js", ".mts": ".mjs", ".cts": ".cjs", ".jsx": ".js" })[m]!);
    const out = path.join(target, relative);
    let result;
    try {
      const source = readFileSync(file, "utf8");
      result = instrumentSource(source, { filename: file, exclude: [], ...jsxOptions(file, source) });
    } catch (error) {
      process.stderr.write(`ctjs: ${(error as Error).message.split("\n")[0]}\n`);
      return 1;
    }
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${result.code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
    writeFileSync(`${out}.map`, JSON.stringify(besideOutput(result.map, file, out)));
    count++;
  }
  process.stderr.write(`ctjs: instrumented ${count} file${count === 1 ? "" : "s"} into ${target}\n`);
  return 0;
}

/**
 * The map as read from beside the output file: it names that file, and each source by its path
 * from there (Babel names sources relative to the input file's folder: the input's basename, or
 * the sources of a map the input came with). URLs (webpack://…) stay as they are.
 */
function besideOutput(map: object | null, input: string, out: string): object | null {
  if (map === null) return null;
  const { sources = [] } = map as { sources?: string[] };
  const fromOutput = (source: string) =>
    /^[a-z][\w+.-]*:/i.test(source) ? source : path.relative(path.dirname(out), path.resolve(path.dirname(input), source)).split(path.sep).join("/");
  return { ...map, file: path.basename(out), sources: sources.map(fromOutput) };
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (entry.isFile() && isSourceFile(full) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out.sort();
}
