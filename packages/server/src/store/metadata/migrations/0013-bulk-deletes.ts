import type { Kysely } from "kysely";
import { wideInteger } from "./wide-integer.js";

// Bulk deletions of visitors or accounts: one record per request. The ids are not kept: a record of whom was
// deleted would keep what the deletion was asked to remove. `removed_events` may pass 2^31 (wide-integer.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("bulk_deletes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("requested", "integer", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("removed_profiles", "integer")
    .addColumn("removed_events", wideInteger(db))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema
    .createIndex("bulk_deletes_by_subscription")
    .on("bulk_deletes")
    .columns(["subscription_id", "created_at"])
    .execute();
}
