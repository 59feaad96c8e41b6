import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { Actor } from "../audit/actor.js";
import { recordAudit } from "../audit/audit-log.js";

type Db = Kysely<MetadataSchema>;

/** The `cache_revisions` counter that moves whenever a visitor is marked or cleared. */
export const doNotProcessRevisionName = "do_not_process";

/** Every marked visitor of every subscription, for the collector's cache. */
export async function listDoNotProcess(
  db: Db,
): Promise<Array<{ subscriptionId: string; visitorId: string }>> {
  const rows = await db
    .selectFrom("do_not_process_visitors")
    .select(["subscription_id", "visitor_id"])
    .execute();
  return rows.map((row) => ({ subscriptionId: row.subscription_id, visitorId: row.visitor_id }));
}

/**
 * Whether the visitor is marked "do not process" (Pendo's `donotprocess` flag): guide.json answers them 451,
 * and the collector drops their events.
 */
export async function isDoNotProcess(db: Db, subscriptionId: string, visitorId: string): Promise<boolean> {
  const row = await db
    .selectFrom("do_not_process_visitors")
    .select("visitor_id")
    .where("subscription_id", "=", subscriptionId)
    .where("visitor_id", "=", visitorId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Sets or clears the flag, audited and with the revision bumped in the same transaction; setting it twice keeps the first time. */
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
    await trx
      .updateTable("cache_revisions")
      .set((eb) => ({ revision: eb("revision", "+", 1) }))
      .where("name", "=", doNotProcessRevisionName)
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
