import { type ExpressionBuilder, type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { FeedbackIdeasTable, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { type EndUser, loadEndUsers, upsertEndUser } from "../end-users/end-users.js";
import { enqueueWebhookEvent } from "../webhooks/webhook-outbox.js";
import type { FeedbackCaller } from "./feedback-caller.js";
import { findLiveIdea, ideaNotFound } from "./find-idea.js";
import { auditIdeaChange } from "./idea-audit.js";
import type { CreateIdeaInput, UpdateIdeaInput } from "./idea-inputs.js";
import type { Idea, StatusChange } from "./idea-shapes.js";
import type { IdeaStatus } from "./idea-status.js";
import { type Page, pageWindow } from "./page.js";
import { nextNumber } from "./row-numbers.js";
import { cleanTags } from "./tags.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

export type { FeedbackCaller } from "./feedback-caller.js";
export type { Idea, StatusChange, VoteCounts } from "./idea-shapes.js";

export const ideaOrderFields = [
  "created_at",
  "updated_at",
  "title",
  "status_changed_at",
  "waiting_at",
  "planned_at",
  "developing_at",
  "released_at",
  "declined_at",
  "votes",
] as const;
export type IdeaOrderField = (typeof ideaOrderFields)[number];

export interface ListIdeasInput {
  readonly limit?: number;
  readonly start?: number;
  readonly orderBy?: IdeaOrderField;
  readonly orderDir?: "asc" | "desc";
  /** Words that must each appear in the title or the details, case-insensitively. */
  readonly q?: string;
  readonly statuses?: readonly IdeaStatus[];
  /** Only private (true) or only public (false) ideas. */
  readonly isPrivate?: boolean;
  /** Tags the idea must all carry (case-insensitively). */
  readonly tags?: readonly string[];
  /** Product areas, any of which the idea's must be. */
  readonly productAreas?: readonly string[];
  /** An end user's external id: only the ideas that user voted for (quantity above 0). */
  readonly wantedBy?: string;
  /** False leaves each idea's creator out (null) and saves the query for them, for lists that never show them. */
  readonly withCreators?: boolean;
}

const statusTimeColumn = {
  waiting: "waiting_at",
  planned: "planned_at",
  developing: "developing_at",
  released: "released_at",
  declined: "declined_at",
} as const satisfies Partial<Record<IdeaStatus, keyof FeedbackIdeasTable>>;

function badRequest(message: string): CairnError {
  return new CairnError("bad_request", { message });
}

function cleanTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) throw badRequest("An idea needs a title that is not only spaces.");
  return trimmed;
}

function cleanProductArea(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed.length === 0 ? null : trimmed;
}

/** The ideas table with its vote and comment counts, for the reads that answer with whole ideas. */
function ideasWithCounts(db: Db | Trx) {
  return db
    .selectFrom("feedback_ideas")
    .selectAll("feedback_ideas")
    .select((eb) => [
      eb
        .selectFrom("feedback_votes")
        .select((sub) => sub.fn.countAll<number>().as("n"))
        .whereRef("feedback_votes.idea_id", "=", "feedback_ideas.id")
        .where("feedback_votes.quantity", ">", 0)
        .as("vote_count"),
      eb
        .selectFrom("feedback_votes")
        .select((sub) => sub.fn.sum<number>("feedback_votes.quantity").as("n"))
        .whereRef("feedback_votes.idea_id", "=", "feedback_ideas.id")
        .where("feedback_votes.quantity", ">", 0)
        .as("vote_quantity"),
      eb
        .selectFrom("feedback_votes")
        .select((sub) => sub.fn.countAll<number>().as("n"))
        .whereRef("feedback_votes.idea_id", "=", "feedback_ideas.id")
        .where("feedback_votes.quantity", "=", -1)
        .as("not_interested"),
      eb
        .selectFrom("feedback_comments")
        .select((sub) => sub.fn.countAll<number>().as("n"))
        .whereRef("feedback_comments.idea_id", "=", "feedback_ideas.id")
        .as("comment_count"),
    ]);
}

type IdeaRow = Selectable<FeedbackIdeasTable> & {
  vote_count: number | string | bigint | null;
  vote_quantity: number | string | bigint | null;
  not_interested: number | string | bigint | null;
  comment_count: number | string | bigint | null;
};

