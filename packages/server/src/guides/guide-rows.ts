import type { Kysely, Selectable, Transaction } from "kysely";
import { compilePageRule, parsedRuleOf } from "../query/tagging/pages/page-rule.js";
import { storedRules } from "../query/tagging/pages/page-shape.js";
import { pendoUsersOf } from "../query/tagging/shared/pendo-user.js";
import type { GuidesTable, MetadataSchema } from "../store/metadata/metadata-schema.js";
import { type GuideRows, guideShape, type PendoGuide } from "./guide-shape.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;
type GuideRow = Selectable<GuidesTable>;

/** Guides' steps and polls, in rank order, beside each guide's row. */
export async function rowsOf(db: Db | Trx, guides: readonly GuideRow[]): Promise<GuideRows[]> {
  if (guides.length === 0) return [];
  const ids = guides.map((g) => g.id);
  const steps = await db
    .selectFrom("guide_steps")
    .selectAll()
    .where("guide_id", "in", ids)
    .orderBy("rank")
    .execute();
  const polls = await db
    .selectFrom("guide_polls")
    .selectAll()
    .where("guide_id", "in", ids)
    .orderBy("rank")
    .execute();
  return guides.map((guide) => ({
    guide,
    steps: steps.filter((s) => s.guide_id === guide.id),
    polls: polls.filter((p) => p.guide_id === guide.id),
  }));
}

/** The JavaScript regex a guide's page rule (or tagged page, any of its rules) gives the agent; null: every page. */
async function regexUrlRuleOf(db: Db | Trx, guide: GuideRow): Promise<string | null> {
  if (guide.url_rule !== null) {
    try {
      return parsedRuleOf(compilePageRule(guide.url_rule));
    } catch {
      // A rule a later compiler refuses matches no page rather than every page.
      return "(?!)";
    }
  }
  if (guide.page_id === null) return null;
  const page = await db
    .selectFrom("pages")
    .select("rules")
    .where("id", "=", guide.page_id)
    .executeTakeFirst();
  // A deleted page shows the guide nowhere rather than everywhere.
  if (!page) return "(?!)";
  const rules = storedRules(page.rules).map((r) => parsedRuleOf(r.regexes));
  return rules.length === 1 ? (rules[0] ?? null) : rules.map((r) => `(?:${r})`).join("|");
}

/** Guides' rows in Pendo's object shape, with each step's page regex. */
export async function shaped(db: Db | Trx, guides: readonly GuideRow[]): Promise<PendoGuide[]> {
  const userOf = await pendoUsersOf(
    db as Db,
    guides.flatMap((g) => [g.created_by, g.updated_by]),
  );
  const all = await rowsOf(db, guides);
  return Promise.all(all.map(async (rows) => guideShape(rows, userOf, await regexUrlRuleOf(db, rows.guide))));
}
