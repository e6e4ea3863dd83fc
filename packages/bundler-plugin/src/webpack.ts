import type { WebpackPluginInstance } from "webpack";
import { ctjsUnplugin } from "./core.js";
import { resolveBundlerOptions, type BundlerPluginOptions } from "./options.js";

/** webpack plugin: adds a `pre` loader; Node targets carry the auto-starting runtime. */
export default function ctjsWebpack(options?: BundlerPluginOptions): WebpackPluginInstance {
  // unplugin creates the hooks only when webpack applies the plugin: report bad options at config time
  resolveBundlerOptions(options);
  return ctjsUnplugin.webpack(options);
}
export type { BundlerPluginOptions } from "./options.js";
