import type { Kysely } from "kysely";

// How a session was opened ('link' or 'password'): a password may be changed without the current one only
// right after a one-time link sign-in. Sessions from before are treated as password sign-ins.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("sessions")
    .addColumn("method", "text", (column) => column.notNull().defaultTo("password"))
    .execute();
}
