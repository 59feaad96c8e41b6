import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { GuideDefinition } from "./compile/definitions.js";

/**
 * The subscription's guides for the `guides` source, read from the guide tables as they are (guides/ owns
 * them; the query layer only reads them, so nothing here imports it). Oldest first; steps and polls in order.
 */
export async function loadGuideDefinitions(
  db: Kysely<MetadataSchema>,
  subscriptionId: string,
): Promise<GuideDefinition[]> {
  const guides = await db
    .selectFrom("guides")
    .select(["id", "app_id", "name", "state"])
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  if (guides.length === 0) return [];
  const ids = guides.map((g) => g.id);
  const steps = await db
    .selectFrom("guide_steps")
    .select(["id", "guide_id", "type", "rank"])
    .where("guide_id", "in", ids)
    .orderBy("rank")
    .execute();
  const polls = await db
    .selectFrom("guide_polls")
    .select(["id", "guide_id", "type"])
    .where("guide_id", "in", ids)
    .orderBy("rank")
    .execute();
  return guides.map((g) => ({
    id: g.id,
    appId: g.app_id,
    name: g.name,
    state: g.state,
    steps: steps.filter((s) => s.guide_id === g.id).map((s) => ({ id: s.id, type: s.type, rank: s.rank })),
    polls: polls.filter((p) => p.guide_id === g.id).map((p) => ({ id: p.id, type: p.type })),
  }));
}
