import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("apps").addColumn("previous_app_key", "text").execute();
  await db.schema.alterTable("apps").addColumn("previous_app_key_expires_at", "text").execute();
  await db.schema
    .alterTable("apps")
    .addColumn("allowed_origins", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema.createIndex("apps_by_previous_key").on("apps").column("previous_app_key").execute();
}
