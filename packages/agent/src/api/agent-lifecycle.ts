import type { AgentConfig } from "../agent-config.js";
import type { AgentFeedback } from "../feedback/agent-feedback.js";
import type { GuideLoader } from "../guide-loader/guide-loader.js";
import type { Ids } from "../identity/visitor-ids.js";
import { type IdentityCall, identityCallOf, type VisitorSession } from "../identity/visitor-session.js";
import type { PageEvents } from "../page/page-events.js";
import type { AgentEvents } from "./agent-events.js";
import { effectiveOptions, type InitializeOptions } from "./agent-options.js";
import type { EventQueues } from "./event-queues.js";
import type { ReadyGate } from "./ready-gate.js";
import type { RunningOptions } from "./running-options.js";

export interface AgentLifecycleDeps {
  readonly config: AgentConfig;
  readonly win: Window;
  readonly options: RunningOptions;
  readonly gate: ReadyGate;
  readonly session: VisitorSession;
  readonly queues: EventQueues;
  readonly page: PageEvents;
  readonly feedback: AgentFeedback;
  readonly guides: Pick<GuideLoader, "stop">;
  readonly identify: (call: IdentityCall, before: Ids) => void;
  readonly events: AgentEvents;
}

/** `initialize` (once, when the page has loaded unless told otherwise) and `teardown`, which allows another. */
export interface AgentLifecycle {
  initialize(options?: InitializeOptions): void;
  teardown(): void;
}

export function createAgentLifecycle(deps: AgentLifecycleDeps): AgentLifecycle {
  const { win, options, gate, session, queues, page, feedback } = deps;
  let initializeCalled = false;
  let cleanups: Array<() => void> = [];

  function start(initOptions: InitializeOptions): void {
    const effective = effectiveOptions(deps.config, initOptions);
    if (!effective.apiKey) return;
    options.set(effective);
    feedback.setDisabled(initOptions.disableFeedback === true);
    session.open(effective);
    queues.open();
    const before = session.stored();
    deps.identify(identityCallOf(initOptions), before);
    page.pageLoad();
    const stopFlushing = queues.flushPeriodically(effective.flushIntervalMs);
    cleanups = [page.watch(), stopFlushing];

    gate.open();
    feedback.update();
    gate.replay();
    deps.events.trigger("ready");
    if (typeof initOptions.events?.ready === "function") {
      try {
        initOptions.events.ready();
      } catch {
        // The app's callback failing is the app's problem, not a reason to stop collecting.
      }
    }
  }

  return {
    initialize(initOptions = {}) {
      // Pendo: "initialize only needs to be called once. Use updateOptions to update metadata."
      if (initializeCalled || typeof initOptions !== "object" || initOptions === null) return;
      initializeCalled = true;
      const run = (): void => start(initOptions);
      if (initOptions.initializeImmediately || win.document.readyState === "complete") run();
      else {
        win.addEventListener("load", run);
        cleanups = [() => win.removeEventListener("load", run)];
      }
    },
    teardown() {
      queues.flushForUnload();
      for (const cleanup of cleanups) cleanup();
      cleanups = [];
      queues.close();
      options.set(null);
      gate.close();
      initializeCalled = false;
      feedback.remove();
      deps.guides.stop();
    },
  };
}
