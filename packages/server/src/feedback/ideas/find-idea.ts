import type { Kysely, Selectable, Transaction } from "kysely";
import type { CairnError } from "../../platform/errors/cairn-error.js";
import type { FeedbackIdeasTable, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { findLive, notFoundIn } from "./find-live.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

export function ideaNotFound(id: string): CairnError {
  return notFoundIn("feedback_ideas", id);
}

/** The idea, if it belongs to the subscription and was not deleted (404 and 410 otherwise). */
export async function findLiveIdea(
  db: Db | Trx,
  subscriptionId: string,
  id: string,
): Promise<Selectable<FeedbackIdeasTable>> {
  return findLive(db, "feedback_ideas", subscriptionId, id);
}
