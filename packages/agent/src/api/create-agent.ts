import type { AgentConfig } from "../agent-config.js";
import { clickFlags, elementChain } from "../capture/element-chain.js";
import { listenForInteractions } from "../capture/interaction-listeners.js";
import { createFeedbackLauncher, type FeedbackApi } from "../feedback/feedback-launcher.js";
import { panelUser } from "../feedback/panel-user.js";
import {
  type IdentityStore,
  identityKeyNames,
  identityStore,
  type KeyValueStore,
  memoryStore,
  webStore,
} from "../identity/agent-storage.js";
import { browserLanguage, metadataHash, metaProps } from "../identity/metadata.js";
import { randomId } from "../identity/random-id.js";
import { type TracerIds, tracerIds } from "../identity/tracer-ids.js";
import {
  accountPlaceholder,
  anonymousVisitorId,
  identifyProps,
  isAnonymousVisitor,
  realId,
  visitorPlaceholder,
} from "../identity/visitor-ids.js";
import { base64url } from "../jzb/base64url.js";
import { compress } from "../jzb/compress.js";
import { pageLoadTime, watchUrl } from "../page/url-watcher.js";
import { encodeBatch, packEvents } from "../transport/batch-packing.js";
import { createSendQueue, type SendQueue, type Transport } from "../transport/send-queue.js";
import { type AgentEvents, createAgentEvents } from "./agent-events.js";
import {
  type EffectiveOptions,
  effectiveOptions,
  type InitializeOptions,
  type Metadata,
} from "./agent-options.js";
import { type AgentEvent, trackProps, withBytes } from "./event-envelope.js";

export interface AgentEnvironment {
  readonly win: Window;
  readonly transport: Transport;
  readonly now: () => number;
}

interface IdentityCall {
  visitor?: Metadata | undefined;
  account?: Metadata | undefined;
  parentAccount?: Metadata | undefined;
}

/**
 * `window.pendo` of Cairn's agent: the core of Pendo's client API (pendo-api.md §1.2–1.3), without guides.
 *
 * @example
 * pendo.initialize({ visitor: { id: "u-42", email: "ada@example.com" }, account: { id: "acme" } });
 * pendo.track("Report exported", { format: "csv" });
 */
export interface CairnAgent {
  readonly VERSION: string;
  readonly apiKey: string;
  readonly visitorId: string;
  readonly accountId: string | null;
  readonly events: AgentEvents;
  initialize(options?: InitializeOptions): void;
  identify(visitor: string | IdentityCall, account?: string): void;
  updateOptions(options: IdentityCall): void;
  pageLoad(url?: string): void;
  track(name: string, props?: unknown): void;
  trackAgent(type: string, props?: unknown): void;
  flushNow(): Promise<void>;
  getVersion(): string;
  getVisitorId(): string;
  get_visitor_id(): string;
  getAccountId(): string | null;
  get_account_id(): string | null;
  getCurrentUrl(): string;
  isReady(): boolean;
  isAnonymousVisitor(id?: string): boolean;
  generate_unique_id(prefix?: string): string;
  clearSession(): void;
  teardown(): void;
  isSendingEvents(): boolean;
  startSendingEvents(): void;
  stopSendingEvents(): void;
  /** Guides are not in the core agent yet; kept so apps calling it do not break. */
  loadGuides(): void;
  compress(value: unknown): string;
  fromByteArray(bytes: Uint8Array): string;
  /** The in-app feedback panel, when the app offers it (`open`, `close`, Pendo's `loginAndRedirect`). */
  readonly feedback: FeedbackApi;
}

interface EventQueue {
  pending: AgentEvent[];
  readonly sender: SendQueue;
}

/** Calls made before the agent is ready run, in order, once it is (Pendo's `_q` semantics). */
type PendingCall = () => void;