/** PostgreSQL answers counts as strings (bigint); SQLite as numbers. */
function count(value: number | string | bigint | null): number {
  return value === null ? 0 : Number(value);
}

function toIdea(row: IdeaRow, creators: Map<string, EndUser>): Idea {
  return {
    id: row.id,
    title: row.title,
    details: row.details,
    status: row.status,
    statusChangedAt: row.status_changed_at,
    waitingAt: row.waiting_at,
    plannedAt: row.planned_at,
    developingAt: row.developing_at,
    releasedAt: row.released_at,
    declinedAt: row.declined_at,
    productArea: row.product_area,
    tags: JSON.parse(row.tags) as string[],
    private: row.is_private === 1,
    mergedInto: row.merged_into_id,
    creator: row.creator_id === null ? null : (creators.get(row.creator_id) ?? null),
    votes: {
      count: count(row.vote_count),
      quantity: count(row.vote_quantity),
      notInterested: count(row.not_interested),
    },
    comments: count(row.comment_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function toIdeas(db: Db | Trx, rows: readonly IdeaRow[], withCreators = true): Promise<Idea[]> {
  const creators = withCreators
    ? await loadEndUsers(
        db,
        rows.flatMap((row) => (row.creator_id === null ? [] : [row.creator_id])),
      )
    : new Map<string, EndUser>();
  return rows.map((row) => toIdea(row, creators));
}

/** The idea as the API answers it; inside a transaction, as that transaction sees it. */
export async function readIdea(db: Db | Trx, subscriptionId: string, id: string): Promise<Idea> {
  await findLiveIdea(db, subscriptionId, id);
  const row = await ideasWithCounts(db).where("feedback_ideas.id", "=", id).executeTakeFirstOrThrow();
  const [idea] = await toIdeas(db, [row]);
  if (!idea) throw ideaNotFound(id);
  return idea;
}

/** Creates an idea with status `new`; `user`, when given, is created or updated and becomes its creator. */
export async function createIdea(
  db: Db,
  caller: FeedbackCaller,
  input: CreateIdeaInput,
  now: Date = new Date(),
): Promise<Idea> {
  const title = cleanTitle(input.title);
  const tags = cleanTags(input.tags ?? []).flat;
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const creatorId = input.user
      ? await upsertEndUser(trx, caller.subscriptionId, input.user, now, caller.endUserTrust)
      : null;
    const id = newId("idea");
    await trx
      .insertInto("feedback_ideas")
      .values({
        id,
        number: nextNumber("feedback_ideas"),
        subscription_id: caller.subscriptionId,
        title,
        // Stored exactly as sent: HTML and script are text here, never stripped or interpreted.
        details: input.details ?? "",
        status: "new",
        status_changed_at: at,
        waiting_at: null,
        planned_at: null,
        developing_at: null,
        released_at: null,
        declined_at: null,
        product_area: cleanProductArea(input.productArea),
        tags: JSON.stringify(tags),
        is_private: input.private ? 1 : 0,
        merged_into_id: null,
        creator_id: creatorId,
        created_by_key: caller.keyId,
        updated_by_key: caller.keyId,
        created_at: at,
        updated_at: at,
        deleted_at: null,
        deleted_by_key: null,
      })
      .execute();
    await trx
      .insertInto("feedback_idea_status_changes")
      .values({
        id: newId("stc"),
        idea_id: id,
        from_status: null,
        to_status: "new",
        changed_at: at,
        changed_by_key: caller.keyId,
      })
      .execute();
    const idea = await readIdea(trx, caller.subscriptionId, id);
    await enqueueWebhookEvent(trx, caller.subscriptionId, "feature_created", idea, at);
    return idea;
  });
}

export async function getIdea(db: Db, caller: FeedbackCaller, id: string): Promise<Idea> {
  return readIdea(db, caller.subscriptionId, id);
}

/**
 * The idea another is merged into must be of the same subscription, alive, and not merged itself: with
 * that rule no chain of merges can loop back.
 */
async function checkMergeTarget(trx: Trx, caller: FeedbackCaller, ideaId: string, targetId: string) {
  if (targetId === ideaId) throw badRequest("An idea cannot be merged into itself.");
  const target = await trx
    .selectFrom("feedback_ideas")
    .select(["id", "deleted_at", "merged_into_id"])
    .where("id", "=", targetId)
    .where("subscription_id", "=", caller.subscriptionId)
    .executeTakeFirst();
  if (!target) throw ideaNotFound(targetId);
  if (target.deleted_at !== null) {
    throw new CairnError("conflict", {
      message: `The idea ${targetId} was deleted; merge into another one.`,
    });
  }
  if (target.merged_into_id !== null) {
    throw new CairnError("conflict", {
      message: `The idea ${targetId} is itself merged into ${target.merged_into_id}; merge into that one.`,
    });
  }
}

/** Changes the fields given; a new status is recorded with its time, and sets the idea's `<status>At`. */
export async function updateIdea(
  db: Db,
  caller: FeedbackCaller,
  id: string,
  input: UpdateIdeaInput,
  now: Date = new Date(),
): Promise<Idea> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const current = await findLiveIdea(trx, caller.subscriptionId, id);
    const changes: Partial<Omit<Selectable<FeedbackIdeasTable>, "number">> = {
      updated_at: at,
      updated_by_key: caller.keyId,
    };
    if (input.title !== undefined) changes.title = cleanTitle(input.title);
    if (input.details !== undefined) changes.details = input.details;
    if (input.tags !== undefined) {
      changes.tags = JSON.stringify(cleanTags(input.tags).flat);
      // Strings replace whatever shapes the classic path gave.
      changes.tags_given = null;
    }
    if (input.productArea !== undefined) changes.product_area = cleanProductArea(input.productArea);
    if (input.private !== undefined) changes.is_private = input.private ? 1 : 0;
    if (input.mergedInto !== undefined) {
      if (input.mergedInto !== null) await checkMergeTarget(trx, caller, id, input.mergedInto);
      changes.merged_into_id = input.mergedInto;
    }
    if (input.status !== undefined && input.status !== current.status) {
      changes.status = input.status;
      changes.status_changed_at = at;
      if (input.status !== "new") changes[statusTimeColumn[input.status]] = at;
      await trx
        .insertInto("feedback_idea_status_changes")
        .values({
          id: newId("stc"),
          idea_id: id,
          from_status: current.status,
          to_status: input.status,
          changed_at: at,
          changed_by_key: caller.keyId,
        })
        .execute();
    }
    await trx.updateTable("feedback_ideas").set(changes).where("id", "=", id).execute();
    await auditIdeaChange(trx, caller, {
      action: input.mergedInto === undefined ? "idea.updated" : "idea.merged",
      ideaId: id,
      at,
      detail: {
        fields: Object.keys(input).sort(),
        ...(changes.status === undefined ? {} : { status: { from: current.status, to: changes.status } }),
        ...(input.mergedInto === undefined ? {} : { mergedInto: input.mergedInto }),
      },
    });
    const idea = await readIdea(trx, caller.subscriptionId, id);
    if (changes.status !== undefined) {
      await enqueueWebhookEvent(trx, caller.subscriptionId, "feature_status_changed", idea, at);
    }
    return idea;
  });
}

