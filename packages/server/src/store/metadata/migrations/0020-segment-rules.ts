import type { Kysely } from "kysely";

// Segments built from a rule (segments/segment-rule.ts): the checked conditions as JSON text, null for a segment
// that is a plain list of visitor ids. Its members stay in `segment_visitors`, a snapshot refreshed on demand.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("segments").addColumn("rule", "text").execute();
}
