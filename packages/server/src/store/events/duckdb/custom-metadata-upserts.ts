import type { DuckDBConnection } from "@duckdb/node-api";
import type { CustomMetadataPatch, ProfileKind } from "../stored-event.js";
import { type StagedTable, stage } from "./profile-upserts.js";

export const customMetadataStaging: StagedTable = {
  table: "custom_metadata_staging",
  columns: [
    ["subscription_id", "VARCHAR"],
    ["kind", "VARCHAR"],
    ["id", "VARCHAR"],
    ["patch", "VARCHAR"],
  ],
};

const tables: Readonly<Record<ProfileKind, { table: string; id: string }>> = {
  visitor: { table: "visitors", id: "visitor_id" },
  account: { table: "accounts", id: "account_id" },
};

/**
 * The patch is merged over the stored group as RFC 7396 says (a null removes a field); a visitor or account
 * not there yet is created without visits, its group being the patch without its nulls. Updating and then
 * inserting the rest (rather than one upsert) keeps those two meanings of a null apart.
 */
function statementsFor(kind: ProfileKind): string[] {
  const { table, id } = tables[kind];
  return [
    `UPDATE ${table} SET custom_metadata = json_merge_patch(${table}.custom_metadata, s.patch)::VARCHAR, updated_at = now()
     FROM custom_metadata_staging s
     WHERE s.kind = '${kind}' AND ${table}.subscription_id = s.subscription_id AND ${table}.${id} = s.id`,
    `INSERT INTO ${table} (subscription_id, ${id}, agent_metadata, custom_metadata, updated_at)
     SELECT s.subscription_id, s.id, '{}', json_merge_patch('{}', s.patch)::VARCHAR, now()
     FROM custom_metadata_staging s
     WHERE s.kind = '${kind}'
       AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.subscription_id = s.subscription_id AND t.${id} = s.id)`,
  ];
}

/**
 * Stages the patches (outside the transaction; each target at most once), returning the statements that
 * apply them inside it, after the event upserts of the same load.
 */
export async function stageCustomMetadata(
  connection: DuckDBConnection,
  patches: readonly CustomMetadataPatch[],
): Promise<string[]> {
  if (patches.length === 0) return [];
  await stage(
    connection,
    customMetadataStaging,
    patches.map((p) => [p.subscriptionId, p.kind, p.id, JSON.stringify(p.values)]),
  );
  const kinds = new Set(patches.map((p) => p.kind));
  return (["visitor", "account"] as const).filter((kind) => kinds.has(kind)).flatMap(statementsFor);
}

/** Which of these visitor (or account) ids the subscription has. */
export async function readKnownIds(
  connection: DuckDBConnection,
  subscriptionId: string,
  kind: ProfileKind,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { table, id } = tables[kind];
  const result = await connection.runAndReadAll(
    `SELECT ${id} AS id FROM ${table}
     WHERE subscription_id = $s AND ${id} IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`,
    { s: subscriptionId, ids: JSON.stringify(ids) },
  );
  return new Set(result.getRowObjectsJS().map((row) => String(row.id)));
}
