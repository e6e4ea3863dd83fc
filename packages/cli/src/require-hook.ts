import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { codeFor } from "./instrument-file.js";
import { COMPILED_EXTENSIONS, moduleFormat } from "./source-kinds.js";

interface CjsModule {
  _compile(code: string, filename: string): unknown;
}
type ExtensionHandler = (module: CjsModule, filename: string) => void;

const require = createRequire(import.meta.url);

/**
 * Instruments CommonJS files as `require` loads them, by wrapping the loader's per-extension
 * handlers. ES modules reached through require(esm) go to the original handler (and so to the
 * ESM hooks).
 */
export function installRequireHook(selects: (file: string) => boolean): void {
  const Module = require("node:module") as { _extensions: Record<string, ExtensionHandler> };
  const extensions = Module._extensions;
  const jsHandler = extensions[".js"]!;
  for (const ext of [".js", ".cjs", ".ts", ".cts", ".tsx", ".jsx"]) {
    const original = extensions[ext] ?? jsHandler;
    extensions[ext] = function ctjsRequireHook(module: CjsModule, filename: string): void {
      const compiled = COMPILED_EXTENSIONS.has(path.extname(filename).toLowerCase());
      const instrument = selects(filename);
      if (!instrument && !compiled) return original.call(this, module, filename);
      const source = readFileSync(filename, "utf8");
      if (moduleFormat(filename, source) === "module" && !compiled) return original.call(this, module, filename);
      const code = codeFor(filename, source, instrument, "script") ?? source;
      module._compile(code, filename);
    };
  }
}
