import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { findLiveIdea } from "../ideas/find-idea.js";
import { notFoundIn, type OwnedTable } from "../ideas/find-live.js";
import type { FeedbackCaller } from "../ideas/idea-service.js";

type Db = Kysely<MetadataSchema>;

// Pendo's classic paths name features, users and accounts by number (its Swagger types the ids as integers);
// each row has one, for good (metadata migration 0016). A request may name a row by its number (`42`, or 42
// in a body) or by Cairn's own id (`idea_…`, `eusr_…`, `eacc_…`, which these paths answered before).

export type ClassicKind = "feature" | "user" | "account";

const tables = {
  feature: "feedback_ideas",
  user: "feedback_end_users",
  account: "feedback_accounts",
} as const satisfies Record<ClassicKind, OwnedTable>;

/** An id as the classic paths take it: a number, as digits in a path or query, or Cairn's own id. */
export type ClassicRef = string | number;

const digits = /^[0-9]{1,15}$/;

/** Whether the id is a number (Pendo's kind of id) rather than Cairn's own. */
export function isNumberRef(ref: ClassicRef): boolean {
  return typeof ref === "number" || digits.test(ref);
}

/**
 * Cairn's id for the row a request names. A number no row of the subscription has is a 404 (a deleted row
 * keeps its number: the service reading the id answers 410); Cairn's own ids are checked by that service.
 */
export async function cairnIdOf(db: Db, caller: FeedbackCaller, kind: ClassicKind, ref: ClassicRef) {
  if (!isNumberRef(ref)) return String(ref);
  const table = tables[kind];
  const row = await db
    .selectFrom(table as OwnedTable)
    .select("id")
    .where("number", "=", Number(ref))
    .where("subscription_id", "=", caller.subscriptionId)
    .executeTakeFirst();
  if (!row) throw notFoundIn(table, String(ref));
  return row.id;
}

/** The team's own id for the end user a request names (the services filter by it); 404 if unknown. */
export async function externalUserIdOf(db: Db, caller: FeedbackCaller, ref: ClassicRef): Promise<string> {
  const id = await cairnIdOf(db, caller, "user", ref);
  const row = await db
    .selectFrom("feedback_end_users")
    .select("external_id")
    .where("id", "=", id)
    .where("subscription_id", "=", caller.subscriptionId)
    .executeTakeFirst();
  if (!row) throw notFoundIn("feedback_end_users", String(ref));
  return row.external_id;
}

/** The numbers answers show: features by Cairn id, live end users by the team's own id. */
export interface ClassicNumbers {
  readonly features: ReadonlyMap<string, number>;
  readonly users: ReadonlyMap<string, number>;
}

/** The numbers of these ideas and of the subscription's live end users with these external ids. */
export async function loadNumbers(
  db: Db,
  caller: FeedbackCaller,
  wanted: { readonly ideaIds: readonly string[]; readonly userIds: readonly string[] },
): Promise<ClassicNumbers> {
  const ideaIds = [...new Set(wanted.ideaIds)];
  const userIds = [...new Set(wanted.userIds)];
  const features =
    ideaIds.length === 0
      ? []
      : await db
          .selectFrom("feedback_ideas")
          .select(["id", "number"])
          .where("id", "in", ideaIds)
          .where("subscription_id", "=", caller.subscriptionId)
          .execute();
  const users =
    userIds.length === 0
      ? []
      : await db
          .selectFrom("feedback_end_users")
          .select(["external_id", "number"])
          .where("external_id", "in", userIds)
          .where("subscription_id", "=", caller.subscriptionId)
          .where("deleted_at", "is", null)
          .execute();
  return {
    features: new Map(features.map((row) => [row.id, row.number])),
    users: new Map(users.map((row) => [row.external_id, row.number])),
  };
}

/** A feature's number, which every idea has (migration 0016 and every insert give one). */
export function featureNumber(numbers: ClassicNumbers, ideaId: string): number {
  const number = numbers.features.get(ideaId);
  if (number === undefined) throw new Error(`no number loaded for the idea ${ideaId}`);
  return number;
}

/** A live end user's number, by the team's own id; null for no user (none named, or deleted). */
export function userNumber(numbers: ClassicNumbers, user: { readonly id: string } | null): number | null {
  return user === null ? null : (numbers.users.get(user.id) ?? null);
}

/** The id a query parameter names, resolved, or undefined when the parameter was left out. */
export async function optionally<T>(
  ref: string | undefined,
  resolve: (ref: string) => Promise<T>,
): Promise<T | undefined> {
  return ref === undefined ? undefined : resolve(ref);
}

/** Cairn's ids for these features, in order, each checked live (404 unknown, 410 deleted) before any is used. */
export async function liveFeatureIds(
  db: Db,
  caller: FeedbackCaller,
  refs: readonly ClassicRef[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs) {
    const id = await cairnIdOf(db, caller, "feature", ref);
    await findLiveIdea(db, caller.subscriptionId, id);
    ids.push(id);
  }
  return ids;
}
