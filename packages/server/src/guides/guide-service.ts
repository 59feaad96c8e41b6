import type { Kysely, Selectable, Transaction } from "kysely";
import type { Actor } from "../access/audit/actor.js";
import { type AuditAction, recordAudit } from "../access/audit/audit-log.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { newId } from "../platform/ids/new-id.js";
import { compilePageRule } from "../query/tagging/pages/page-rule.js";
import { appForWrite } from "../query/tagging/shared/app-of.js";
import type {
  GuidePollsTable,
  GuideStepsTable,
  GuidesTable,
  MetadataSchema,
} from "../store/metadata/metadata-schema.js";
import { fieldError } from "./content-document.js";
import { bumpGuidesRevision } from "./delivery/guides-revision.js";
import { type CheckedGuideInput, checkGuideInput } from "./guide-input.js";
import { rowsOf, shaped } from "./guide-rows.js";
import type { PendoGuide } from "./guide-shape.js";
import { type GuideState, guideStates } from "./guide-words.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;
type GuideRow = Selectable<GuidesTable>;
type StepRow = Selectable<GuideStepsTable>;
type PollRow = Selectable<GuidePollsTable>;

export function guideNotFound(id: string): CairnError {
  return new CairnError("not_found", {
    message: `No guide ${JSON.stringify(id.slice(0, 100))} in this subscription.`,
  });
}

export async function findGuide(db: Db | Trx, subscriptionId: string, id: string): Promise<GuideRow> {
  const row = await db
    .selectFrom("guides")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row) throw guideNotFound(id);
  return row;
}

/** A guide as it will be after a write: what the consistency and readiness checks read. */
interface GuideDraft {
  readonly row: GuideRow;
  readonly steps: readonly { id: string; pollIds: readonly string[]; type: string }[];
  readonly pollIds: readonly string[];
}

/** The references (app, segment, page, polls, dates) and, for a staged or public guide, that it can be shown. */
async function checkDraft(db: Db | Trx, subscriptionId: string, draft: GuideDraft): Promise<void> {
  const { row } = draft;
  if (row.segment_id !== null) {
    const segment = await db
      .selectFrom("segments")
      .select("id")
      .where("id", "=", row.segment_id)
      .where("subscription_id", "=", subscriptionId)
      .executeTakeFirst();
    if (!segment)
      throw fieldError(
        "segmentId",
        `no segment ${JSON.stringify(row.segment_id.slice(0, 100))} in this subscription.`,
      );
  }
  if (row.page_id !== null) {
    const page = await db
      .selectFrom("pages")
      .select("app_id")
      .where("id", "=", row.page_id)
      .where("subscription_id", "=", subscriptionId)
      .executeTakeFirst();
    if (!page)
      throw fieldError(
        "pageId",
        `no page ${JSON.stringify(row.page_id.slice(0, 100))} in this subscription.`,
      );
    if (page.app_id !== row.app_id)
      throw fieldError("pageId", `the page belongs to app ${page.app_id}; the guide to app ${row.app_id}.`);
  }
  if (row.url_rule !== null) {
    try {
      compilePageRule(row.url_rule);
    } catch (error) {
      throw fieldError("urlRule", error instanceof Error ? error.message : "does not compile.");
    }
  }
  if (row.starts_at !== null && row.ends_at !== null && row.ends_at <= row.starts_at)
    throw fieldError("endsAt", "is not after startsAt.");
  const polls = new Set(draft.pollIds);
  for (const [i, step] of draft.steps.entries()) {
    for (const pollId of step.pollIds)
      if (!polls.has(pollId))
        throw fieldError(
          `steps[${i}].content`,
          `shows poll ${JSON.stringify(pollId)}, which is not in the guide's polls.`,
        );
  }
  if (row.state === "staged" || row.state === "public") {
    const as = `A ${row.state} guide`;
    if (draft.steps.length === 0) throw fieldError("steps", `${as} needs at least one step.`);
    if ((row.launch_method === "dom" || row.launch_method === "badge") && row.activation_selector === null)
      throw fieldError(
        "activationSelector",
        `${as} launched by ${row.launch_method} needs the element's CSS selector.`,
      );
    if (row.state === "staged" && JSON.parse(row.staged_visitor_ids).length === 0)
      throw fieldError("stagedVisitorIds", "A staged guide needs at least one staged visitor, who sees it.");
  }
}

/** Records a guide change in its transaction: the audit log, and the revision every delivery cache polls. */
export async function audit(
  trx: Trx,
  subscriptionId: string,
  actor: Actor,
  action: AuditAction,
  target: string,
  detail: Record<string, unknown>,
  now: Date,
): Promise<void> {
  // Every server's guide delivery cache drops its copy when this moves (guides/delivery/live-guides.ts).
  await bumpGuidesRevision(trx);
  await recordAudit(trx, {
    subscriptionId,
    actor: actor.id,
    action,
    target,
    ip: actor.ip ?? null,
    detail,
    at: now,
  });
}

