import { type Kysely, sql } from "kysely";
import type { MetadataStore } from "../metadata/metadata-store.js";
import type { ManifestFile } from "./manifest.js";
import { exportedTables } from "./metadata-tables.js";
import { RowsFileSeries } from "./rows-files.js";

/**
 * Every exported metadata table, one file each (`metadata/<table>-000001.ndjson.gz`), read in one transaction
 * so the tables agree with each other (REPEATABLE READ on PostgreSQL, a read transaction on SQLite).
 */
export async function exportMetadata(
  store: MetadataStore,
  dir: string,
  report: (line: string) => void,
): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  const copy = async (trx: Kysely<unknown>) => {
    for (const table of exportedTables) {
      const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(trx);
      const series = new RowsFileSeries(dir, `metadata/${table}`, Number.MAX_SAFE_INTEGER);
      await series.addAll(rows.map((row) => JSON.stringify(row)));
      for (const file of await series.finish()) files.push({ ...file, kind: "metadata", table });
      report(`exporting metadata: ${table} (${rows.length} rows)`);
    }
  };
  // Begun by hand, not by `db.transaction()`, whose begin takes the store's write lock (`begin immediate` on SQLite,
  // the advisory lock on PostgreSQL): a read snapshot blocks no writer, so servers and CLI commands go on writing
  // while the tables are copied.
  const begin =
    store.engine === "postgres" ? sql`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` : sql`BEGIN`;
  await (store.db as unknown as Kysely<unknown>).connection().execute(async (connection) => {
    await begin.execute(connection);
    try {
      await copy(connection);
    } finally {
      await sql`COMMIT`.execute(connection);
    }
  });
  return files;
}