export function createAgent(config: AgentConfig, env: AgentEnvironment): CairnAgent {
  const { win, now } = env;
  const doc = win.document;
  let options: EffectiveOptions | null = null;
  let initializeCalled = false;
  let ready = false;
  let sending = true;
  let pendingCalls: PendingCall[] = [];
  let visitorId = "";
  let accountId: string | null = null;
  let sequence = 0;
  let identity: IdentityStore;
  let tracers: TracerIds;
  let queues: Record<"ptm" | "track" | "agentic", EventQueue> | null = null;
  let cleanups: Array<() => void> = [];
  let flushSoon: unknown;
  let visitorMeta: Metadata = {};
  let accountMeta: Metadata = {};
  let feedbackDisabled = false;
  const events = createAgentEvents(() => ready);
  const launcher = createFeedbackLauncher({
    doc,
    enabled: () => ready && config.feedbackWidget === true && !feedbackDisabled,
    scriptUrl: () => `${options?.dataHost}/agent/static/${options?.apiKey}/feedback-panel.js`,
    endpoint: () => `${options?.dataHost}/data/feedback/${options?.apiKey}`,
    user: () =>
      isAnonymousVisitor(visitorId) ? null : panelUser(visitorId, accountId, visitorMeta, accountMeta),
  });

  const sanitize = (url: string): string => {
    try {
      return options ? String(options.sanitizeUrl(url)) : url;
    } catch {
      return url;
    }
  };

  const whenReady =
    <A extends unknown[]>(action: (...args: A) => void) =>
    (...args: A): void => {
      if (ready) action(...args);
      else pendingCalls.push(() => action(...args));
    };

  function makeQueue(beacon: string, extraParams: string): EventQueue {
    return {
      pending: [],
      sender: createSendQueue({
        endpoint: () => `${options?.dataHost}/data/${beacon}/${options?.apiKey}`,
        version: () => config.version,
        extraParams,
        transport: env.transport,
        now,
        setTimer: (callback, ms) => win.setTimeout(callback, ms),
        clearTimer: (timer) => win.clearTimeout(timer as number),
      }),
    };
  }

  function record(
    queue: EventQueue,
    type: string,
    props: object,
    extra?: { url?: string; name?: string },
  ): void {
    if (!options || !sending) return;
    const event: AgentEvent = {
      type,
      browser_time: now(),
      visitor_id: visitorId,
      account_id: accountId,
      url: sanitize(extra?.url ?? win.location.href),
      props,
      parentTabId: null,
      tabId: tracers.tabId(),
      frameId: tracers.frameId,
      sessionId: tracers.sessionId(),
      sequence: sequence++,
    };
    if (extra?.name !== undefined) event.track_event_name = extra.name;
    queue.pending.push(withBytes(event));
  }

  function recordPtm(type: string, props: object, url?: string): void {
    if (queues && options && options.excludeEvents.indexOf(type) < 0) {
      record(queues.ptm, type, props, url === undefined ? undefined : { url });
    }
  }

  /** Pendo sends load, identify and meta on the next tick rather than waiting for the interval. */
  function flushLater(): void {
    if (flushSoon === undefined) {
      flushSoon = win.setTimeout(() => {
        flushSoon = undefined;
        void flushNow();
      }, 0);
    }
  }

  function enqueueBatches(queue: EventQueue): void {
    const pending = queue.pending;
    queue.pending = [];
    for (const batch of packEvents(pending)) for (const jzb of encodeBatch(batch)) queue.sender.add(jzb);
  }

  function flushNow(): Promise<void> {
    if (!queues) return Promise.resolve();
    const all = [queues.ptm, queues.track, queues.agentic];
    for (const queue of all) enqueueBatches(queue);
    return Promise.all(all.map((queue) => queue.sender.settled())).then(() => undefined);
  }

  /** Page hidden or going away: everything queued leaves now, as keepalive requests. */
  function flushForUnload(): void {
    if (!queues) return;
    for (const queue of [queues.ptm, queues.track, queues.agentic]) {
      enqueueBatches(queue);
      queue.sender.drain();
    }
  }

  function accountIdOf(call: IdentityCall): string | undefined {
    const account = realId(call.account?.id, accountPlaceholder);
    const parent = realId(call.parentAccount?.id, accountPlaceholder);
    return account !== undefined && parent !== undefined && account.indexOf("::") < 0
      ? `${parent}::${account}`
      : account;
  }

  /** identify/updateOptions/initialize: new ids, then `identify` and `meta` events as Pendo sends them. */
  function applyIdentity(
    call: IdentityCall,
    before: { visitorId: string | undefined; accountId: string | null },
  ): void {
    if (!options) return;
    const nextVisitor =
      realId(call.visitor?.id, visitorPlaceholder) ?? before.visitorId ?? anonymousVisitorId();
    const nextAccount = accountIdOf(call) ?? before.accountId;
    if (before.visitorId !== undefined && nextVisitor !== before.visitorId) {
      identity.set("oldVisitorId", before.visitorId);
      if (!isAnonymousVisitor(before.visitorId)) tracers.newSession();
    }
    // What the page said of the visitor and account, for the feedback panel's `user`.
    visitorMeta =
      nextVisitor === before.visitorId ? { ...visitorMeta, ...call.visitor } : { ...call.visitor };
    accountMeta =
      nextAccount === before.accountId ? { ...accountMeta, ...call.account } : { ...call.account };
    visitorId = nextVisitor;
    accountId = nextAccount;
    identity.set("visitorId", visitorId);
    if (accountId === null) identity.remove("accountId");
    else identity.set("accountId", accountId);
    const identifyEvent = identifyProps(before, { visitorId, accountId });
    if (identifyEvent) recordPtm("identify", identifyEvent);
    const meta = metaProps(
      call,
      { visitorId, accountId },
      browserLanguage(win.navigator),
      config.version,
      new Date(now()),
    );
    const hash = metadataHash(meta);
    if (hash !== identity.get("meta")) {
      identity.set("meta", hash);
      recordPtm("meta", meta);
    }
    launcher.update();
    flushLater();
  }

  function pageLoad(url?: string): void {
    const props: { load_time: number; is_frame?: true } = { load_time: pageLoadTime(win) };
    if (win.top !== win) props.is_frame = true;
    recordPtm("load", props, url);
    flushLater();
  }

  function onInteraction(type: string, target: Element, event: Event): void {
    if (!options) return;
    const chain = elementChain(target, { ...options, sanitizeUrl: sanitize });
    if (!chain) return;
    if (type === "click") chain.flags = clickFlags(event as MouseEvent);
    recordPtm(type, { target: chain });
  }

  function start(initOptions: InitializeOptions): void {
    const effective = effectiveOptions(config, initOptions);
    if (!effective.apiKey) return;
    options = effective;
    feedbackDisabled = initOptions.disableFeedback === true;
    const persistent = webStore(() => win.localStorage);
    let session: KeyValueStore = webStore(() => win.sessionStorage);
    if (effective.disablePersistence) {
      for (const name of identityKeyNames) persistent.remove(`_pendo_${name}.${effective.apiKey}`);
      session = memoryStore();
    }
    identity = identityStore(
      effective.disablePersistence ? memoryStore() : persistent,
      effective.apiKey,
      now,
    );
    tracers = tracerIds(session, now);
    queues = {
      ptm: makeQueue("ptm.gif", ""),
      track: makeQueue("ptm.gif", "&type=track"),
      agentic: makeQueue("agentic.gif", ""),
    };

    const stored = identity.get("visitorId");
    const storedAccount = identity.get("accountId");
    const call: IdentityCall = {
      visitor:
        initOptions.visitor ??
        (initOptions.visitorId === undefined ? undefined : { id: initOptions.visitorId }),
      account:
        initOptions.account ??
        (initOptions.accountId === undefined ? undefined : { id: initOptions.accountId }),
      parentAccount: initOptions.parentAccount,
    };
    applyIdentity(call, { visitorId: stored, accountId: storedAccount ?? null });
    pageLoad();

    const onHidden = (): void => {
      if (doc.visibilityState === "hidden") flushForUnload();
    };
    win.addEventListener("pagehide", flushForUnload);
    doc.addEventListener("visibilitychange", onHidden);
    const interval = win.setInterval(() => void flushNow(), effective.flushIntervalMs);
    cleanups = [
      listenForInteractions(doc, now, onInteraction),
      watchUrl(win, () => pageLoad()),
      () => win.removeEventListener("pagehide", flushForUnload),
      () => doc.removeEventListener("visibilitychange", onHidden),
      () => win.clearInterval(interval),
    ];

    ready = true;
    launcher.update();
    const calls = pendingCalls;
    pendingCalls = [];
    for (const call of calls) call();
    events.trigger("ready");
    if (typeof initOptions.events?.ready === "function") {
      try {
        initOptions.events.ready();
      } catch {
        // The app's callback failing is the app's problem, not a reason to stop collecting.
      }
    }
  }

  const agent: CairnAgent = {
    VERSION: config.version,
    get apiKey() {
      return options?.apiKey ?? config.apiKey;
    },
    get visitorId() {
      return visitorId;
    },
    get accountId() {
      return accountId;
    },
    events,
    initialize(initOptions = {}) {
      // Pendo: "initialize only needs to be called once. Use updateOptions to update metadata."
      if (initializeCalled || typeof initOptions !== "object" || initOptions === null) return;
      initializeCalled = true;
      const run = (): void => start(initOptions);
      if (initOptions.initializeImmediately || doc.readyState === "complete") run();
      else {
        win.addEventListener("load", run);
        cleanups = [() => win.removeEventListener("load", run)];
      }
    },
    identify: whenReady((visitor: string | IdentityCall, account?: string) => {
      if (typeof visitor === "object" && visitor !== null) {
        applyIdentity(visitor, { visitorId, accountId });
      } else if (realId(visitor, visitorPlaceholder) !== undefined) {
        applyIdentity(
          { visitor: { id: visitor }, ...(account === undefined ? {} : { account: { id: account } }) },
          { visitorId, accountId },
        );
      }
    }),
    updateOptions: whenReady((update: IdentityCall) => {
      if (typeof update === "object" && update !== null) applyIdentity(update, { visitorId, accountId });
    }),
    pageLoad: whenReady((url?: string) => pageLoad(typeof url === "string" ? url : undefined)),
    track: whenReady((name: string, props?: unknown) => {
      if (queues)
        record(queues.track, "track", trackProps(props), { name: name ? String(name) : "_PENDO_UNNAMED_" });
    }),
    trackAgent: whenReady((type: string, props?: unknown) => {
      if (queues && type) record(queues.agentic, String(type), trackProps(props));
    }),
    flushNow,
    getVersion: () => config.version,
    getVisitorId: () => visitorId,
    get_visitor_id: () => visitorId,
    getAccountId: () => accountId,
    get_account_id: () => accountId,
    getCurrentUrl: () => sanitize(win.location.href),
    isReady: () => ready,
    isAnonymousVisitor: (id?: string) => isAnonymousVisitor(id === undefined ? visitorId : id),
    generate_unique_id: (prefix = "") => prefix + randomId(11),
    clearSession: whenReady(() => {
      // Pendo sends no identify here: the next visitor starts anonymous, in a new session.
      visitorId = anonymousVisitorId();
      accountId = null;
      identity.set("visitorId", visitorId);
      identity.remove("accountId");
      identity.remove("meta");
      tracers.newSession();
      visitorMeta = {};
      accountMeta = {};
      launcher.update();
    }),
    teardown() {
      flushForUnload();
      for (const cleanup of cleanups) cleanup();
      cleanups = [];
      if (flushSoon !== undefined) win.clearTimeout(flushSoon as number);
      flushSoon = undefined;
      for (const queue of queues ? [queues.ptm, queues.track, queues.agentic] : []) queue.sender.stop();
      queues = null;
      options = null;
      ready = false;
      initializeCalled = false;
      pendingCalls = [];
      launcher.remove();
    },
    isSendingEvents: () => sending,
    startSendingEvents() {
      sending = true;
    },
    stopSendingEvents() {
      sending = false;
    },
    loadGuides() {},
    compress,
    fromByteArray: base64url,
    feedback: launcher.api,
  };
  return agent;
}
