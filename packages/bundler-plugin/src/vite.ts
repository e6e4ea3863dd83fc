import type { Plugin } from "vite";
import { ctjsUnplugin } from "./core.js";
import { traceEndpointPlugin } from "./dev-server/vite-endpoint.js";
import { resolveBundlerOptions, type BundlerPluginOptions } from "./options.js";

/**
 * Vite plugins: the instrumenting transform (enforce "pre"; SSR code carries the auto-starting
 * runtime, browser code none) and, in `serve` mode, the endpoint that receives browser traces.
 */
export default function ctjsVite(options?: BundlerPluginOptions): Plugin[] {
  const resolved = resolveBundlerOptions(options);
  return [ctjsUnplugin.vite(options), traceEndpointPlugin(resolved)];
}
export type { BundlerPluginOptions } from "./options.js";
