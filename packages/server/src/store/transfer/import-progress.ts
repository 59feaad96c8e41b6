import { type Kysely, sql } from "kysely";
import type { MetadataStore } from "../metadata/metadata-store.js";

/**
 * What an import has done, in the target's metadata database (`cairn_import_progress`: one row per step done,
 * made by the first import; not a migration, since only imported stores have it). Written in the same
 * transaction as the metadata, so a target holding imported metadata always says which export it came from.
 */
export const progressTable = "cairn_import_progress";

export const untyped = (store: MetadataStore) => store.db as unknown as Kysely<unknown>;

export async function ensureProgressTable(store: MetadataStore): Promise<void> {
  await untyped(store)
    .schema.createTable(progressTable)
    .ifNotExists()
    .addColumn("export_id", "text", (c) => c.notNull())
    .addColumn("step", "text", (c) => c.notNull())
    .addColumn("done_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("cairn_import_progress_key", ["export_id", "step"])
    .execute();
}

/** Steps done so far, by export id. */
export async function stepsDone(store: MetadataStore): Promise<Map<string, Set<string>>> {
  const { rows } = await sql<{ export_id: string; step: string }>`
    SELECT export_id, step FROM ${sql.table(progressTable)}`.execute(untyped(store));
  const done = new Map<string, Set<string>>();
  for (const row of rows) {
    const steps = done.get(row.export_id) ?? new Set<string>();
    steps.add(row.step);
    done.set(row.export_id, steps);
  }
  return done;
}

export async function markDone(db: Kysely<unknown>, exportId: string, step: string): Promise<void> {
  await sql`INSERT INTO ${sql.table(progressTable)} (export_id, step, done_at)
    VALUES (${exportId}, ${step}, ${new Date().toISOString()})`.execute(db);
}
