import type { Kysely, Selectable } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type {
  FeedbackHookEvent,
  FeedbackHooksTable,
  MetadataSchema,
} from "../../store/metadata/metadata-schema.js";
import type { FeedbackCaller } from "../ideas/idea-service.js";
import type { Hook } from "./hook-shape.js";
import { hookLimits } from "./webhook-events.js";
import { targetRefusal, type WebhookPolicy } from "./webhook-policy.js";
import { generateWebhookSecret } from "./webhook-signature.js";

type Db = Kysely<MetadataSchema>;

export type { Hook } from "./hook-shape.js";

function toHook(row: Selectable<FeedbackHooksTable>): Hook {
  return { id: row.id, event: row.event, targetUrl: row.target_url, createdAt: row.created_at };
}

function badRequest(message: string): CairnError {
  return new CairnError("bad_request", { message });
}

/**
 * An absolute http(s) URL without credentials (fetch refuses those), as the caller wrote it, that the address
 * policy allows: https unless http is allowed, and no internal address or host name unless the operator
 * allowed it. Where a public name leads is checked again on every connection (`guarded-lookup.ts`).
 */
export function checkTargetUrl(targetUrl: string, policy: WebhookPolicy): string {
  if (targetUrl.length > hookLimits.urlLength) {
    throw badRequest(`target_url is longer than ${hookLimits.urlLength} characters.`);
  }
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    throw badRequest("target_url is not an absolute URL; send one such as https://example.com/hooks/cairn.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badRequest(`target_url must be an http or https URL, not ${url.protocol}.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw badRequest("target_url must not contain a user name or password.");
  }
  const refusal = targetRefusal(policy, url);
  if (refusal !== null) throw badRequest(refusal);
  return targetUrl;
}

/**
 * Subscribes `targetUrl` to `event`. The same event and URL again answers the hook already there (`created`
 * false), so a retried subscribe never doubles the requests a receiver gets. A new hook comes with its
 * signing secret, which is answered this once (`secret`); the hook already there comes without it.
 */
export async function createHook(
  db: Db,
  caller: FeedbackCaller,
  input: { event: FeedbackHookEvent; targetUrl: string },
  policy: WebhookPolicy,
  now: Date = new Date(),
): Promise<{ hook: Hook; created: false } | { hook: Hook; created: true; secret: string }> {
  const targetUrl = checkTargetUrl(input.targetUrl, policy);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("feedback_hooks")
      .selectAll()
      .where("subscription_id", "=", caller.subscriptionId)
      .where("event", "=", input.event)
      .where("target_url", "=", targetUrl)
      .executeTakeFirst();
    if (existing) return { hook: toHook(existing), created: false as const };
    const count = await trx
      .selectFrom("feedback_hooks")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("subscription_id", "=", caller.subscriptionId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= hookLimits.hooksPerSubscription) {
      throw new CairnError("conflict", {
        message: `This subscription already has ${hookLimits.hooksPerSubscription} hooks; remove one first.`,
      });
    }
    const row = {
      id: newId("hook"),
      subscription_id: caller.subscriptionId,
      event: input.event,
      target_url: targetUrl,
      created_by_key: caller.keyId,
      created_at: now.toISOString(),
      signing_secret: generateWebhookSecret(),
    };
    await trx.insertInto("feedback_hooks").values(row).execute();
    return { hook: toHook(row), created: true, secret: row.signing_secret };
  });
}

/** The subscription's hooks, oldest first. */
export async function listHooks(db: Db, caller: FeedbackCaller): Promise<Hook[]> {
  const rows = await db
    .selectFrom("feedback_hooks")
    .selectAll()
    .where("subscription_id", "=", caller.subscriptionId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toHook);
}

/** Removes hooks and their deliveries, sent or not: nothing more goes to a URL once it is unsubscribed. */
async function removeHooks(db: Db, hookIds: readonly string[]): Promise<void> {
  if (hookIds.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("feedback_webhook_deliveries")
      .where("hook_id", "in", [...hookIds])
      .execute();
    await trx
      .deleteFrom("feedback_hooks")
      .where("id", "in", [...hookIds])
      .execute();
  });
}

/** Removes every hook of the subscription with this URL, whatever its event; answers how many. */
export async function unsubscribeUrl(db: Db, caller: FeedbackCaller, targetUrl: string): Promise<number> {
  const rows = await db
    .selectFrom("feedback_hooks")
    .select("id")
    .where("subscription_id", "=", caller.subscriptionId)
    .where("target_url", "=", targetUrl)
    .execute();
  await removeHooks(
    db,
    rows.map((row) => row.id),
  );
  return rows.length;
}

/**
 * Gives a hook a new signing secret and answers it, this once: deliveries sent from now on are signed with
 * it, and the old one stops verifying at once. How a hook from before secrets gets one it can read.
 */
export async function rollHookSecret(
  db: Db,
  caller: FeedbackCaller,
  id: string,
): Promise<{ hook: Hook; secret: string }> {
  const secret = generateWebhookSecret();
  const updated = await db
    .updateTable("feedback_hooks")
    .set({ signing_secret: secret })
    .where("id", "=", id)
    .where("subscription_id", "=", caller.subscriptionId)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new CairnError("not_found", { message: `No hook ${id} in this subscription.` });
  return { hook: toHook(updated), secret };
}

/** Removes one hook; another subscription's hook answers 404 like one that never existed. */
export async function deleteHook(db: Db, caller: FeedbackCaller, id: string): Promise<void> {
  const row = await db
    .selectFrom("feedback_hooks")
    .select("id")
    .where("id", "=", id)
    .where("subscription_id", "=", caller.subscriptionId)
    .executeTakeFirst();
  if (!row) throw new CairnError("not_found", { message: `No hook ${id} in this subscription.` });
  await removeHooks(db, [row.id]);
}
