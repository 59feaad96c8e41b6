import type { Kysely } from "kysely";

// Segments: named lists of visitor ids (Pendo's uploaded segments), one row per member so a segment of 100,000+
// visitors is changed by the rows it touches, not rewritten whole. Portable to PostgreSQL as written.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("segments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("name", "text", (c) => c.notNull())
    // 1 when created through the v1 API (Pendo's `createdByApi`), 0 from the admin API or the CLI.
    .addColumn("created_by_api", "integer", (c) => c.notNull())
    .addColumn("visitor_count", "integer", (c) => c.notNull())
    // A new value at every write (Pendo's `entityTagId`), so a client can tell whether its copy is current.
    .addColumn("entity_tag", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    // Not foreign keys, as for tagged objects: a segment outlives the user or key that wrote it.
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    // A write in progress holds the segment until it ends (or the lease runs out, should its server die), so a
    // second writer is told 409 rather than interleaving with it, on any server.
    .addColumn("write_lease", "text")
    .addColumn("write_lease_until", "text")
    .execute();
  await db.schema
    .createIndex("segments_by_subscription")
    .on("segments")
    .columns(["subscription_id", "created_at"])
    .execute();

  await db.schema
    .createTable("segment_visitors")
    .addColumn("segment_id", "text", (c) => c.notNull().references("segments.id").onDelete("cascade"))
    .addColumn("visitor_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("segment_visitors_pk", ["segment_id", "visitor_id"])
    .execute();
}