/** Soft delete: the row stays (votes and comments too), and every later use of the id answers 410. */
export async function deleteIdea(
  db: Db,
  caller: FeedbackCaller,
  id: string,
  now: Date = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const idea = await findLiveIdea(trx, caller.subscriptionId, id);
    await trx
      .updateTable("feedback_ideas")
      .set({ deleted_at: now.toISOString(), deleted_by_key: caller.keyId })
      .where("id", "=", id)
      .execute();
    await auditIdeaChange(trx, caller, {
      action: "idea.deleted",
      ideaId: id,
      at: now.toISOString(),
      detail: { title: idea.title },
    });
  });
}

/** `lower(column) LIKE '%word%'` with the word's own `%`, `_` and `\` taken literally, on every engine. */
function containsWord(column: "title" | "details", word: string) {
  const pattern = `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${sql.ref(`feedback_ideas.${column}`)}) like ${pattern} escape '\\'`;
}

/**
 * Tags are stored as a JSON array of strings, a categorised one as `Category:Value` (tags.ts): the tag's own
 * JSON encoding, quotes included, appears in it exactly when the idea carries the tag (`lower(…) like`, so
 * case-insensitively, as Pendo matches tags); `Color:Red` finds both `{"Color": "Red"}` and the string.
 */
function hasTag(tag: string) {
  const encoded = JSON.stringify(tag.trim().toLowerCase());
  const pattern = `%${encoded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${sql.ref("feedback_ideas.tags")}) like ${pattern} escape '\\'`;
}

