import { Type } from "@sinclair/typebox";
import { stringEnum } from "../../platform/http/schema-kit.js";
import { feedbackHookEvents, hookLimits } from "../webhooks/webhook-events.js";

// Webhook subscriptions with Pendo Feedback's body names (`event`, `target_url`), on /api/v1/hooks and on the
// classic /feedback/hooks alike.

const targetUrl = Type.String({ minLength: 1, maxLength: hookLimits.urlLength });

export const subscribeBody = Type.Object(
  { event: stringEnum(feedbackHookEvents), target_url: targetUrl },
  { additionalProperties: false },
);

export const unsubscribeBody = Type.Object({ target_url: targetUrl }, { additionalProperties: false });

/** What an unsubscribe answers. */
export const removedHooks = Type.Object({
  removed: Type.Integer({ description: "How many subscriptions of the URL were removed." }),
});

export const hookIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
