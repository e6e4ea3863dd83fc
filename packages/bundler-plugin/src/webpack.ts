import { ctjsUnplugin } from "./core.js";

/** webpack plugin: adds a `pre` loader; Node targets carry the auto-starting runtime. */
export default ctjsUnplugin.webpack;
export type { BundlerPluginOptions } from "./options.js";
