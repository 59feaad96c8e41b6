import type { Kysely } from "kysely";

/**
 * Signed visitor identity, per app: `identity_mode` says where a token signed with the app's identity secret
 * is required (`off`, `panel`, `panel_and_events`), `unsigned_events` what happens to an identified visitor's
 * events without one when events require it (`flag`: stored, marked; `refuse`: dropped and counted).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("apps")
    .addColumn("identity_mode", "text", (c) => c.notNull().defaultTo("off"))
    .execute();
  await db.schema
    .alterTable("apps")
    .addColumn("unsigned_events", "text", (c) => c.notNull().defaultTo("flag"))
    .execute();
}
