import type { Kysely } from "kysely";
import { sql } from "kysely";
import { CairnError } from "../errors/cairn-error.js";
import type { MetadataSchema } from "../store/metadata/metadata-schema.js";
import { type EndUserInput, upsertEndUser } from "./end-users.js";
import { feedbackLimits } from "./feedback-limits.js";
import type { FeedbackCaller } from "./idea-service.js";
import { type Page, pageWindow } from "./page.js";

type Db = Kysely<MetadataSchema>;

/** An account of end users, with Cairn's id and the team's own (`externalId`). */
export interface DirectoryAccount {
  readonly id: string;
  readonly externalId: string;
  readonly name: string | null;
  readonly createdAt: string;
  /** The last time a request named the account (a ping, a vote, an idea). */
  readonly updatedAt: string;
}

/** An end user with Cairn's id and the team's own (`externalId`), for the directory reads. */
export interface DirectoryUser {
  readonly id: string;
  readonly externalId: string;
  readonly email: string | null;
  readonly name: string | null;
  readonly account: DirectoryAccount | null;
  readonly createdAt: string;
  /** The last time a request named the user. */
  readonly updatedAt: string;
}

export const directoryUserOrderFields = ["name", "email", "created_at", "last_seen"] as const;
export type DirectoryUserOrderField = (typeof directoryUserOrderFields)[number];
export const directoryAccountOrderFields = ["name", "created_at", "last_seen"] as const;
export type DirectoryAccountOrderField = (typeof directoryAccountOrderFields)[number];

interface Paging<Order> {
  readonly limit?: number;
  readonly start?: number;
  readonly orderBy?: Order;
  readonly orderDir?: "asc" | "desc";
}

export interface ListDirectoryUsersInput extends Paging<DirectoryUserOrderField> {
  /** The account's Cairn id or the team's own id for it. */
  readonly account?: string;
}

function usersQuery(db: Db, caller: FeedbackCaller) {
  return db
    .selectFrom("feedback_end_users as u")
    .leftJoin("feedback_accounts as a", "a.id", "u.account_id")
    .where("u.subscription_id", "=", caller.subscriptionId);
}

const userColumns = [
  "u.id as id",
  "u.external_id as externalId",
  "u.email as email",
  "u.name as name",
  "u.created_at as createdAt",
  "u.updated_at as updatedAt",
  "a.id as accountId",
  "a.external_id as accountExternalId",
  "a.name as accountName",
  "a.created_at as accountCreatedAt",
  "a.updated_at as accountUpdatedAt",
] as const;

interface UserRow {
  id: string;
  externalId: string;
  email: string | null;
  name: string | null;
  createdAt: string;
  updatedAt: string;
  accountId: string | null;
  accountExternalId: string | null;
  accountName: string | null;
  accountCreatedAt: string | null;
  accountUpdatedAt: string | null;
}

