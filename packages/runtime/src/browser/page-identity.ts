import { DEFAULT_ENDPOINT, DEV_SERVER_CONFIG_KEY, type DevServerConfig } from "./dev-protocol.js";
import { pageLocation, pageSessionStorage, randomHex } from "./page.js";

/** What the dev-server plugin injected into the page, with same-origin defaults for the rest. */
export function devServerConfig(): Required<Pick<DevServerConfig, "endpoint">> & DevServerConfig {
  const injected = (globalThis as Record<symbol, unknown>)[Symbol.for(DEV_SERVER_CONFIG_KEY)];
  const config = typeof injected === "object" && injected !== null ? (injected as DevServerConfig) : {};
  const endpoint = typeof config.endpoint === "string" && config.endpoint.startsWith("/") ? config.endpoint : DEFAULT_ENDPOINT;
  return {
    endpoint,
    root: typeof config.root === "string" && config.root !== "" ? config.root : undefined,
    format: typeof config.format === "string" ? config.format : undefined,
  };
}

/**
 * The file the page's `<toplevel>` call is attributed to: the HTML file under the Vite root that
 * the URL serves (index.html for a directory), or the page URL when the root is unknown.
 */
export function pageProgram(root: string | undefined): string {
  const { href, pathname } = pageLocation();
  if (root === undefined) return href;
  let file = decodeSafely(pathname);
  if (file.endsWith("/")) file += "index.html";
  const trimmedRoot = root.endsWith("/") ? root.slice(0, -1) : root;
  return `${trimmedRoot}${file.startsWith("/") ? "" : "/"}${file}`;
}

const CLIENT_KEY = "ctjs.client";
let pageClient: string | undefined;

/**
 * Identifies this tab across reloads (sessionStorage survives them), so the server can finalise
 * a recording the tab left open before it starts the tab's next one.
 */
export function clientId(): string {
  if (pageClient !== undefined) return pageClient;
  const storage = pageSessionStorage();
  let id: string | null | undefined;
  try {
    id = storage?.getItem(CLIENT_KEY);
    if (!id || !/^[0-9a-f]{32}$/.test(id)) {
      id = randomHex(16);
      storage?.setItem(CLIENT_KEY, id);
    }
  } catch {
    id = randomHex(16);
  }
  pageClient = id;
  return id;
}

/** `<root folder or page name>-<yyyymmdd-hhmmss>-<random>`: sortable and unique per recording. */
export function defaultTraceName(root: string | undefined, now = new Date()): string {
  const last = (path: string) => path.split("/").filter((part) => part !== "").pop();
  const base = root !== undefined ? last(root) : last(pageLocation().pathname)?.replace(/\.[^.]*$/, "");
  const slug = (base ?? "page").replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60) || "page";
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${slug}-${stamp}-${randomHex(3)}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
