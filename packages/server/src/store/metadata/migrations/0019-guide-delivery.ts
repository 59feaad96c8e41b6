import { type Kysely, sql } from "kysely";

// Guide delivery (guides/delivery/): every server keeps each app's live guides in memory and drops them when the
// `guides` revision moves (a guide or the subscription's throttle changed). Visitors marked "do not process"
// (Pendo's `donotprocess` flag, GDPR) are answered 451 by guide.json, which stops the agent. Portable to
// PostgreSQL as written.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`INSERT INTO cache_revisions (name, revision) VALUES ('guides', 0)`.execute(db);
  await db.schema
    .createTable("do_not_process_visitors")
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("visitor_id", "text", (c) => c.notNull())
    .addColumn("set_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("do_not_process_visitors_pk", ["subscription_id", "visitor_id"])
    .execute();
}
