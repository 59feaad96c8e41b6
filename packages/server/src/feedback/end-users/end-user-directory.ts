import { type Kysely, sql, type Transaction } from "kysely";
import type { AccountStatus, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { findLive, goneFrom, notFoundIn } from "../ideas/find-live.js";
import type { FeedbackCaller } from "../ideas/idea-service.js";
import { type Page, pageWindow } from "../ideas/page.js";
import { cleanTags, type Tag } from "../ideas/tags.js";
import { type EndUserInput, upsertEndUser } from "./end-users.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

/** An account of end users, with Cairn's id and the team's own (`externalId`). */
export interface DirectoryAccount {
  readonly id: string;
  /** Its number, the id Pendo's classic paths name it by. */
  readonly number: number;
  readonly externalId: string;
  readonly name: string | null;
  /** What the account pays a month, and whether it pays: as PUT /feedback/accounts/:id set them. */
  readonly monthlyValue: number | null;
  readonly status: AccountStatus | null;
  readonly createdAt: string;
  /** The last time a request named the account (a ping, a vote, an idea). */
  readonly updatedAt: string;
}

/** An end user with Cairn's id and the team's own (`externalId`), for the directory reads. */
export interface DirectoryUser {
  readonly id: string;
  /** Their number, the id Pendo's classic paths name them by. */
  readonly number: number;
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

/** The subscription's live end users, each with their account unless it was deleted. */
function usersQuery(db: Db | Trx, caller: FeedbackCaller) {
  return db
    .selectFrom("feedback_end_users as u")
    .leftJoin("feedback_accounts as a", (join) =>
      join.onRef("a.id", "=", "u.account_id").on("a.deleted_at", "is", null),
    )
    .where("u.subscription_id", "=", caller.subscriptionId);
}

const userColumns = [
  "u.id as id",
  "u.number as number",
  "u.external_id as externalId",
  "u.email as email",
  "u.name as name",
  "u.created_at as createdAt",
  "u.updated_at as updatedAt",
  "a.id as accountId",
  "a.number as accountNumber",
  "a.external_id as accountExternalId",
  "a.name as accountName",
  "a.monthly_value as accountMonthlyValue",
  "a.status as accountStatus",
  "a.created_at as accountCreatedAt",
  "a.updated_at as accountUpdatedAt",
] as const;

interface UserRow {
  id: string;
  number: number;
  externalId: string;
  email: string | null;
  name: string | null;
  createdAt: string;
  updatedAt: string;
  accountId: string | null;
  accountNumber: number | null;
  accountExternalId: string | null;
  accountName: string | null;
  accountMonthlyValue: number | null;
  accountStatus: AccountStatus | null;
  accountCreatedAt: string | null;
  accountUpdatedAt: string | null;
}

function toUser(row: UserRow): DirectoryUser {
  return {
    id: row.id,
    number: row.number,
    externalId: row.externalId,
    email: row.email,
    name: row.name,
    account:
      row.accountId === null || row.accountNumber === null || row.accountExternalId === null
        ? null
        : {
            id: row.accountId,
            number: row.accountNumber,
            externalId: row.accountExternalId,
            name: row.accountName,
            monthlyValue: row.accountMonthlyValue,
            status: row.accountStatus,
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
  let query = usersQuery(db, caller).where("u.deleted_at", "is", null);
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

/** The end user with this Cairn id: 404 if unknown or another subscription's, 410 once deleted. */
export async function getDirectoryUser(
  db: Db | Trx,
  caller: FeedbackCaller,
  id: string,
): Promise<DirectoryUser> {
  await findLive(db, "feedback_end_users", caller.subscriptionId, id);
  const row = await usersQuery(db, caller)
    .select(userColumns)
    .where("u.id", "=", id)
    .executeTakeFirstOrThrow();
  return toUser(row);
}

/**
 * The live end user with this external id and/or this email (case-insensitively), the oldest when several
 * have the email: 404 when none has, 410 when every user found was deleted, as Pendo answers for a deleted user.
 */
export async function findDirectoryUser(
  db: Db,
  caller: FeedbackCaller,
  input: { readonly externalId?: string; readonly email?: string },
): Promise<DirectoryUser> {
  let query = usersQuery(db, caller).select([...userColumns, "u.deleted_at as deletedAt"]);
  if (input.externalId !== undefined) query = query.where("u.external_id", "=", input.externalId);
  if (input.email !== undefined) {
    query = query.where(sql`lower(${sql.ref("u.email")})`, "=", input.email.toLowerCase());
  }
  // Live users first, then the oldest.
  const row = await query
    .orderBy(sql`case when ${sql.ref("u.deleted_at")} is null then 0 else 1 end`)
    .orderBy("u.created_at")
    .orderBy("u.id")
    .executeTakeFirst();
  const named = input.externalId ?? input.email ?? "";
  if (!row) throw notFoundIn("feedback_end_users", named);
  if (row.deletedAt !== null) throw goneFrom("feedback_end_users", named, row.deletedAt);
  return toUser(row);
}

/** What Pendo's ping sets beside the user and account fields, each left as stored when left out. */
export interface PingExtras {
  readonly userTags?: readonly Tag[];
  readonly account?: {
    readonly monthlyValue?: number;
    readonly status?: AccountStatus;
    readonly tags?: readonly Tag[];
  };
}

/** Sets the ping's tags, value and status on the end user and their account (tags cleaned as …/tags does). */
async function applyPingExtras(trx: Trx, endUserId: string, extras: PingExtras): Promise<void> {
  if (extras.userTags !== undefined) {
    const tags = JSON.stringify(cleanTags(extras.userTags).given);
    await trx.updateTable("feedback_end_users").set({ tags }).where("id", "=", endUserId).execute();
  }
  const account = extras.account;
  if (account === undefined) return;
  const changes = {
    ...(account.monthlyValue === undefined ? {} : { monthly_value: account.monthlyValue }),
    ...(account.status === undefined ? {} : { status: account.status }),
    ...(account.tags === undefined ? {} : { tags: JSON.stringify(cleanTags(account.tags).given) }),
  };
  if (Object.keys(changes).length === 0) return;
  const user = await trx
    .selectFrom("feedback_end_users")
    .select("account_id")
    .where("id", "=", endUserId)
    .executeTakeFirstOrThrow();
  if (user.account_id === null) return;
  await trx.updateTable("feedback_accounts").set(changes).where("id", "=", user.account_id).execute();
}

/**
 * Creates or updates the end user and their account (Pendo's "ping") with what else the ping sets, in one
 * transaction, and answers them as stored now.
 */
export async function pingEndUser(
  db: Db,
  caller: FeedbackCaller,
  input: EndUserInput,
  extras: PingExtras = {},
  now: Date = new Date(),
): Promise<DirectoryUser> {
  const id = await db.transaction().execute(async (trx) => {
    const endUserId = await upsertEndUser(trx, caller.subscriptionId, input, now);
    await applyPingExtras(trx, endUserId, extras);
    return endUserId;
  });
  return getDirectoryUser(db, caller, id);
}

function accountsQuery(db: Db | Trx, caller: FeedbackCaller) {
  return db.selectFrom("feedback_accounts as a").where("a.subscription_id", "=", caller.subscriptionId);
}

const accountColumns = [
  "a.id as id",
  "a.number as number",
  "a.external_id as externalId",
  "a.name as name",
  "a.monthly_value as monthlyValue",
  "a.status as status",
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
  const query = accountsQuery(db, caller).where("a.deleted_at", "is", null);
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

/** The account with this Cairn id: 404 if unknown or another subscription's, 410 once deleted. */
export async function getDirectoryAccount(
  db: Db | Trx,
  caller: FeedbackCaller,
  id: string,
): Promise<DirectoryAccount> {
  await findLive(db, "feedback_accounts", caller.subscriptionId, id);
  return accountsQuery(db, caller).select(accountColumns).where("a.id", "=", id).executeTakeFirstOrThrow();
}
