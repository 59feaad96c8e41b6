import type { Kysely, Selectable, Transaction } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

/** The Feedback tables whose rows belong to a subscription and are deleted softly. */
export type OwnedTable = "feedback_ideas" | "feedback_end_users" | "feedback_accounts";

/** What a message calls a row of each table. */
const nouns: Record<OwnedTable, string> = {
  feedback_ideas: "idea",
  feedback_end_users: "end user",
  feedback_accounts: "account",
};

export function notFoundIn(table: OwnedTable, id: string): CairnError {
  return new CairnError("not_found", { message: `No ${nouns[table]} ${id} in this subscription.` });
}

export function goneFrom(table: OwnedTable, id: string, deletedAt: string): CairnError {
  return new CairnError("gone", { message: `The ${nouns[table]} ${id} was deleted on ${deletedAt}.` });
}

/**
 * The row, if it belongs to the subscription and was not deleted. Another subscription's row answers exactly
 * like one that never existed (404); a deleted one answers 410 `gone`, as Pendo Feedback does.
 */
export async function findLive<T extends OwnedTable>(
  db: Db | Trx,
  table: T,
  subscriptionId: string,
  id: string,
): Promise<Selectable<MetadataSchema[T]>> {
  const row = await db
    .selectFrom(table as OwnedTable)
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row) throw notFoundIn(table, id);
  if (row.deleted_at !== null) throw goneFrom(table, id, row.deleted_at);
  // Kysely types a select from a union of tables as the union of their rows; `table` names exactly one.
  return row as Selectable<MetadataSchema[T]>;
}
