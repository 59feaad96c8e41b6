import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { findLive } from "./find-live.js";
import type { FeedbackCaller, Idea } from "./idea-service.js";
import { cleanTags, type Tag } from "./tags.js";

type Db = Kysely<MetadataSchema>;

/** What Pendo's classic `…/tags` routes tag: features (Cairn's ideas), end users and accounts. */
export type TagTarget = "feature" | "user" | "account";

const tables = {
  feature: "feedback_ideas",
  user: "feedback_end_users",
  account: "feedback_accounts",
} as const satisfies Record<TagTarget, string>;

function parse(json: string): Tag[] {
  return JSON.parse(json) as Tag[];
}

/** The tags as last given (404 unknown or another subscription's, 410 deleted). */
export async function getTags(db: Db, caller: FeedbackCaller, target: TagTarget, id: string): Promise<Tag[]> {
  if (target === "feature") {
    const idea = await findLive(db, "feedback_ideas", caller.subscriptionId, id);
    return parse(idea.tags_given ?? idea.tags);
  }
  const row = await findLive(db, tables[target], caller.subscriptionId, id);
  return parse(row.tags);
}

/**
 * Replaces every tag (an empty list removes them all) and answers them as stored. An idea keeps them twice:
 * as given, for these routes, and written out as strings in `tags`, which the Feedback API answers and the
 * `tags=` filter matches; when every tag is a plain string the two are the same and only `tags` is kept.
 */
export async function setTags(
  db: Db,
  caller: FeedbackCaller,
  target: TagTarget,
  id: string,
  tags: readonly Tag[],
  now: Date = new Date(),
): Promise<Tag[]> {
  const { given, flat } = cleanTags(tags);
  const json = JSON.stringify(given);
  await db.transaction().execute(async (trx) => {
    await findLive(trx, tables[target], caller.subscriptionId, id);
    if (target === "feature") {
      await trx
        .updateTable("feedback_ideas")
        .set({
          tags: JSON.stringify(flat),
          tags_given: given.every((tag) => typeof tag === "string") ? null : json,
          updated_at: now.toISOString(),
          updated_by_key: caller.keyId,
        })
        .where("id", "=", id)
        .execute();
    } else {
      await trx.updateTable(tables[target]).set({ tags: json }).where("id", "=", id).execute();
    }
  });
  return given;
}

/**
 * The tags of those ideas whose tags were given with categories, as given; the others' tags are their
 * `idea.tags`.
 */
export async function featureTags(db: Db, ideas: readonly Idea[]): Promise<Map<string, readonly Tag[]>> {
  const found = new Map<string, readonly Tag[]>();
  if (ideas.length === 0) return found;
  const rows = await db
    .selectFrom("feedback_ideas")
    .select(["id", "tags_given"])
    .where(
      "id",
      "in",
      ideas.map((idea) => idea.id),
    )
    .where("tags_given", "is not", null)
    .execute();
  for (const row of rows) if (row.tags_given !== null) found.set(row.id, parse(row.tags_given));
  return found;
}
