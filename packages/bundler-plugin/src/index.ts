export { ctjsUnplugin, ctjsHooks, PLUGIN_NAME } from "./core.js";
export {
  resolveBundlerOptions,
  traceDirFor,
  BundlerOptionError,
  DEFAULT_TRACE_DIR_NAME,
  NODE_AUTO_START,
  type BundlerPluginOptions,
  type ResolvedBundlerOptions,
} from "./options.js";
export { scriptFileOf } from "./module-ids.js";
export { runtimeImportFor, type BuildTarget } from "./runtime-import.js";
export { transformModule, type ModuleTransformOutcome, type InstrumentedModule } from "./transform.js";
