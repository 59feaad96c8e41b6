import type { Transaction } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";

/** The `cache_revisions` counter that moves with every change to a guide (its steps, polls, state, targeting). */
export const guidesRevisionName = "guides";

/** Bump it in the change's own transaction, so a cache that sees the new number also sees the change. */
export async function bumpGuidesRevision(trx: Transaction<MetadataSchema>): Promise<void> {
  await trx
    .updateTable("cache_revisions")
    .set((eb) => ({ revision: eb("revision", "+", 1) }))
    .where("name", "=", guidesRevisionName)
    .execute();
}
