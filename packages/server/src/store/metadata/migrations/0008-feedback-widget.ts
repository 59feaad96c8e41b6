import type { Kysely } from "kysely";

/** Whether the app's agent offers the in-app "Give feedback" panel; off until an admin turns it on. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("apps")
    .addColumn("feedback_widget", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
