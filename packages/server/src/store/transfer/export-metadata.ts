import { type Kysely, sql } from "kysely";
import type { MetadataStore } from "../metadata/metadata-store.js";
import type { ManifestFile } from "./manifest.js";
import { exportedTables } from "./metadata-tables.js";
import { RowsFileSeries } from "./rows-files.js";

/**
 * Every exported metadata table, one file each (`metadata/<table>-000001.ndjson.gz`), read in one transaction
 * so the tables agree with each other (REPEATABLE READ on PostgreSQL; on SQLite the transaction holds the
 * write lock, which metadata writers queue behind for the few seconds it takes).
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
      for (const row of rows) await series.add(JSON.stringify(row));
      for (const file of await series.finish()) files.push({ ...file, kind: "metadata", table });
      report(`exporting metadata: ${table} (${rows.length} rows)`);
    }
  };
  let transaction = (store.db as unknown as Kysely<unknown>).transaction();
  if (store.engine === "postgres") transaction = transaction.setIsolationLevel("repeatable read");
  await transaction.execute(copy);
  return files;
}