function toUser(row: UserRow): DirectoryUser {
  return {
    id: row.id,
    externalId: row.externalId,
    email: row.email,
    name: row.name,
    account:
      row.accountId === null || row.accountExternalId === null
        ? null
        : {
            id: row.accountId,
            externalId: row.accountExternalId,
            name: row.accountName,
            createdAt: row.accountCreatedAt ?? "",
            updatedAt: row.accountUpdatedAt ?? "",
          },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const userOrderColumn = {
  name: "u.name",
  email: "u.email",
  created_at: "u.created_at",
  last_seen: "u.updated_at",
} as const satisfies Record<DirectoryUserOrderField, string>;

/** A page of the subscription's end users; those without the value sorted on come last either way. */
export async function listDirectoryUsers(
  db: Db,
  caller: FeedbackCaller,
  input: ListDirectoryUsersInput,
): Promise<Page<DirectoryUser>> {
  const { limit, start } = pageWindow(input);
  const orderBy = input.orderBy ?? "created_at";
  const dir = input.orderDir ?? (orderBy === "name" || orderBy === "email" ? "asc" : "desc");
  let query = usersQuery(db, caller);
  const account = input.account;
  if (account !== undefined) {
    query = query.where((eb) => eb.or([eb("a.id", "=", account), eb("a.external_id", "=", account)]));
  }
  const total = await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const column = sql.ref(userOrderColumn[orderBy]);
  const rows =
    limit === 0
      ? []
      : await query
          .select(userColumns)
          .orderBy(sql`case when ${column} is null then 1 else 0 end`)
          .orderBy(orderBy === "name" || orderBy === "email" ? sql`lower(${column})` : column, dir)
          .orderBy("u.id", dir)
          .limit(limit)
          .offset(start)
          .execute();
  return { results: rows.map(toUser), total: Number(total.n), start, limit };
}

/** The end user with this Cairn id; another subscription's answers 404 like one that never existed. */
export async function getDirectoryUser(db: Db, caller: FeedbackCaller, id: string): Promise<DirectoryUser> {
  const row = await usersQuery(db, caller).select(userColumns).where("u.id", "=", id).executeTakeFirst();
  if (!row) throw new CairnError("not_found", { message: `No end user ${id} in this subscription.` });
  return toUser(row);
}

/** The end users with this external id and/or this email (case-insensitively), oldest first. */
export async function searchDirectoryUsers(
  db: Db,
  caller: FeedbackCaller,
  input: { readonly externalId?: string; readonly email?: string },
): Promise<DirectoryUser[]> {
  let query = usersQuery(db, caller).select(userColumns);
  if (input.externalId !== undefined) query = query.where("u.external_id", "=", input.externalId);
  if (input.email !== undefined) {
    query = query.where(sql`lower(${sql.ref("u.email")})`, "=", input.email.toLowerCase());
  }
  const rows = await query
    .orderBy("u.created_at")
    .orderBy("u.id")
    .limit(feedbackLimits.maxPageSize)
    .execute();
  return rows.map(toUser);
}

/** Creates or updates the end user and their account (Pendo's "ping"), and answers them as stored now. */
export async function pingEndUser(
  db: Db,
  caller: FeedbackCaller,
  input: EndUserInput,
  now: Date = new Date(),
): Promise<DirectoryUser> {
  const id = await db.transaction().execute((trx) => upsertEndUser(trx, caller.subscriptionId, input, now));
  return getDirectoryUser(db, caller, id);
}

function accountsQuery(db: Db, caller: FeedbackCaller) {
  return db.selectFrom("feedback_accounts as a").where("a.subscription_id", "=", caller.subscriptionId);
}

const accountColumns = [
  "a.id as id",
  "a.external_id as externalId",
  "a.name as name",
  "a.created_at as createdAt",
  "a.updated_at as updatedAt",
] as const;

const accountOrderColumn = {
  name: "a.name",
  created_at: "a.created_at",
  last_seen: "a.updated_at",
} as const satisfies Record<DirectoryAccountOrderField, string>;

/** A page of the subscription's accounts; those without a name come last when sorting by name. */
export async function listDirectoryAccounts(
  db: Db,
  caller: FeedbackCaller,
  input: Paging<DirectoryAccountOrderField>,
): Promise<Page<DirectoryAccount>> {
  const { limit, start } = pageWindow(input);
  const orderBy = input.orderBy ?? "name";
  const dir = input.orderDir ?? (orderBy === "name" ? "asc" : "desc");
  const query = accountsQuery(db, caller);
  const total = await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const column = sql.ref(accountOrderColumn[orderBy]);
  const rows =
    limit === 0
      ? []
      : await query
          .select(accountColumns)
          .orderBy(sql`case when ${column} is null then 1 else 0 end`)
          .orderBy(orderBy === "name" ? sql`lower(${column})` : column, dir)
          .orderBy("a.id", dir)
          .limit(limit)
          .offset(start)
          .execute();
  return { results: rows, total: Number(total.n), start, limit };
}

/** The account with this Cairn id; another subscription's answers 404 like one that never existed. */
export async function getDirectoryAccount(
  db: Db,
  caller: FeedbackCaller,
  id: string,
): Promise<DirectoryAccount> {
  const row = await accountsQuery(db, caller)
    .select(accountColumns)
    .where("a.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new CairnError("not_found", { message: `No account ${id} in this subscription.` });
  return row;
}
