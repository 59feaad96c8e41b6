import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { FeedbackVotesTable, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { type EndUser, upsertEndUser, withEndUsers } from "../end-users/end-users.js";
import { feedbackLimits } from "./feedback-limits.js";
import { findLiveIdea } from "./find-idea.js";
import type { CastVoteInput } from "./idea-inputs.js";
import type { FeedbackCaller } from "./idea-service.js";
import type { Vote, VoteCounts, VoteResult } from "./idea-shapes.js";
import { type Page, pageWindow } from "./page.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

export type { Vote, VoteResult } from "./idea-shapes.js";

export const voteOrderFields = ["created_at", "updated_at", "quantity"] as const;
export type VoteOrderField = (typeof voteOrderFields)[number];

export interface ListVotesInput {
  readonly limit?: number;
  readonly start?: number;
  readonly orderBy?: VoteOrderField;
  readonly orderDir?: "asc" | "desc";
}

type VoteRow = Pick<
  Selectable<FeedbackVotesTable>,
  "idea_id" | "end_user_id" | "quantity" | "created_at" | "updated_at"
>;

function toVote(row: VoteRow, user: EndUser | null): Vote {
  return {
    ideaId: row.idea_id,
    user,
    quantity: row.quantity,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function voteCounts(db: Db | Trx, ideaId: string): Promise<VoteCounts> {
  const rows = await db
    .selectFrom("feedback_votes")
    .select("quantity")
    .where("idea_id", "=", ideaId)
    .execute();
  let count = 0;
  let quantity = 0;
  let notInterested = 0;
  for (const row of rows) {
    if (row.quantity > 0) {
      count += 1;
      quantity += row.quantity;
    } else if (row.quantity === -1) notInterested += 1;
  }
  return { count, quantity, notInterested };
}

/** Sets the user's vote on the idea (one per user and idea: a second vote replaces the first). */
export async function castVote(
  db: Db,
  caller: FeedbackCaller,
  ideaId: string,
  input: CastVoteInput,
  now: Date = new Date(),
): Promise<VoteResult> {
  const { quantity } = input;
  if (!Number.isInteger(quantity) || quantity < feedbackLimits.minVote || quantity > feedbackLimits.maxVote) {
    throw new CairnError("bad_request", {
      message: `A vote's quantity is an integer from -1 ("not interested") to 1000000, or 0 to remove it; got ${quantity}.`,
    });
  }
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    await findLiveIdea(trx, caller.subscriptionId, ideaId);
    const endUserId = await upsertEndUser(trx, caller.subscriptionId, input.user, now, caller.endUserTrust);
    let vote: Vote | null = null;
    if (quantity === 0) {
      await trx
        .deleteFrom("feedback_votes")
        .where("idea_id", "=", ideaId)
        .where("end_user_id", "=", endUserId)
        .execute();
    } else {
      const row = await trx
        .insertInto("feedback_votes")
        .values({
          id: newId("vote"),
          idea_id: ideaId,
          end_user_id: endUserId,
          quantity,
          created_at: at,
          updated_at: at,
          updated_by_key: caller.keyId,
        })
        .onConflict((oc) =>
          oc
            .columns(["idea_id", "end_user_id"])
            .doUpdateSet({ quantity, updated_at: at, updated_by_key: caller.keyId }),
        )
        .returning(["idea_id", "end_user_id", "quantity", "created_at", "updated_at"])
        .executeTakeFirstOrThrow();
      vote = (await withEndUsers(trx, [row], toVote))[0] ?? null;
    }
    return { vote, votes: await voteCounts(trx, ideaId) };
  });
}

/** A page of the idea's votes, "not interested" ones included. */
export async function listVotes(
  db: Db,
  caller: FeedbackCaller,
  ideaId: string,
  input: ListVotesInput,
): Promise<Page<Vote>> {
  await findLiveIdea(db, caller.subscriptionId, ideaId);
  const { limit, start } = pageWindow(input);
  const orderBy = input.orderBy ?? "created_at";
  const dir = input.orderDir ?? "desc";
  const total = await db
    .selectFrom("feedback_votes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("idea_id", "=", ideaId)
    .executeTakeFirstOrThrow();
  const rows =
    limit === 0
      ? []
      : await db
          .selectFrom("feedback_votes")
          .selectAll()
          .where("idea_id", "=", ideaId)
          .orderBy(orderBy, dir)
          .orderBy("id", dir)
          .limit(limit)
          .offset(start)
          .execute();
  const results = await withEndUsers(db, rows, toVote);
  return { results, total: Number(total.n), start, limit };
}

export interface ListVotesByInput {
  readonly limit?: number;
  readonly start?: number;
  /** An end user's external id. */
  readonly userId?: string;
  readonly ideaId?: string;
  /** Only votes above 0 (positive) or only "not interested" ones (negative); both or neither: every vote. */
  readonly positive?: boolean;
  readonly negative?: boolean;
}

/**
 * A page of the subscription's votes on its live ideas, newest first, by user and idea when named. An
 * unknown user or idea is no error: it has no votes.
 */
export async function listVotesBy(
  db: Db,
  caller: FeedbackCaller,
  input: ListVotesByInput,
): Promise<Page<Vote>> {
  const { limit, start } = pageWindow(input);
  let query = db
    .selectFrom("feedback_votes as v")
    .innerJoin("feedback_ideas as i", "i.id", "v.idea_id")
    .innerJoin("feedback_end_users as u", "u.id", "v.end_user_id")
    .where("i.subscription_id", "=", caller.subscriptionId)
    .where("i.deleted_at", "is", null);
  if (input.userId !== undefined) {
    query = query.where("u.external_id", "=", input.userId).where("u.deleted_at", "is", null);
  }
  if (input.ideaId !== undefined) query = query.where("v.idea_id", "=", input.ideaId);
  if (input.positive === true && input.negative !== true) query = query.where("v.quantity", ">", 0);
  if (input.negative === true && input.positive !== true) query = query.where("v.quantity", "<", 0);
  const total = await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const rows =
    limit === 0
      ? []
      : await query
          .select(["v.idea_id", "v.end_user_id", "v.quantity", "v.created_at", "v.updated_at"])
          .orderBy("v.created_at", "desc")
          .orderBy("v.id", "desc")
          .limit(limit)
          .offset(start)
          .execute();
  const results = await withEndUsers(db, rows, toVote);
  return { results, total: Number(total.n), start, limit };
}

/** The end users' account behind some of an idea's votes, with how many of them want it. */
export interface AccountVotes {
  /** Null for the votes of end users without an account (or deleted ones). */
  readonly account: { readonly id: string; readonly name: string | null } | null;
  /** End users of the account who want the idea (a vote above 0). */
  readonly voters: number;
  /** The total weight of their votes. */
  readonly quantity: number;
  /** End users of the account who said "not interested". */
  readonly notInterested: number;
}

/**
 * The idea's votes by the account of the end user behind each, most voters first (then the greater weight,
 * then by account id), at most `limit` accounts; `total` counts them all.
 */
export async function voteAccounts(
  db: Db,
  caller: FeedbackCaller,
  ideaId: string,
  limit: number,
): Promise<{ results: AccountVotes[]; total: number }> {
  await findLiveIdea(db, caller.subscriptionId, ideaId);
  const grouped = db
    .selectFrom("feedback_votes as v")
    .leftJoin("feedback_end_users as u", (join) =>
      join.onRef("u.id", "=", "v.end_user_id").on("u.deleted_at", "is", null),
    )
    .leftJoin("feedback_accounts as a", (join) =>
      join.onRef("a.id", "=", "u.account_id").on("a.deleted_at", "is", null),
    )
    .where("v.idea_id", "=", ideaId)
    .groupBy(["a.id", "a.external_id", "a.name"]);
  const total = await db
    .selectFrom(grouped.select("a.id").as("g"))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const voters = sql<number>`sum(case when ${sql.ref("v.quantity")} > 0 then 1 else 0 end)`;
  const quantity = sql<number>`sum(case when ${sql.ref("v.quantity")} > 0 then ${sql.ref("v.quantity")} else 0 end)`;
  const notInterested = sql<number>`sum(case when ${sql.ref("v.quantity")} = -1 then 1 else 0 end)`;
  const rows = await grouped
    .select([
      "a.external_id as accountId",
      "a.name as accountName",
      voters.as("voters"),
      quantity.as("quantity"),
      notInterested.as("not_interested"),
    ])
    .orderBy(voters, "desc")
    .orderBy(quantity, "desc")
    .orderBy(sql`case when ${sql.ref("a.external_id")} is null then 1 else 0 end`)
    .orderBy("a.external_id")
    .limit(limit)
    .execute();
  return {
    results: rows.map((row) => ({
      account: row.accountId === null ? null : { id: row.accountId, name: row.accountName },
      // PostgreSQL answers sums as strings (bigint); SQLite as numbers.
      voters: Number(row.voters),
      quantity: Number(row.quantity),
      notInterested: Number(row.not_interested),
    })),
    total: Number(total.n),
  };
}
