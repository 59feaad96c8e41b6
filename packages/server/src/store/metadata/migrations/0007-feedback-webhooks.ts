import { type Kysely, sql } from "kysely";

// Portable to PostgreSQL as written: text ids and ISO-8601 text times, integer counters, CHECK constraints, no
// partial indexes (a `state` column plays that part for the deliverer's "what is due" query).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("feedback_hooks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("target_url", "text", (c) => c.notNull())
    .addColumn("created_by_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    // Subscribing twice to the same event and URL answers the hook already there: one event, one request.
    .addUniqueConstraint("feedback_hooks_unique_target", ["subscription_id", "event", "target_url"])
    .addCheckConstraint(
      "feedback_hooks_event",
      sql`event in ('feature_created', 'feature_status_changed', 'feature_comment_created')`,
    )
    .execute();

  // The outbox: one row per event and hook, written in the transaction of the change it reports.
  await db.schema
    .createTable("feedback_webhook_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("hook_id", "text", (c) => c.notNull().references("feedback_hooks.id"))
    .addColumn("event", "text", (c) => c.notNull())
    // The whole request body as sent on every attempt, so a retry carries the same bytes.
    .addColumn("payload", "text", (c) => c.notNull())
    // Sent as X-Cairn-Delivery and in the body: the same on every attempt, so receivers can drop repeats.
    .addColumn("delivery_id", "text", (c) => c.notNull().unique())
    .addColumn("state", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    // A server sending it holds it until then; another may take it over only after (the first one died).
    .addColumn("claimed_until", "text")
    .addColumn("delivered_at", "text")
    .addColumn("failed_at", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addCheckConstraint("feedback_webhook_deliveries_state", sql`state in ('pending', 'delivered', 'failed')`)
    .execute();
  await db.schema
    .createIndex("feedback_webhook_deliveries_due")
    .on("feedback_webhook_deliveries")
    .columns(["state", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("feedback_webhook_deliveries_by_hook")
    .on("feedback_webhook_deliveries")
    .columns(["hook_id"])
    .execute();
}