function stepRows(guideId: string, input: NonNullable<CheckedGuideInput["steps"]>): StepRow[] {
  return input.map((s, rank) => ({
    id: s.id ?? newId("gst"),
    guide_id: guideId,
    rank,
    type: s.type,
    anchor_selector: s.anchorSelector,
    close_button: s.closeButton ? 1 : 0,
    content: JSON.stringify(s.content),
    poll_ids: JSON.stringify(s.pollIds),
  }));
}

function pollRows(guideId: string, input: NonNullable<CheckedGuideInput["polls"]>): PollRow[] {
  return input.map((p, rank) => ({
    guide_id: guideId,
    id: p.id,
    rank,
    type: p.type,
    question: p.question,
    choices: JSON.stringify(p.choices),
  }));
}

async function replaceChildren(
  trx: Trx,
  guideId: string,
  steps?: StepRow[],
  polls?: PollRow[],
): Promise<void> {
  if (steps !== undefined) {
    await trx.deleteFrom("guide_steps").where("guide_id", "=", guideId).execute();
    if (steps.length > 0) await trx.insertInto("guide_steps").values(steps).execute();
  }
  if (polls !== undefined) {
    await trx.deleteFrom("guide_polls").where("guide_id", "=", guideId).execute();
    if (polls.length > 0) await trx.insertInto("guide_polls").values(polls).execute();
  }
}

/** Creates a guide, always a draft, from a body checked field by field (a 400 names the first wrong field). */
export async function createGuide(
  db: Db,
  subscriptionId: string,
  body: unknown,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoGuide> {
  const input = checkGuideInput(body, "create");
  const id = newId("gde");
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const row: GuideRow = {
      id,
      subscription_id: subscriptionId,
      app_id: await appForWrite(trx, subscriptionId, input.appId),
      name: input.name ?? "",
      state: "draft",
      launch_method: input.launchMethod ?? "auto",
      priority: input.priority ?? 0,
      starts_at: input.startsAt ?? null,
      ends_at: input.endsAt ?? null,
      segment_id: input.segmentId ?? null,
      page_id: input.pageId ?? null,
      url_rule: input.urlRule ?? null,
      activation_selector: input.activationSelector ?? null,
      staged_visitor_ids: JSON.stringify(input.stagedVisitorIds ?? []),
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
      published_at: null,
      last_updated_at: now.getTime(),
    };
    for (const [i, step] of (input.steps ?? []).entries())
      if (step.id !== undefined)
        throw fieldError(`steps[${i}].id`, "a new guide's steps have no ids yet; leave it out.");
    const steps = stepRows(id, input.steps ?? []);
    const polls = pollRows(id, input.polls ?? []);
    await checkDraft(trx, subscriptionId, {
      row,
      steps: steps.map((s, i) => ({ id: s.id, type: s.type, pollIds: input.steps?.[i]?.pollIds ?? [] })),
      pollIds: polls.map((p) => p.id),
    });
    await trx.insertInto("guides").values(row).execute();
    await replaceChildren(trx, id, steps, polls);
    await audit(
      trx,
      subscriptionId,
      actor,
      "guide.created",
      id,
      { name: row.name, steps: steps.length },
      now,
    );
    return (await shaped(trx, [row]))[0] as PendoGuide;
  });
}

/** One change to a guide: `change` gives its new row and children, checked whole before they are written. */
async function changeGuide(
  db: Db,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date,
  change: (
    row: GuideRow,
    trx: Trx,
  ) => Promise<{
    row: GuideRow;
    steps?: StepRow[];
    polls?: PollRow[];
    action: AuditAction;
    detail: Record<string, unknown>;
  }>,
): Promise<PendoGuide> {
  return db.transaction().execute(async (trx) => {
    const before = await findGuide(trx, subscriptionId, id);
    const { row, steps, polls, action, detail } = await change(before, trx);
    const [current] = await rowsOf(trx, [before]);
    const finalSteps = steps ?? [...(current?.steps ?? [])];
    const finalPolls = polls ?? [...(current?.polls ?? [])];
    const updated: GuideRow = { ...row, updated_at: now.toISOString(), updated_by: actor.id };
    await checkDraft(trx, subscriptionId, {
      row: updated,
      steps: finalSteps.map((s) => ({ id: s.id, type: s.type, pollIds: JSON.parse(s.poll_ids) as string[] })),
      pollIds: finalPolls.map((p) => p.id),
    });
    const { id: _id, subscription_id: _sub, ...values } = updated;
    await trx.updateTable("guides").set(values).where("id", "=", id).execute();
    await replaceChildren(trx, id, steps, polls);
    await audit(trx, subscriptionId, actor, action, id, detail, now);
    return (await shaped(trx, [updated]))[0] as PendoGuide;
  });
}

