import { type Kysely, sql } from "kysely";

// The collector drops the events of visitors marked "do not process" (access/privacy/): every server keeps the
// marked visitors in memory and reads them again when this revision moves. Portable to PostgreSQL as written.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`INSERT INTO cache_revisions (name, revision) VALUES ('do_not_process', 0)`.execute(db);
}
