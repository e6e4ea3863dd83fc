import { ctjsUnplugin } from "./core.js";

/** esbuild plugin: `plugins: [ctjs({ include: ["src/**"] })]`; `platform: "node"` bundles carry the auto-starting runtime. */
export default ctjsUnplugin.esbuild;
export type { BundlerPluginOptions } from "./options.js";
