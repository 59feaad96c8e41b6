/**
 * Calls `onChange` when the page URL changes without a page load (SPA navigation): wrapped
 * `history.pushState`/`replaceState`, `popstate` and `hashchange`. Returns the function that undoes it.
 */
export function watchUrl(win: Window, onChange: (href: string) => void): () => void {
  let last = win.location.href;
  const check = (): void => {
    const href = win.location.href;
    if (href !== last) {
      last = href;
      onChange(href);
    }
  };
  const history = win.history;
  const originals = { pushState: history.pushState, replaceState: history.replaceState };
  const wrap = (name: keyof typeof originals): void => {
    const original = originals[name];
    history[name] = function wrappedHistoryMethod(this: History, ...args: Parameters<History["pushState"]>) {
      const result = original.apply(this, args);
      check();
      return result;
    };
  };
  wrap("pushState");
  wrap("replaceState");
  win.addEventListener("popstate", check);
  win.addEventListener("hashchange", check);
  return function unwatchUrl() {
    history.pushState = originals.pushState;
    history.replaceState = originals.replaceState;
    win.removeEventListener("popstate", check);
    win.removeEventListener("hashchange", check);
  };
}

/** `props.load_time` of a `load` event: navigation loadEventStart − fetchStart in ms, or −1. */
export function pageLoadTime(win: Window): number {
  const entry = win.performance?.getEntriesByType?.("navigation")[0] as
    | PerformanceNavigationTiming
    | undefined;
  const loadTime = entry ? entry.loadEventStart - entry.fetchStart : 0;
  return loadTime > 0 ? Math.round(loadTime * 10) / 10 : -1;
}
