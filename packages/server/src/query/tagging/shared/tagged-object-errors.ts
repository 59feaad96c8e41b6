import type { Transaction } from "kysely";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import type { MetadataSchema } from "../../../store/metadata/metadata-schema.js";

/** Pages and features: named per app, found per subscription. */
type TaggedTable = "pages" | "features";

const kindOf: Record<TaggedTable, string> = { pages: "page", features: "feature" };

export function taggedNotFound(table: TaggedTable, id: string): CairnError {
  return new CairnError("not_found", {
    message: `No ${kindOf[table]} ${JSON.stringify(id.slice(0, 100))} in this subscription.`,
  });
}

export function taggedNameTaken(table: TaggedTable, name: string, id: string): CairnError {
  return new CairnError("conflict", {
    message: `This app already has a ${kindOf[table]} named ${JSON.stringify(name)} (${id}).`,
  });
}

/** Refuses a name another page (or feature) of the same app already has. */
export async function checkNameFree(
  trx: Transaction<MetadataSchema>,
  table: TaggedTable,
  row: { subscription_id: string; app_id: string; name: string; id: string },
): Promise<void> {
  const other = await trx
    .selectFrom(table)
    .select("id")
    .where("subscription_id", "=", row.subscription_id)
    .where("app_id", "=", row.app_id)
    .where("name", "=", row.name)
    .where("id", "<>", row.id)
    .executeTakeFirst();
  if (other) throw taggedNameTaken(table, row.name, other.id);
}
