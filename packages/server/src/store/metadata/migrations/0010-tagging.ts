import { type Kysely, sql } from "kysely";

// Tagged pages, features and track types (tagging/). Rules are kept as written and compiled: the compiled
// regular expressions ride along as JSON with the compiler's version, so loading definitions compiles nothing
// unless the compiler changed. Portable to PostgreSQL as written: text times, JSON as text, no partial index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("pages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("app_id", "text", (c) => c.notNull().references("apps.id"))
    .addColumn("name", "text", (c) => c.notNull())
    // JSON arrays of {rule, designerHint, regexes}.
    .addColumn("rules", "text", (c) => c.notNull())
    .addColumn("exclude_rules", "text", (c) => c.notNull())
    .addColumn("compiler", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    // Not foreign keys, as for keys and rules: an object outlives the user or key that wrote it.
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    // Also the index the per-subscription load uses.
    .addUniqueConstraint("pages_unique_name", ["subscription_id", "app_id", "name"])
    .execute();

  await db.schema
    .createTable("features")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("app_id", "text", (c) => c.notNull().references("apps.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("page_id", "text", (c) => c.references("pages.id"))
    .addColumn("app_wide", "integer", (c) => c.notNull())
    // JSON array of CSS selectors as written; `compiled` is the JSON string[][] of their regexes.
    .addColumn("element_path_rules", "text", (c) => c.notNull())
    .addColumn("compiled", "text", (c) => c.notNull())
    .addColumn("compiler", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addUniqueConstraint("features_unique_name", ["subscription_id", "app_id", "name"])
    .execute();
  await db.schema.createIndex("features_by_page").on("features").column("page_id").execute();

  await db.schema
    .createTable("track_types")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("app_id", "text", (c) => c.notNull().references("apps.id"))
    .addColumn("name", "text", (c) => c.notNull())
    // The name track events carry (events.track_name); one track type per name and app.
    .addColumn("track_type_name", "text", (c) => c.notNull())
    .addColumn("track_type_rules", "text", (c) => c.notNull())
    .addColumn("event_property_name_list", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    // A deleted track type stays as a tombstone, so discovery brings it back only for events received later.
    .addColumn("deleted_at", "text")
    .addUniqueConstraint("track_types_unique_event", ["subscription_id", "app_id", "track_type_name"])
    .execute();

  // Every definitions cache (tagging/definitions.ts) reloads when this counter moves.
  await sql`INSERT INTO cache_revisions (name, revision) VALUES ('tagging', 0)`.execute(db);
}
