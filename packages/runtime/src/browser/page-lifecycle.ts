import { pageDocument, pageEvents } from "./page.js";

export interface LifecycleHandlers {
  /** The page became hidden (tab switched, window minimised, or on its way out). */
  onHidden(): void;
  /** The page is being unloaded or put into the back/forward cache. */
  onPageHide(): void;
}

/**
 * Watches the two moments after which a page may never run again: `visibilitychange` to hidden
 * (the last event mobile browsers reliably deliver before discarding a page) and `pagehide`
 * (reload, navigation, closing the tab).
 */
export class PageLifecycle {
  private uninstallers: Array<() => void> = [];

  install(handlers: LifecycleHandlers): void {
    if (this.uninstallers.length > 0) return;
    const document = pageDocument();
    const events = pageEvents();
    if (document !== undefined) {
      const onVisibility = () => {
        if (document.visibilityState === "hidden") handlers.onHidden();
      };
      document.addEventListener("visibilitychange", onVisibility);
      this.uninstallers.push(() => document.removeEventListener("visibilitychange", onVisibility));
    }
    if (events !== undefined) {
      const onPageHide = () => handlers.onPageHide();
      events.addEventListener("pagehide", onPageHide);
      this.uninstallers.push(() => events.removeEventListener("pagehide", onPageHide));
    }
  }

  uninstall(): void {
    for (const uninstall of this.uninstallers.splice(0)) uninstall();
  }
}
