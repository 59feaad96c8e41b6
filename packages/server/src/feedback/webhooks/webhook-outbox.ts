import type { Transaction } from "kysely";
import { newId } from "../../platform/ids/new-id.js";
import type { FeedbackHookEvent, MetadataSchema } from "../../store/metadata/metadata-schema.js";

type Trx = Transaction<MetadataSchema>;

/** The body every webhook request carries. */
export interface WebhookBody {
  readonly event: FeedbackHookEvent;
  readonly deliveryId: string;
  readonly occurredAt: string;
  /** The idea as the ideas API answers it, plus `comment` for comment events. */
  readonly data: object;
}

/**
 * Writes one delivery per hook of the subscription listening to `event`, inside the caller's transaction:
 * the change and its deliveries are committed together or not at all, so a crash never loses an event that
 * happened nor sends one that did not. The deliverer sends them later.
 */
export async function enqueueWebhookEvent(
  trx: Trx,
  subscriptionId: string,
  event: FeedbackHookEvent,
  /** The payload's `data`, or a function reading it, called only when some hook listens. */
  data: object | (() => Promise<object>),
  occurredAt: string,
): Promise<number> {
  const hooks = await trx
    .selectFrom("feedback_hooks")
    .select("id")
    .where("subscription_id", "=", subscriptionId)
    .where("event", "=", event)
    .execute();
  if (hooks.length === 0) return 0;
  const body = typeof data === "function" ? await data() : data;
  const rows = hooks.map((hook) => {
    const deliveryId = newId("dlv");
    const payload: WebhookBody = { event, deliveryId, occurredAt, data: body };
    return {
      id: newId("whd"),
      hook_id: hook.id,
      event,
      payload: JSON.stringify(payload),
      delivery_id: deliveryId,
      next_attempt_at: occurredAt,
      claimed_until: null,
      delivered_at: null,
      failed_at: null,
      last_error: null,
      created_at: occurredAt,
    };
  });
  await trx.insertInto("feedback_webhook_deliveries").values(rows).execute();
  return rows.length;
}
