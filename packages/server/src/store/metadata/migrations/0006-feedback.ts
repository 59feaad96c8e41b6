import { type Kysely, sql } from "kysely";

// Portable to PostgreSQL as written: text ids and ISO-8601 text times, integer flags, CHECK constraints and
// ON CONFLICT upserts only (no SQLite-only types, no AUTOINCREMENT, no partial indexes).
export async function up(db: Kysely<unknown>): Promise<void> {
  // The accounts and end users who give feedback, known by the ids the team's own product uses: the same ids
  // as the analytics visitors and accounts (event store), which live in another store, so no foreign key.
  await db.schema
    .createTable("feedback_accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("feedback_accounts_unique_external_id", ["subscription_id", "external_id"])
    .execute();

  await db.schema
    .createTable("feedback_end_users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("name", "text")
    .addColumn("account_id", "text", (c) => c.references("feedback_accounts.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("feedback_end_users_unique_external_id", ["subscription_id", "external_id"])
    .execute();

  await db.schema
    .createTable("feedback_ideas")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("status_changed_at", "text", (c) => c.notNull())
    // The last time the idea entered each status, as Pendo's `planned_at`, `released_at`…
    .addColumn("waiting_at", "text")
    .addColumn("planned_at", "text")
    .addColumn("developing_at", "text")
    .addColumn("released_at", "text")
    .addColumn("declined_at", "text")
    .addColumn("product_area", "text")
    // JSON array of strings.
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("is_private", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("merged_into_id", "text", (c) => c.references("feedback_ideas.id"))
    .addColumn("creator_id", "text", (c) => c.references("feedback_end_users.id"))
    // The key that made the change (not a foreign key: the record outlives a deleted key, as audit rows do).
    .addColumn("created_by_key", "text", (c) => c.notNull())
    .addColumn("updated_by_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .addColumn("deleted_by_key", "text")
    .addCheckConstraint(
      "feedback_ideas_status",
      sql`status in ('new', 'waiting', 'planned', 'developing', 'released', 'declined')`,
    )
    .addCheckConstraint("feedback_ideas_private_flag", sql`is_private in (0, 1)`)
    .execute();
  await db.schema
    .createIndex("feedback_ideas_by_subscription")
    .on("feedback_ideas")
    .columns(["subscription_id", "created_at"])
    .execute();

  await db.schema
    .createTable("feedback_idea_status_changes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("idea_id", "text", (c) => c.notNull().references("feedback_ideas.id"))
    // Null for the first row, written when the idea is created.
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("changed_at", "text", (c) => c.notNull())
    .addColumn("changed_by_key", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("feedback_status_changes_by_idea")
    .on("feedback_idea_status_changes")
    .columns(["idea_id", "changed_at"])
    .execute();

  // One row per idea and end user; a quantity of 0 is not stored (it removes the vote).
  await db.schema
    .createTable("feedback_votes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("idea_id", "text", (c) => c.notNull().references("feedback_ideas.id"))
    .addColumn("end_user_id", "text", (c) => c.notNull().references("feedback_end_users.id"))
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by_key", "text", (c) => c.notNull())
    .addUniqueConstraint("feedback_votes_one_per_user", ["idea_id", "end_user_id"])
    .addCheckConstraint(
      "feedback_votes_quantity",
      sql`quantity = -1 or (quantity >= 1 and quantity <= 1000000)`,
    )
    .execute();

  await db.schema
    .createTable("feedback_comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("idea_id", "text", (c) => c.notNull().references("feedback_ideas.id"))
    .addColumn("end_user_id", "text", (c) => c.notNull().references("feedback_end_users.id"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by_key", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("feedback_comments_by_idea")
    .on("feedback_comments")
    .columns(["idea_id", "created_at"])
    .execute();
}
