import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { Actor } from "../audit/actor.js";
import { recordAudit } from "../audit/audit-log.js";

type Db = Kysely<MetadataSchema>;

/** Whether the visitor is marked "do not process" (Pendo's `donotprocess` flag): guide.json answers them 451. */
export async function isDoNotProcess(db: Db, subscriptionId: string, visitorId: string): Promise<boolean> {
  const row = await db
    .selectFrom("do_not_process_visitors")
    .select("visitor_id")
    .where("subscription_id", "=", subscriptionId)
    .where("visitor_id", "=", visitorId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Sets or clears the flag, audited; setting it twice keeps the first time. */
export async function setDoNotProcess(
  db: Db,
  change: { subscriptionId: string; visitorId: string; doNotProcess: boolean; actor: Actor; now?: Date },
): Promise<void> {
  const { subscriptionId, visitorId, doNotProcess, actor } = change;
  const now = change.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    if (doNotProcess)
      await trx
        .insertInto("do_not_process_visitors")
        .values({ subscription_id: subscriptionId, visitor_id: visitorId, set_at: now.toISOString() })
        .onConflict((oc) => oc.columns(["subscription_id", "visitor_id"]).doNothing())
        .execute();
    else
      await trx
        .deleteFrom("do_not_process_visitors")
        .where("subscription_id", "=", subscriptionId)
        .where("visitor_id", "=", visitorId)
        .execute();
    await recordAudit(trx, {
      subscriptionId,
      actor: actor.id,
      action: "visitor.do_not_process",
      target: visitorId,
      ip: actor.ip ?? null,
      detail: { doNotProcess },
      at: now,
    });
  });
}
