import type { Kysely, Selectable } from "kysely";
import type { Actor } from "../access/audit/actor.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { newId } from "../platform/ids/new-id.js";
import type { GuidesTable, MetadataSchema } from "../store/metadata/metadata-schema.js";
import { fieldError } from "./content-document.js";
import { guideLimits } from "./guide-limits.js";
import { audit, findGuide } from "./guide-service.js";

type Db = Kysely<MetadataSchema>;
type GuideRow = Selectable<GuidesTable>;

/** What a reset answers: which guide (null: all), which visitor, from when. */
export interface GuideReset {
  readonly guideId: string | null;
  readonly visitorId: string;
  readonly resetAt: number;
}

/**
 * Records that a visitor's guide events before now no longer count, for one guide (which must be the
 * subscription's) or for every guide (`guideId` null); guide delivery reads `guide_resets`.
 */
export async function resetGuideForVisitor(
  db: Db,
  subscriptionId: string,
  guideId: string | null,
  visitorId: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<GuideReset> {
  const visitor = visitorId.trim();
  if (visitor === "" || visitor.length > guideLimits.visitorIdLength)
    throw fieldError("visitorId", `is empty or longer than ${guideLimits.visitorIdLength} characters.`);
  return db.transaction().execute(async (trx) => {
    if (guideId !== null) await findGuide(trx, subscriptionId, guideId);
    await trx
      .insertInto("guide_resets")
      .values({
        id: newId("grs"),
        subscription_id: subscriptionId,
        guide_id: guideId,
        visitor_id: visitor,
        reset_at: now.toISOString(),
        reset_by: actor.id,
      })
      .execute();
    await audit(trx, subscriptionId, actor, "guide.reset", guideId ?? "all", { visitorId: visitor }, now);
    return { guideId, visitorId: visitor, resetAt: now.getTime() };
  });
}

/**
 * The latest reset that applies to each guide for a visitor (a guide's own or an all-guides one): guide
 * delivery ignores the visitor's events of that guide from before it. Key `*` holds the all-guides reset.
 */
export async function guideResetsOf(
  db: Db,
  subscriptionId: string,
  visitorId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("guide_resets")
    .select(["guide_id", "reset_at"])
    .where("subscription_id", "=", subscriptionId)
    .where("visitor_id", "=", visitorId)
    .execute();
  const latest = new Map<string, number>();
  for (const row of rows) {
    const key = row.guide_id ?? "*";
    const at = Date.parse(row.reset_at);
    if ((latest.get(key) ?? 0) < at) latest.set(key, at);
  }
  return latest;
}

/** What a reset of staged guides answers: the guides, how many visitor resets were recorded, and when. */
export interface StagedReset {
  readonly guideIds: string[];
  readonly resets: number;
  readonly resetAt: number;
}

/**
 * Pendo's staged-guide resets: each staged visitor of the guide (which must be staged), or of every staged
 * guide (`guideId` null), sees it again as if never seen, so a guide can be tried again before publishing.
 */
export async function resetStagedGuides(
  db: Db,
  subscriptionId: string,
  guideId: string | null,
  actor: Actor,
  now: Date = new Date(),
): Promise<StagedReset> {
  return db.transaction().execute(async (trx) => {
    let guides: Pick<GuideRow, "id" | "staged_visitor_ids">[];
    if (guideId !== null) {
      const row = await findGuide(trx, subscriptionId, guideId);
      if (row.state !== "staged")
        throw new CairnError("conflict", {
          message: `Guide ${guideId} is ${row.state}; only a staged guide is reset this way (a visitor's: POST /api/v1/guide/${guideId}/visitor/{visitorId}/reset).`,
        });
      guides = [row];
    } else {
      guides = await trx
        .selectFrom("guides")
        .select(["id", "staged_visitor_ids"])
        .where("subscription_id", "=", subscriptionId)
        .where("state", "=", "staged")
        .orderBy("created_at")
        .orderBy("id")
        .execute();
    }
    const rows = guides.flatMap((g) =>
      (JSON.parse(g.staged_visitor_ids) as string[]).map((visitorId) => ({
        id: newId("grs"),
        subscription_id: subscriptionId,
        guide_id: g.id,
        visitor_id: visitorId,
        reset_at: now.toISOString(),
        reset_by: actor.id,
      })),
    );
    if (rows.length > 0) await trx.insertInto("guide_resets").values(rows).execute();
    await audit(
      trx,
      subscriptionId,
      actor,
      "guide.reset",
      guideId ?? "staged",
      { staged: true, resets: rows.length },
      now,
    );
    return { guideIds: guides.map((g) => g.id), resets: rows.length, resetAt: now.getTime() };
  });
}
