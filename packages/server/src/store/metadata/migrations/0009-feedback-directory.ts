import { type Kysely, sql } from "kysely";

// What Pendo's classic Feedback paths change on end users, accounts and ideas: tags, an account's value and
// status, and deletion. One column per statement (SQLite adds one at a time); portable to PostgreSQL as
// written: text times, JSON as text, a CHECK constraint, no partial index.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ["feedback_end_users", "feedback_accounts"]) {
    // The custom tags as POST …/tags gave them: a JSON array of strings and one-entry {"Category": value} maps.
    await db.schema
      .alterTable(table)
      .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
      .execute();
    // A deleted row stays (its id answers 410 from then on), with its other fields erased.
    await db.schema.alterTable(table).addColumn("deleted_at", "text").execute();
    await db.schema.alterTable(table).addColumn("deleted_by_key", "text").execute();
  }
  await db.schema.alterTable("feedback_accounts").addColumn("monthly_value", "double precision").execute();
  await db.schema
    .alterTable("feedback_accounts")
    .addColumn("status", "text", (c) => c.check(sql`status in ('paying', 'prospect', 'not_paying')`))
    .execute();
  // An idea's tags as the classic path gave them, categorised ones as maps; `tags` keeps every tag as a string
  // (`Category:Value`), which the Feedback API answers and the `tags=` filter matches. Null: `tags` is all.
  await db.schema.alterTable("feedback_ideas").addColumn("tags_given", "text").execute();
}
