import { type Kysely, sql } from "kysely";

// Pendo's classic Feedback paths name features, users and accounts by number (Pendo's Swagger types their ids
// as integers), where Cairn has text ids. Each row gets a number of its own, for good: a deleted row keeps it,
// so a number never names another row. Numbers count per table, in the order rows were created; a new row
// takes the next one (the highest plus one, in its insert: nextNumber in feedback/ideas/row-numbers.ts). The
// column stays nullable (SQLite adds a NOT NULL column only with a default); every insert sets it. Portable to
// PostgreSQL as written: UPDATE … FROM and row_number() are on both engines (SQLite since 3.33).
const tables = ["feedback_accounts", "feedback_end_users", "feedback_ideas"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of tables) {
    await db.schema.alterTable(table).addColumn("number", "integer").execute();
    await sql`
      update ${sql.table(table)} set number = ranked.n
      from (select id, row_number() over (order by created_at, id) as n from ${sql.table(table)}) as ranked
      where ${sql.ref(`${table}.id`)} = ranked.id
    `.execute(db);
    await db.schema.createIndex(`${table}_by_number`).on(table).column("number").unique().execute();
  }
}
