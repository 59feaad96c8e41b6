import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("subscriptions")
    .addColumn("integration_keys_enabled", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("subscriptions")
    .addColumn("exposed_key_policy", "text", (c) => c.notNull().defaultTo("notify"))
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("key_start", "text", (c) => c.notNull())
    .addColumn("app_id", "text", (c) => c.references("apps.id"))
    .addColumn("scope", "text", (c) => c.notNull())
    // Not a foreign key on purpose: a key outlives the user who made it (keys.md rule 4).
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("revoked_at", "text")
    .addColumn("rolled_to", "text")
    .addColumn("last_used_at", "text")
    .addColumn("last_used_ip", "text")
    .addColumn("exposed_at", "text")
    .execute();
  await db.schema
    .createIndex("api_keys_by_subscription")
    .on("api_keys")
    .columns(["subscription_id", "created_at"])
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target", "text")
    .addColumn("ip", "text")
    .addColumn("detail", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("audit_by_subscription")
    .on("audit_log")
    .columns(["subscription_id", "at"])
    .execute();

  // One counter per shared cache: every server polls it and drops its cache when it moves.
  await db.schema
    .createTable("cache_revisions")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("revision", "integer", (c) => c.notNull())
    .execute();
  await sql`INSERT INTO cache_revisions (name, revision) VALUES ('keys', 0)`.execute(db);
}
