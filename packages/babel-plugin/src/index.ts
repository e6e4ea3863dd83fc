import ctjsBabelPlugin from "./plugin.js";

export default ctjsBabelPlugin;
export type { InstrumentationMetadata } from "./plugin.js";
export { resolveOptions, fileSelector, isCtjsOwnFile, PluginOptionError, DEFAULT_EXCLUDE, type PluginOptions } from "./options.js";
export { instrumentSource, type InstrumentOptions, type InstrumentResult } from "./transform.js";
