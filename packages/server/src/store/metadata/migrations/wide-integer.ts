import { type Kysely, PostgresAdapter } from "kysely";

/**
 * The column type for integers that may pass 2^31 (epoch milliseconds, event counts). SQLite's `integer` holds
 * 64 bits; PostgreSQL's holds 32, so there it is `bigint` (read back as a number: open-postgres-store.ts). A
 * migration already applied on SQLite keeps what it made there: only the PostgreSQL branch is new.
 */
export function wideInteger(db: Kysely<unknown>): "integer" | "bigint" {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "bigint" : "integer";
}