function listFilter(caller: FeedbackCaller, input: ListIdeasInput) {
  const words = (input.q ?? "").split(/\s+/).filter((w) => w.length > 0);
  const tags = (input.tags ?? []).filter((tag) => tag.trim().length > 0);
  return (eb: ExpressionBuilder<MetadataSchema, "feedback_ideas">) =>
    eb.and([
      ...(input.isPrivate === undefined
        ? []
        : [eb("feedback_ideas.is_private", "=", input.isPrivate ? 1 : 0)]),
      ...tags.map(hasTag),
      ...(input.productAreas && input.productAreas.length > 0
        ? [eb("feedback_ideas.product_area", "in", [...input.productAreas])]
        : []),
      ...(input.wantedBy === undefined
        ? []
        : [
            eb.exists(
              eb
                .selectFrom("feedback_votes as v")
                .innerJoin("feedback_end_users as u", "u.id", "v.end_user_id")
                .select("v.id")
                .whereRef("v.idea_id", "=", "feedback_ideas.id")
                .where("v.quantity", ">", 0)
                .where("u.subscription_id", "=", caller.subscriptionId)
                .where("u.external_id", "=", input.wantedBy)
                .where("u.deleted_at", "is", null),
            ),
          ]),
      eb("feedback_ideas.subscription_id", "=", caller.subscriptionId),
      eb("feedback_ideas.deleted_at", "is", null),
      ...(input.statuses && input.statuses.length > 0
        ? [eb("feedback_ideas.status", "in", [...input.statuses])]
        : []),
      ...words.map((word) => eb.or([containsWord("title", word), containsWord("details", word)])),
    ]);
}

/**
 * A page of the subscription's live ideas. Ideas without the time being sorted on (never planned, say)
 * come last in either direction, the same on every engine.
 */
export async function listIdeas(db: Db, caller: FeedbackCaller, input: ListIdeasInput): Promise<Page<Idea>> {
  const { limit, start } = pageWindow(input);
  const orderBy = input.orderBy ?? "created_at";
  const dir = input.orderDir ?? (orderBy === "title" ? "asc" : "desc");
  const where = listFilter(caller, input);
  const total = await db
    .selectFrom("feedback_ideas")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(where)
    .executeTakeFirstOrThrow();
  let query = ideasWithCounts(db).where(where);
  if (orderBy === "votes") {
    // The most people first; among as many, the greater total weight.
    query = query.orderBy(sql.ref("vote_count"), dir).orderBy(sql.ref("vote_quantity"), dir);
  } else if (orderBy === "title") {
    query = query.orderBy(sql`lower(${sql.ref("feedback_ideas.title")})`, dir);
  } else {
    const column = sql.ref(`feedback_ideas.${orderBy}`);
    query = query.orderBy(sql`case when ${column} is null then 1 else 0 end`).orderBy(column, dir);
  }
  const rows =
    limit === 0 ? [] : await query.orderBy("feedback_ideas.id", dir).limit(limit).offset(start).execute();
  return {
    results: await toIdeas(db, rows, input.withCreators ?? true),
    total: count(total.n),
    start,
    limit,
  };
}

/** Every status the idea entered, oldest first, starting with `new` when it was created. */
export async function listStatusChanges(db: Db, caller: FeedbackCaller, id: string): Promise<StatusChange[]> {
  await findLiveIdea(db, caller.subscriptionId, id);
  const rows = await db
    .selectFrom("feedback_idea_status_changes")
    .select(["from_status", "to_status", "changed_at"])
    .where("idea_id", "=", id)
    .orderBy("changed_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ from: row.from_status, to: row.to_status, at: row.changed_at }));
}
