import type { FeedbackHookEvent } from "../../store/metadata/metadata-schema.js";

/** The events a hook can subscribe to, as Pendo Feedback names them. */
export const feedbackHookEvents: readonly FeedbackHookEvent[] = [
  "feature_created",
  "feature_status_changed",
  "feature_comment_created",
];

/** Bounds on hooks: a URL as long as browsers and proxies reliably carry, and a few hooks per subscription. */
export const hookLimits = {
  urlLength: 2048,
  hooksPerSubscription: 100,
} as const;
