import { type Kysely, PostgresAdapter, sql } from "kysely";

// On PostgreSQL every bump of a `cache_revisions` counter also notifies the other servers, from this one place
// rather than at each bump site: NOTIFY inside the bumping transaction is delivered only when it commits, so a
// server never reloads before the change is visible (postgres/notifications.ts listens). SQLite has
// no other servers to tell; there this migration does nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create function cairn_notify_cache_revision() returns trigger language plpgsql as $$
    begin
      perform pg_notify('cairn_cache_revisions', new.name);
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger cache_revisions_notify after update on cache_revisions
    for each row execute function cairn_notify_cache_revision()`.execute(db);
}
