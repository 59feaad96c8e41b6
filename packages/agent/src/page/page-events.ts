import type { EventQueues } from "../api/event-queues.js";
import type { RunningOptions } from "../api/running-options.js";
import { clickFlags, elementChain } from "../capture/element-chain.js";
import { listenForInteractions } from "../capture/interaction-listeners.js";
import { pageLoadTime, watchUrl } from "./url-watcher.js";

export interface PageEventsDeps {
  readonly win: Window;
  readonly now: () => number;
  readonly options: RunningOptions;
  readonly queues: Pick<EventQueues, "recordPtm" | "flushLater">;
  /** Called on every page load the agent reports: guides are asked for again (Pendo's queueGuideReload). */
  readonly onPageLoad?: () => void;
}

/** What the visitor does on the page, as `ptm` events: page loads (the first, SPA navigations, `pendo.pageLoad`) and interactions. */
export interface PageEvents {
  /** A `load` event for the current page, or for `url`; sent on the next tick. */
  pageLoad(url?: string): void;
  /** Reports interactions and SPA navigations until the returned function is called. */
  watch(): () => void;
}

export function createPageEvents(deps: PageEventsDeps): PageEvents {
  const { win, options, queues } = deps;

  function pageLoad(url?: string): void {
    const props: { load_time: number; is_frame?: true } = { load_time: pageLoadTime(win) };
    if (win.top !== win) props.is_frame = true;
    queues.recordPtm("load", props, url);
    queues.flushLater();
    deps.onPageLoad?.();
  }

  function onInteraction(type: string, target: Element, event: Event): void {
    const running = options.get();
    if (!running) return;
    const chain = elementChain(target, { ...running, sanitizeUrl: options.sanitize });
    if (!chain) return;
    if (type === "click") chain.flags = clickFlags(event as MouseEvent);
    queues.recordPtm(type, { target: chain });
  }

  return {
    pageLoad,
    watch() {
      const stopListening = listenForInteractions(win.document, deps.now, onInteraction);
      const unwatchUrl = watchUrl(win, () => pageLoad());
      return function stopPageEvents() {
        stopListening();
        unwatchUrl();
      };
    },
  };
}
