import type { HtmlTagDescriptor, Plugin, ResolvedConfig } from "vite";
import { DEFAULT_ENDPOINT, DEFAULT_MAX_REQUEST_BYTES, DEV_SERVER_CONFIG_KEY, type DevServerConfig } from "@ctjs/runtime/dev-protocol";
import { traceDirFor, type ResolvedBundlerOptions } from "../options.js";
import { createEndpointHandler } from "./endpoint-handler.js";
import { TraceStore } from "./trace-store.js";

/** Endpoint settings beyond the plugin options (tests and unusual setups). */
export interface TraceEndpointSettings {
  /** Request bodies over this many bytes are refused with 413 (default 8 MiB). */
  maxRequestBytes?: number;
  /** How long a trace waits for batches still missing when its page said goodbye (default 3 s). */
  endGraceMs?: number;
}

/**
 * The Vite `serve`-mode plugin that receives browser traces: a middleware under `/__ctjs/`
 * writing each trace under the trace directory, and a script in index.html telling the runtime
 * where the endpoint is and which file the page is. Traces still open are finalised when the
 * server closes (or the process exits), and their files are kept out of Vite's watcher.
 */
export function traceEndpointPlugin(options: ResolvedBundlerOptions, settings: TraceEndpointSettings = {}): Plugin {
  let config: ResolvedConfig | undefined;
  let store: TraceStore | undefined;
  const closeAll = (reason: string) => {
    store?.closeAll(reason);
  };
  const onExit = () => closeAll("the dev server process exited");

  return {
    name: "ctjs:trace-endpoint",
    apply: "serve",

    config(userConfig) {
      // writing a trace must not look like a source change (a copied index.html would reload the page)
      const traceRoot = traceDirFor(options, userConfig.root ?? process.cwd());
      return { server: { watch: { ignored: [`${traceRoot.split("\\").join("/")}/**`] } } };
    },

    configResolved(resolved) {
      config = resolved;
    },

    configureServer(server) {
      const root = server.config.root;
      const traceStore = new TraceStore({
        traceRoot: traceDirFor(options, root),
        format: options.format,
        sourceRoot: root,
        endGraceMs: settings.endGraceMs,
      });
      store = traceStore;
      server.middlewares.use(
        DEFAULT_ENDPOINT.slice(0, -1),
        createEndpointHandler(traceStore, {
          maxRequestBytes: settings.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
          logError: (message) => server.config.logger.error(message),
        }),
      );
      process.once("exit", onExit);
      server.httpServer?.once("close", () => {
        process.off("exit", onExit);
        closeAll("the dev server closed");
      });
    },

    buildEnd() {
      // Vite runs it when the dev server closes, with or without an http server of its own
      closeAll("the dev server closed");
    },

    transformIndexHtml(): HtmlTagDescriptor[] {
      const page: DevServerConfig = { endpoint: DEFAULT_ENDPOINT, root: config?.root, format: options.format };
      // "<" escaped: nothing in a path can close the script element
      const json = JSON.stringify(page).replace(/</g, "\\u003c");
      return [{ tag: "script", children: `globalThis[Symbol.for(${JSON.stringify(DEV_SERVER_CONFIG_KEY)})] = ${json};`, injectTo: "head-prepend" }];
    },
  };
}
