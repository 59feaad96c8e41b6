import type { VisitorSession } from "../identity/visitor-session.js";
import { encodeBatch, packEvents } from "../transport/batch-packing.js";
import { createSendQueue, type SendQueue, type Transport } from "../transport/send-queue.js";
import { type AgentEvent, withBytes } from "./event-envelope.js";
import type { RunningOptions } from "./running-options.js";

/**
 * The agent's streams: page events (`ptm.gif`), `track` events (`ptm.gif&type=track`), `trackAgent`
 * (`agentic.gif`), guide events (`guide.gif`) and poll answers (`poll.gif`).
 */
export type Beacon = "ptm" | "track" | "agentic" | "guide" | "poll";

interface EventQueue {
  pending: AgentEvent[];
  readonly sender: SendQueue;
}

export interface EventQueuesDeps {
  readonly win: Window;
  readonly transport: Transport;
  readonly now: () => number;
  readonly version: string;
  readonly options: RunningOptions;
  readonly session: VisitorSession;
  /** The app requires a signed identity on events: the page's token rides along as `&jwt=` (as Pendo's does). */
  readonly signedEvents?: boolean;
}

/**
 * Events from the moment they happen to the collector: stamped with the visitor, tab and session, queued per
 * beacon, packed into batches and handed to the send queues on a flush.
 */
export interface EventQueues {
  /** Creates this run's queues (at start, once the options are in force). */
  open(): void;
  /** Records an event unless the agent is stopped or sending is switched off. */
  record(beacon: Beacon, type: string, props: object, extra?: { url?: string; name?: string }): void;
  /** A page event (`load`, `identify`, `meta`, interactions), unless the page's `excludeEvents` lists its type. */
  recordPtm(type: string, props: object, url?: string): void;
  /** Pendo sends load, identify and meta on the next tick rather than waiting for the interval. */
  flushLater(): void;
  flushNow(): Promise<void>;
  /** Page hidden or going away: everything queued leaves now, as keepalive requests. */
  flushForUnload(): void;
  /** Flushes every `intervalMs` and when the page is hidden or left; returns the function that stops it. */
  flushPeriodically(intervalMs: number): () => void;
  /** Stops the send queues and forgets the queues (teardown). */
  close(): void;
  isSending(): boolean;
  setSending(sending: boolean): void;
}

export function createEventQueues(deps: EventQueuesDeps): EventQueues {
  const { win, now, options, session } = deps;
  const doc = win.document;
  let queues: Record<Beacon, EventQueue> | null = null;
  let sending = true;
  let sequence = 0;
  let flushSoon: unknown;

  function makeQueue(beacon: string, extraParams: string): EventQueue {
    return {
      pending: [],
      sender: createSendQueue({
        endpoint: () => `${options.get()?.dataHost}/data/${beacon}/${options.get()?.apiKey}`,
        version: () => deps.version,
        // The token at each attempt: a renewed one (updateOptions) applies to retries too.
        extraParams: () => {
          const token = deps.signedEvents ? session.identityToken : null;
          return token ? `${extraParams}&jwt=${token}` : extraParams;
        },
        transport: deps.transport,
        now,
        setTimer: (callback, ms) => win.setTimeout(callback, ms),
        clearTimer: (timer) => win.clearTimeout(timer as number),
      }),
    };
  }

  function record(
    beacon: Beacon,
    type: string,
    props: object,
    extra?: { url?: string; name?: string },
  ): void {
    if (!queues || !options.get() || !sending) return;
    const { tracers } = session;
    const event: AgentEvent = {
      type,
      browser_time: now(),
      visitor_id: session.visitorId,
      account_id: session.accountId,
      url: options.sanitize(extra?.url ?? win.location.href),
      props,
      parentTabId: null,
      tabId: tracers.tabId(),
      frameId: tracers.frameId,
      sessionId: tracers.sessionId(),
      sequence: sequence++,
    };
    if (extra?.name !== undefined) event.track_event_name = extra.name;
    // Guide and poll events carry no `bytes` (Pendo's createGuideEvent, agent-wire.md §7.5).
    queues[beacon].pending.push(beacon === "guide" || beacon === "poll" ? event : withBytes(event));
  }

  function enqueueBatches(queue: EventQueue): void {
    const pending = queue.pending;
    queue.pending = [];
    for (const batch of packEvents(pending)) for (const jzb of encodeBatch(batch)) queue.sender.add(jzb);
  }

  function flushNow(): Promise<void> {
    if (!queues) return Promise.resolve();
    const all = Object.values(queues);
    for (const queue of all) enqueueBatches(queue);
    return Promise.all(all.map((queue) => queue.sender.settled())).then(() => undefined);
  }

  function flushForUnload(): void {
    if (!queues) return;
    for (const queue of Object.values(queues)) {
      enqueueBatches(queue);
      queue.sender.drain();
    }
  }

  return {
    open() {
      queues = {
        ptm: makeQueue("ptm.gif", ""),
        track: makeQueue("ptm.gif", "&type=track"),
        agentic: makeQueue("agentic.gif", ""),
        guide: makeQueue("guide.gif", ""),
        poll: makeQueue("poll.gif", ""),
      };
    },
    record,
    recordPtm(type, props, url) {
      const running = options.get();
      if (queues && running && running.excludeEvents.indexOf(type) < 0) {
        record("ptm", type, props, url === undefined ? undefined : { url });
      }
    },
    flushLater() {
      if (flushSoon === undefined) {
        flushSoon = win.setTimeout(() => {
          flushSoon = undefined;
          void flushNow();
        }, 0);
      }
    },
    flushNow,
    flushForUnload,
    flushPeriodically(intervalMs) {
      const onHidden = (): void => {
        if (doc.visibilityState === "hidden") flushForUnload();
      };
      win.addEventListener("pagehide", flushForUnload);
      doc.addEventListener("visibilitychange", onHidden);
      const interval = win.setInterval(() => void flushNow(), intervalMs);
      return function stopFlushing() {
        win.removeEventListener("pagehide", flushForUnload);
        doc.removeEventListener("visibilitychange", onHidden);
        win.clearInterval(interval);
      };
    },
    close() {
      if (flushSoon !== undefined) win.clearTimeout(flushSoon as number);
      flushSoon = undefined;
      for (const queue of queues ? Object.values(queues) : []) queue.sender.stop();
      queues = null;
    },
    isSending: () => sending,
    setSending(on) {
      sending = on;
    },
  };
}
