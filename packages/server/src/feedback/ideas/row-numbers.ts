import { type RawBuilder, sql } from "kysely";
import type { OwnedTable } from "./find-live.js";

/**
 * The number a new row of the table takes (Pendo's numeric id on the classic paths): the highest so far plus
 * one, worked out inside the insert that uses it, so it holds the write lock that orders inserts (SQLite
 * writes one transaction at a time; the unique index refuses a duplicate on an engine that does not).
 */
export function nextNumber(table: OwnedTable): RawBuilder<number> {
  return sql<number>`(select coalesce(max(number), 0) + 1 from ${sql.table(table)})`;
}
