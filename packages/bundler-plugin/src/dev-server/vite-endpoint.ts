import type { Plugin } from "vite";
import type { ResolvedBundlerOptions } from "../options.js";

/**
 * Placeholder: the Vite dev-server trace endpoint (browser recording) is built separately and
 * replaces this file. It is applied in `serve` mode only.
 */
export function traceEndpointPlugin(options: ResolvedBundlerOptions): Plugin {
  void options;
  return { name: "ctjs:trace-endpoint", apply: "serve" };
}