/** Changes the fields given; steps and polls, when given, replace the guide's (a step keeps its id when given it). */
export async function updateGuide(
  db: Db,
  subscriptionId: string,
  id: string,
  body: unknown,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoGuide> {
  const input = checkGuideInput(body, "update");
  return changeGuide(db, subscriptionId, id, actor, now, async (row, trx) => {
    if (input.steps !== undefined) {
      const known = new Set(
        (await trx.selectFrom("guide_steps").select("id").where("guide_id", "=", id).execute()).map(
          (s) => s.id,
        ),
      );
      for (const [i, step] of input.steps.entries())
        if (step.id !== undefined && !known.has(step.id))
          throw fieldError(
            `steps[${i}].id`,
            `${JSON.stringify(step.id.slice(0, 100))} is not a step of this guide.`,
          );
      const ids = input.steps.flatMap((s) => (s.id === undefined ? [] : [s.id]));
      if (new Set(ids).size !== ids.length) throw fieldError("steps", "name a step id twice.");
    }
    const pick = <T>(value: T | undefined, stored: T) => (value === undefined ? stored : value);
    const next: GuideRow = {
      ...row,
      app_id: input.appId === undefined ? row.app_id : await appForWrite(trx, subscriptionId, input.appId),
      name: pick(input.name, row.name),
      launch_method: pick(input.launchMethod, row.launch_method),
      priority: pick(input.priority, row.priority),
      starts_at: pick(input.startsAt, row.starts_at),
      ends_at: pick(input.endsAt, row.ends_at),
      segment_id: pick(input.segmentId, row.segment_id),
      page_id: pick(input.pageId, row.page_id),
      url_rule: pick(input.urlRule, row.url_rule),
      activation_selector: pick(input.activationSelector, row.activation_selector),
      staged_visitor_ids:
        input.stagedVisitorIds === undefined
          ? row.staged_visitor_ids
          : JSON.stringify(input.stagedVisitorIds),
      last_updated_at: Math.max(now.getTime(), row.last_updated_at + 1),
    };
    // One page condition: a new pageId replaces a stored urlRule, and the other way round.
    if (input.pageId && input.urlRule === undefined) next.url_rule = null;
    if (input.urlRule && input.pageId === undefined) next.page_id = null;
    return {
      row: next,
      ...(input.steps === undefined ? {} : { steps: stepRows(id, input.steps) }),
      ...(input.polls === undefined ? {} : { polls: pollRows(id, input.polls) }),
      action: "guide.updated",
      detail: { fields: Object.keys(input) },
    };
  });
}

/**
 * Moves a guide to another state: `public` needs a step and valid targeting, `staged` also staged visitors
 * (checkDraft). Becoming public sets `publishedAt`.
 */
export async function setGuideState(
  db: Db,
  subscriptionId: string,
  id: string,
  state: unknown,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoGuide> {
  if (typeof state !== "string" || !(guideStates as readonly string[]).includes(state))
    throw fieldError("state", `is ${JSON.stringify(state)}; it is one of ${guideStates.join(", ")}.`);
  const to = state as GuideState;
  return changeGuide(db, subscriptionId, id, actor, now, async (row) => ({
    row: {
      ...row,
      state: to,
      published_at: to === "public" && row.state !== "public" ? now.toISOString() : row.published_at,
    },
    action: "guide.state_changed",
    detail: { from: row.state, to },
  }));
}

/** Pendo's `PUT /guide/:id/segment`: the segment the guide is shown to (null: everyone). */
export async function setGuideSegment(
  db: Db,
  subscriptionId: string,
  id: string,
  segmentId: string | null,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoGuide> {
  return changeGuide(db, subscriptionId, id, actor, now, async (row) => ({
    row: { ...row, segment_id: segmentId === "" ? null : segmentId },
    action: "guide.updated",
    detail: { fields: ["segmentId"], segmentId },
  }));
}

export async function deleteGuide(
  db: Db,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoGuide> {
  return db.transaction().execute(async (trx) => {
    const row = await findGuide(trx, subscriptionId, id);
    const shape = (await shaped(trx, [row]))[0] as PendoGuide;
    await trx.deleteFrom("guide_steps").where("guide_id", "=", id).execute();
    await trx.deleteFrom("guide_polls").where("guide_id", "=", id).execute();
    await trx.deleteFrom("guides").where("id", "=", id).execute();
    await audit(trx, subscriptionId, actor, "guide.deleted", id, { name: row.name, state: row.state }, now);
    return shape;
  });
}

export async function getGuide(db: Db, subscriptionId: string, id: string): Promise<PendoGuide> {
  return (await shaped(db, [await findGuide(db, subscriptionId, id)]))[0] as PendoGuide;
}

/** The subscription's guides, oldest first: of one state, of some ids, of some apps when asked (null: all). */
export async function listGuides(
  db: Db,
  subscriptionId: string,
  filter: {
    readonly state?: GuideState;
    readonly ids?: readonly string[] | null;
    readonly appIds?: readonly string[] | null;
  } = {},
): Promise<PendoGuide[]> {
  const rows = await db
    .selectFrom("guides")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .$if(filter.state !== undefined, (q) => q.where("state", "=", filter.state as GuideState))
    .$if(filter.ids !== undefined && filter.ids !== null, (q) =>
      q.where("id", "in", filter.ids?.length ? [...(filter.ids as string[])] : [""]),
    )
    .$if(filter.appIds !== undefined && filter.appIds !== null, (q) =>
      q.where("app_id", "in", filter.appIds?.length ? [...(filter.appIds as string[])] : [""]),
    )
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return shaped(db, rows);
}
