import type { Kysely } from "kysely";

// Saved reports: an aggregation request kept as written (JSON text), run again each time its results are read.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("aggregation", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("reports_by_subscription")
    .on("reports")
    .columns(["subscription_id", "created_at"])
    .execute();
}
