import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("exclude_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("pattern", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    // Not a foreign key, as for keys: a rule outlives the user who added it.
    .addColumn("created_by", "text", (c) => c.notNull())
    // Also the index the per-subscription load uses (its leading column is subscription_id).
    .addUniqueConstraint("exclude_rules_unique_pattern", ["subscription_id", "kind", "pattern"])
    .execute();

  // Every server drops its compiled Exclude Lists when this counter moves (exclude/exclude-list-cache.ts).
  await sql`INSERT INTO cache_revisions (name, revision) VALUES ('exclude', 0)`.execute(db);
}
