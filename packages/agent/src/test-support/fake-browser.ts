import { webcrypto } from "node:crypto";
import { type Context, createContext } from "node:vm";

type Listener = (event: unknown) => void;

export interface SentRequest {
  url: string;
  init: { method?: string; body?: string; keepalive?: boolean; headers?: Record<string, string> };
}

/** Listeners by event name, as a page would register them. */
function eventTarget() {
  const listeners = new Map<string, Listener[]>();
  return {
    listeners,
    addEventListener(type: string, listener: Listener) {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
    removeEventListener(type: string, listener: Listener) {
      listeners.set(
        type,
        (listeners.get(type) ?? []).filter((l) => l !== listener),
      );
    },
    dispatch(type: string, event: object = {}) {
      for (const listener of listeners.get(type) ?? []) listener({ type, ...event });
    },
  };
}

function fakeStorage() {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, String(value)),
    removeItem: (key: string) => void values.delete(key),
  };
}

/**
 * Just enough of a browser window, as a vm context, to run the built agent end to end in Node: the
 * snippet's stub, history, storage, listeners, and a `fetch` that records every request.
 */
export function fakeBrowser(href: string) {
  const requests: SentRequest[] = [];
  const win = eventTarget();
  const doc = {
    ...eventTarget(),
    readyState: "complete",
    visibilityState: "visible",
    createElement: () => ({}),
    getElementsByTagName: () => [{ parentNode: { insertBefore() {} } }],
  };
  const location = { href };
  const history = {
    pushState(_state: unknown, _title: string, url: string) {
      location.href = new URL(url, location.href).href;
    },
    replaceState(_state: unknown, _title: string, url: string) {
      location.href = new URL(url, location.href).href;
    },
  };
  const localStorage = fakeStorage();
  const sessionStorage = fakeStorage();
  const globals: Record<string, unknown> = {
    ...win,
    document: doc,
    location,
    history,
    localStorage,
    sessionStorage,
    navigator: { languages: ["en-US"] },
    performance: { getEntriesByType: () => [{ loadEventStart: 220.5, fetchStart: 0 }] },
    crypto: webcrypto,
    TextEncoder,
    URL,
    // Unreferenced, so a failing assertion that skips teardown cannot keep the test process alive.
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms).unref(),
    clearTimeout,
    setInterval: (callback: () => void, ms: number) => setInterval(callback, ms).unref(),
    clearInterval,
    fetch: (url: string, init: SentRequest["init"]) => {
      requests.push({ url, init });
      return Promise.resolve({ ok: true, status: 200 });
    },
  };
  const context: Context = createContext(globals);
  context.window = context;
  context.top = context;
  return { context, win, doc, location, history, localStorage, sessionStorage, requests };
}
