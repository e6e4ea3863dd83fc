import { ctjsUnplugin } from "./core.js";

/**
 * Rollup plugin. List it before plugins that compile TypeScript or JSX (Rollup has no `enforce`),
 * so it sees the original source. Builds are taken to be Node programs and carry the
 * auto-starting runtime; pass `runtimeImport: false` for a browser build.
 */
export default ctjsUnplugin.rollup;
export type { BundlerPluginOptions } from "./options.js";
