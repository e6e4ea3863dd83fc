import { instrumentSource, type ValuesOption } from "@ctjs/babel-plugin";

export interface ModuleTransformSettings {
  /** Import added to the module so the bundle carries the runtime (false: none). */
  readonly runtimeImport: string | false;
  readonly values: ValuesOption;
}

export interface InstrumentedModule {
  code: string;
  /** Maps the instrumented code back to `code` as the bundler gave it (and through its inline map, if any). */
  map: object | null;
  /** Constructs the instrumenter left alone, for the host's warnings. */
  uninstrumented: string[];
}

export type ModuleTransformOutcome =
  | { kind: "instrumented"; module: InstrumentedModule }
  | { kind: "unchanged" }
  | { kind: "failed"; message: string };

/**
 * Instruments one module's source for a bundler, host-independently. TypeScript and JSX are kept
 * (syntax "preserve") so that the bundler compiles them as it is configured to; positions are the
 * original file's because the hosts run this first (enforce "pre").
 *
 * A module Babel cannot parse is left to the bundler, which reports real syntax errors itself
 * and may know syntax Babel's parser is not set up for.
 */
export function transformModule(code: string, filename: string, settings: ModuleTransformSettings): ModuleTransformOutcome {
  let result;
  try {
    result = instrumentSource(code, {
      filename,
      syntax: "preserve",
      // selection is the plugin's (include/exclude), so the Babel plugin's own default exclude is off
      exclude: [],
      runtimeImport: settings.runtimeImport,
      values: settings.values,
      warnings: false,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return { kind: "failed", message };
  }
  if (!result.ctjs.instrumented) return { kind: "unchanged" };
  return { kind: "instrumented", module: { code: result.code, map: result.map, uninstrumented: result.ctjs.uninstrumented ?? [] } };
}
