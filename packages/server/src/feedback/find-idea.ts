import type { Kysely, Selectable, Transaction } from "kysely";
import { CairnError } from "../errors/cairn-error.js";
import type { FeedbackIdeasTable, MetadataSchema } from "../store/metadata/metadata-schema.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

export function ideaNotFound(id: string): CairnError {
  return new CairnError("not_found", { message: `No idea ${id} in this subscription.` });
}

/**
 * The idea, if it belongs to the subscription and was not deleted. Another subscription's idea answers
 * exactly like one that never existed (404); a deleted one answers 410 `gone`, as Pendo Feedback does.
 */
export async function findLiveIdea(
  db: Db | Trx,
  subscriptionId: string,
  id: string,
): Promise<Selectable<FeedbackIdeasTable>> {
  const row = await db
    .selectFrom("feedback_ideas")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row) throw ideaNotFound(id);
  if (row.deleted_at !== null) {
    throw new CairnError("gone", { message: `The idea ${id} was deleted on ${row.deleted_at}.` });
  }
  return row;
}
