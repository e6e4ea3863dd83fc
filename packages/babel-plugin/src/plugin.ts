import type { PluginObj, PluginPass } from "@babel/core";
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { FileInstrumenter, instrumentationVisitor } from "./instrumenter.js";
import { resolveOptions, type ResolvedOptions } from "./options.js";
import { PositionMapper } from "./positions.js";
import { PROBES_SYMBOL } from "./probe-code.js";
import { chooseProbeNames, uniqueNames } from "./probe-names.js";

interface BabelApi {
  assertVersion(range: number | string): void;
}

/** What the plugin leaves in `file.metadata.ctjs` for hosts (CLI, bundlers, tests). */
export interface InstrumentationMetadata {
  instrumented: boolean;
  reason?: "excluded" | "already-instrumented";
  path?: string;
  functions?: number;
  sites?: number;
  uninstrumented?: string[];
}

/** Babel 7 plugin: instruments each selected file so that ctjs can record it. */
export default function ctjsBabelPlugin(api: BabelApi, rawOptions: unknown): PluginObj<PluginPass> {
  api.assertVersion(7);
  // validated once, when Babel loads the plugin; globs are relative to each file's Babel cwd
  const byCwd = new Map<string, ResolvedOptions>([[process.cwd(), resolveOptions(rawOptions, process.cwd())]]);
  const optionsFor = (cwd: string): ResolvedOptions => {
    let options = byCwd.get(cwd);
    if (options === undefined) byCwd.set(cwd, (options = resolveOptions(rawOptions, cwd)));
    return options;
  };
  const visitor = instrumentationVisitor();
  return {
    name: "@ctjs/babel-plugin",
    visitor: {
      Program: {
        enter(path: NodePath<t.Program>, state: PluginPass) {
          const file = state.file;
          const options = optionsFor(file.opts.cwd ?? process.cwd());
          const filename = file.opts.filename ?? "<unknown>";
          const meta = file.metadata as unknown as { ctjs?: InstrumentationMetadata };
          if (filename !== "<unknown>" && !options.selects(filename)) {
            meta.ctjs = { instrumented: false, reason: "excluded" };
            return;
          }
          if (isAlreadyInstrumented(file.code, path)) {
            meta.ctjs = { instrumented: false, reason: "already-instrumented" };
            return;
          }
          const positions = new PositionMapper(filename, (file as unknown as { inputMap?: unknown }).inputMap, file.code);
          const unique = uniqueNames(path, filename, file.code);
          const fi = new FileInstrumenter(chooseProbeNames(unique), unique, positions, options.values, options.fullValues);
          if (file.code.includes("with")) fi.markWithOwners(path);
          fi.registerProgram(path);
          path.traverse(visitor, { fi });
          fi.instrumentProgram(path, options.runtimeImport);
          meta.ctjs = {
            instrumented: true,
            path: positions.path,
            functions: fi.table.functionCount,
            sites: fi.table.siteCount,
            uninstrumented: [...fi.uninstrumented],
          };
          if (options.warn && fi.uninstrumented.length > 0) options.warn(uninstrumentedMessage(positions.path, fi.uninstrumented));
        },
      },
    },
  };
}

/** The one warning of a file: how many constructs were left alone, and where. */
function uninstrumentedMessage(path: string, constructs: readonly string[]): string {
  const what = constructs.length === 1 ? "1 construct" : `${constructs.length} constructs`;
  return `ctjs: ${what} left uninstrumented in ${path} (the rest of the file is recorded):\n${constructs.map((c) => `  ${c}`).join("\n")}`;
}

/** A file whose preamble reads the ctjs probes symbol was instrumented before. */
function isAlreadyInstrumented(code: string, program: NodePath<t.Program>): boolean {
  if (!code.includes(PROBES_SYMBOL)) return false;
  return program.node.body.some(
    (s) => t.isFunctionDeclaration(s) && JSON.stringify(s.body.body[0] ?? null).includes(`"${PROBES_SYMBOL}"`),
  );
}
