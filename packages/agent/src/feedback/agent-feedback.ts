import type { AgentConfig } from "../agent-config.js";
import type { RunningOptions } from "../api/running-options.js";
import { isAnonymousVisitor } from "../identity/visitor-ids.js";
import type { VisitorSession } from "../identity/visitor-session.js";
import { createFeedbackLauncher, type FeedbackLauncher } from "./feedback-launcher.js";
import { panelUser } from "./panel-user.js";

export interface AgentFeedbackDeps {
  readonly doc: Document;
  readonly config: AgentConfig;
  readonly isReady: () => boolean;
  readonly options: RunningOptions;
  readonly session: VisitorSession;
}

export interface AgentFeedback extends FeedbackLauncher {
  /** `initialize({ disableFeedback: true })`: no panel on this page even when the app offers it. */
  setDisabled(disabled: boolean): void;
}

/**
 * The feedback launcher wired to the agent: offered once the agent is ready, when the app's settings
 * (`feedbackWidget`) offer it and the page did not switch it off, to an identified visitor; the panel's bundle
 * and endpoint are on the running data host.
 */
export function createAgentFeedback(deps: AgentFeedbackDeps): AgentFeedback {
  const { options, session } = deps;
  let disabled = false;
  const launcher = createFeedbackLauncher({
    doc: deps.doc,
    enabled: () => deps.isReady() && deps.config.feedbackWidget === true && !disabled,
    scriptUrl: () => `${options.get()?.dataHost}/agent/static/${options.get()?.apiKey}/feedback-panel.js`,
    endpoint: () => `${options.get()?.dataHost}/data/feedback/${options.get()?.apiKey}`,
    user: () => {
      const visitorId = session.visitorId;
      return isAnonymousVisitor(visitorId)
        ? null
        : panelUser(visitorId, session.accountId, session.visitorMeta, session.accountMeta);
    },
    token: () => session.identityToken,
  });
  return {
    ...launcher,
    setDisabled(off) {
      disabled = off;
    },
  };
}
