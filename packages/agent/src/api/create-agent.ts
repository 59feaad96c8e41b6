import type { AgentConfig } from "../agent-config.js";
import { createAgentFeedback } from "../feedback/agent-feedback.js";
import type { FeedbackApi } from "../feedback/feedback-launcher.js";
import { createGuideLoader, type GuideApi } from "../guide-loader/guide-loader.js";
import { randomId } from "../identity/random-id.js";
import { isAnonymousVisitor, realId, visitorPlaceholder } from "../identity/visitor-ids.js";
import { createVisitorSession, type IdentityCall } from "../identity/visitor-session.js";
import { base64url } from "../jzb/base64url.js";
import { compress } from "../jzb/compress.js";
import { createPageEvents } from "../page/page-events.js";
import type { Transport } from "../transport/send-queue.js";
import { type AgentEvents, createAgentEvents } from "./agent-events.js";
import { createAgentLifecycle } from "./agent-lifecycle.js";
import type { InitializeOptions } from "./agent-options.js";
import { trackProps } from "./event-envelope.js";
import { createEventQueues } from "./event-queues.js";
import { identifyVisitor } from "./identify-visitor.js";
import { createReadyGate } from "./ready-gate.js";
import { createRunningOptions } from "./running-options.js";

export interface AgentEnvironment {
  readonly win: Window;
  readonly transport: Transport;
  readonly now: () => number;
}

/**
 * `window.pendo` of Cairn's agent: the core of Pendo's client API (pendo-api.md §1.2–1.3); guides are drawn by
 * a bundle of their own, loaded when guide.json first answers a guide (docs/guides.md).
 *
 * @example
 * pendo.initialize({ visitor: { id: "u-42", email: "ada@example.com" }, account: { id: "acme" } });
 * pendo.track("Report exported", { format: "csv" });
 */
export interface CairnAgent extends GuideApi {
  readonly VERSION: string;
  readonly apiKey: string;
  readonly visitorId: string;
  readonly accountId: string | null;
  /** True once guide.json answered 451: the visitor is not processed, and no events are sent. */
  readonly doNotProcess: boolean;
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
  compress(value: unknown): string;
  fromByteArray(bytes: Uint8Array): string;
  /** The in-app feedback panel, when the app offers it (`open`, `close`, Pendo's `loginAndRedirect`). */
  readonly feedback: FeedbackApi;
}

/**
 * The agent's parts wired together behind the `pendo.*` façade: the public methods only adapt Pendo's call
 * shapes and hold calls made before the agent is ready.
 */
export function createAgent(config: AgentConfig, env: AgentEnvironment): CairnAgent {
  const { win, now } = env;
  const options = createRunningOptions();
  const gate = createReadyGate();
  const session = createVisitorSession(win, config.version, now);
  const queues = createEventQueues({
    ...env,
    version: config.version,
    options,
    session,
    signedEvents: config.signedEvents === true,
  });
  const feedback = createAgentFeedback({
    doc: win.document,
    config,
    isReady: gate.isReady,
    options,
    session,
  });
  let doNotProcess = false;
  const guides = createGuideLoader({
    win,
    now,
    version: config.version,
    options,
    session,
    record: (beacon, type, props) => queues.record(beacon, type, props),
    flush: queues.flushLater,
    token: () => (config.signedEvents ? session.identityToken : null),
    onDoNotProcess() {
      doNotProcess = true;
      queues.setSending(false);
    },
  });
  const identify = identifyVisitor({ options, session, queues, feedback, reloadGuides: guides.reload });
  const page = createPageEvents({ win, now, options, queues, onPageLoad: guides.reload });
  const events = createAgentEvents(gate.isReady);
  const { initialize, teardown } = createAgentLifecycle({
    config,
    win,
    options,
    gate,
    session,
    queues,
    page,
    feedback,
    guides,
    identify,
    events,
  });
  const { whenReady } = gate;

  const agent: CairnAgent = {
    VERSION: config.version,
    get apiKey() {
      return options.get()?.apiKey ?? config.apiKey;
    },
    get visitorId() {
      return session.visitorId;
    },
    get accountId() {
      return session.accountId;
    },
    get doNotProcess() {
      return doNotProcess;
    },
    events,
    initialize,
    identify: whenReady((visitor: string | IdentityCall, account?: string) => {
      if (typeof visitor === "object" && visitor !== null) {
        identify(visitor, session.ids());
      } else if (realId(visitor, visitorPlaceholder) !== undefined) {
        identify(
          { visitor: { id: visitor }, ...(account === undefined ? {} : { account: { id: account } }) },
          session.ids(),
        );
      }
    }),
    updateOptions: whenReady((update: IdentityCall) => {
      if (typeof update === "object" && update !== null) identify(update, session.ids());
    }),
    pageLoad: whenReady((url?: string) => page.pageLoad(typeof url === "string" ? url : undefined)),
    track: whenReady((name: string, props?: unknown) => {
      queues.record("track", "track", trackProps(props), { name: name ? String(name) : "_PENDO_UNNAMED_" });
    }),
    trackAgent: whenReady((type: string, props?: unknown) => {
      if (type) queues.record("agentic", String(type), trackProps(props));
    }),
    flushNow: queues.flushNow,
    getVersion: () => config.version,
    getVisitorId: () => session.visitorId,
    get_visitor_id: () => session.visitorId,
    getAccountId: () => session.accountId,
    get_account_id: () => session.accountId,
    getCurrentUrl: () => options.sanitize(win.location.href),
    isReady: gate.isReady,
    isAnonymousVisitor: (id?: string) => isAnonymousVisitor(id === undefined ? session.visitorId : id),
    generate_unique_id: (prefix = "") => prefix + randomId(11),
    clearSession: whenReady(() => {
      session.clear();
      feedback.update();
    }),
    teardown,
    isSendingEvents: queues.isSending,
    startSendingEvents() {
      queues.setSending(true);
    },
    stopSendingEvents() {
      queues.setSending(false);
    },
    ...guides.api,
    compress,
    fromByteArray: base64url,
    feedback: feedback.api,
  };
  return agent;
}
