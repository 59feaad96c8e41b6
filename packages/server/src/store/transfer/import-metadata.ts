import { type Kysely, sql } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { MetadataStore } from "../metadata/metadata-store.js";
import { markDone, untyped } from "./import-progress.js";
import type { ExportManifest } from "./manifest.js";
import { type ExportedTable, exportedTables, selfReferences } from "./metadata-tables.js";
import { rowsOf } from "./rows-files.js";

type Row = Record<string, string | number | null>;

/** Bound parameters per statement, under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const parametersPerStatement = 30_000;

async function insertRows(trx: Kysely<unknown>, table: string, rows: readonly Row[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const perStatement = Math.max(1, Math.floor(parametersPerStatement / columns.length));
  for (let at = 0; at < rows.length; at += perStatement) {
    const values = rows
      .slice(at, at + perStatement)
      .map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${sql.join(values)}`.execute(
      trx,
    );
  }
}

/** Metadata tables of an export that hold rows, with those rows. */
async function tablesOf(dir: string, manifest: ExportManifest): Promise<Map<ExportedTable, Row[]>> {
  const tables = new Map<ExportedTable, Row[]>();
  for (const file of manifest.files) {
    if (file.kind !== "metadata") continue;
    const table = exportedTables.find((t) => t === file.table);
    if (!table)
      throw new CairnError("bad_request", {
        message: `the export holds a metadata table this Cairn does not know (${file.table}): import it with the Cairn that exported it, or newer`,
      });
    tables.set(table, [...(tables.get(table) ?? []), ...(await rowsOf<Row>(dir, file))]);
  }
  return tables;
}

/**
 * Every metadata row, ids kept, in one transaction with the progress row that says it is done: a kill leaves
 * all of it or none.
 */
export async function importMetadata(
  store: MetadataStore,
  dir: string,
  manifest: ExportManifest,
  report: (line: string) => void,
): Promise<void> {
  const tables = await tablesOf(dir, manifest);
  await untyped(store)
    .transaction()
    .execute(async (trx) => {
      for (const table of exportedTables) {
        const rows = tables.get(table) ?? [];
        const later = selfReferences[table] ?? [];
        await insertRows(
          trx,
          table,
          rows.map((row) => ({ ...row, ...Object.fromEntries(later.map((c) => [c, null])) })),
        );
        for (const column of later)
          for (const row of rows)
            if (row[column] !== null && row[column] !== undefined)
              await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${row[column]} WHERE id = ${row.id}`.execute(
                trx,
              );
        if (rows.length > 0) report(`importing metadata: ${table} (${rows.length} rows)`);
      }
      await markDone(trx, manifest.exportId, "metadata");
    });
}

/** Exported metadata tables of the target that hold rows: an import goes only into an empty target. */
export async function metadataTablesWithRows(store: MetadataStore): Promise<string[]> {
  const found: string[] = [];
  for (const table of exportedTables) {
    const { rows } = await sql`SELECT 1 AS one FROM ${sql.table(table)} LIMIT 1`.execute(untyped(store));
    if (rows.length > 0) found.push(table);
  }
  return found;
}
