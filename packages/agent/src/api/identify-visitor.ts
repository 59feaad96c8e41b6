import type { FeedbackLauncher } from "../feedback/feedback-launcher.js";
import type { Ids } from "../identity/visitor-ids.js";
import type { IdentityCall, VisitorSession } from "../identity/visitor-session.js";
import type { EventQueues } from "./event-queues.js";
import type { RunningOptions } from "./running-options.js";

export interface IdentifyVisitorDeps {
  readonly options: RunningOptions;
  readonly session: VisitorSession;
  readonly queues: Pick<EventQueues, "recordPtm" | "flushLater">;
  readonly feedback: Pick<FeedbackLauncher, "update">;
  /** Another visitor or new metadata: guides are asked for again. */
  readonly reloadGuides?: () => void;
}

/**
 * What `initialize`, `identify` and `updateOptions` share: the session takes the new ids, then the `identify`
 * and `meta` events go out as Pendo sends them (on the next tick), and the feedback button follows the visitor.
 */
export function identifyVisitor(deps: IdentifyVisitorDeps): (call: IdentityCall, before: Ids) => void {
  const { options, session, queues } = deps;
  return function applyIdentity(call, before) {
    if (!options.get()) return;
    const identify = session.switchTo(call, before);
    if (identify) queues.recordPtm("identify", identify);
    const meta = session.changedMeta(call);
    if (meta) queues.recordPtm("meta", meta);
    deps.feedback.update();
    // Another visitor or new metadata may change which guides apply (Pendo reloads guides on both).
    if (identify || meta) deps.reloadGuides?.();
    queues.flushLater();
  };
}
