import ctjsBabelPlugin from "./plugin.js";

export default ctjsBabelPlugin;
export type { InstrumentationMetadata } from "./plugin.js";
export { resolveOptions, fileSelector, isCtjsOwnFile, PluginOptionError, DEFAULT_EXCLUDE, isValuesOption, VALUES_OPTION_EXPECTED, type PluginOptions, type ValuesOption } from "./options.js";
export { instrumentSource, type InstrumentOptions, type InstrumentResult } from "./transform.js";
