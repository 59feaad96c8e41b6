import type { Kysely, Transaction, Updateable } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type {
  AccountStatus,
  FeedbackAccountsTable,
  FeedbackEndUsersTable,
  MetadataSchema,
} from "../../store/metadata/metadata-schema.js";
import type { FeedbackCaller } from "../ideas/idea-service.js";
import {
  type DirectoryAccount,
  type DirectoryUser,
  getDirectoryAccount,
  getDirectoryUser,
} from "./end-user-directory.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

// Changes the team makes to its end users and accounts (Pendo's PUT and DELETE on /users/:id and
// /accounts/:id). They do not move `last_seen` (updated_at): that is when the person was last heard from.

/** Only the fields present change. */
export interface UpdateEndUserInput {
  readonly email?: string;
  readonly externalId?: string;
  readonly name?: string;
}

/** Only the fields present change. */
export interface UpdateAccountInput {
  readonly name?: string;
  readonly monthlyValue?: number;
  readonly status?: AccountStatus;
}

/** What a delete keeps is the row's ids, so they answer 410 from then on; what it erases is the rest. */
const erased = {
  feedback_end_users: { email: null, name: null, tags: "[]" },
  feedback_accounts: { name: null, monthly_value: null, status: null, tags: "[]" },
} as const;

/** An external id belongs to one end user of the subscription for good, a deleted one included. */
async function checkExternalIdFree(trx: Trx, caller: FeedbackCaller, id: string, externalId: string) {
  const holder = await trx
    .selectFrom("feedback_end_users")
    .select(["id", "deleted_at"])
    .where("subscription_id", "=", caller.subscriptionId)
    .where("external_id", "=", externalId)
    .executeTakeFirst();
  if (holder && holder.id !== id) {
    throw new CairnError("conflict", {
      message: `The external id ${externalId} is the end user ${holder.id}'s${holder.deleted_at === null ? "" : " (deleted)"}; an external id names one end user.`,
    });
  }
}

type DirectoryTable = "feedback_end_users" | "feedback_accounts";

/**
 * In one transaction: the row as `read` answers it (404 and 410 included), then the `changes` worked out in
 * the same transaction, set on it; answers the row as it was `before` or is `after`.
 */
async function change<T extends DirectoryTable, R>(
  db: Db,
  table: T,
  id: string,
  read: (trx: Trx) => Promise<R>,
  changes: (trx: Trx) => Promise<Updateable<MetadataSchema[T]>>,
  answer: "before" | "after",
): Promise<R> {
  return db.transaction().execute(async (trx) => {
    const before = await read(trx);
    const set = await changes(trx);
    if (Object.keys(set).length > 0) {
      await trx
        .updateTable(table as DirectoryTable)
        .set(set)
        .where("id", "=", id)
        .execute();
    }
    return answer === "before" ? before : read(trx);
  });
}

export async function updateEndUser(
  db: Db,
  caller: FeedbackCaller,
  id: string,
  input: UpdateEndUserInput,
): Promise<DirectoryUser> {
  const changes = async (trx: Trx): Promise<Updateable<FeedbackEndUsersTable>> => {
    if (input.externalId !== undefined) await checkExternalIdFree(trx, caller, id, input.externalId);
    return {
      ...(input.email === undefined ? {} : { email: input.email }),
      ...(input.externalId === undefined ? {} : { external_id: input.externalId }),
      ...(input.name === undefined ? {} : { name: input.name }),
    };
  };
  return change(db, "feedback_end_users", id, (trx) => getDirectoryUser(trx, caller, id), changes, "after");
}

export async function updateAccount(
  db: Db,
  caller: FeedbackCaller,
  id: string,
  input: UpdateAccountInput,
): Promise<DirectoryAccount> {
  const changes = async (): Promise<Updateable<FeedbackAccountsTable>> => ({
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.monthlyValue === undefined ? {} : { monthly_value: input.monthlyValue }),
    ...(input.status === undefined ? {} : { status: input.status }),
  });
  return change(db, "feedback_accounts", id, (trx) => getDirectoryAccount(trx, caller, id), changes, "after");
}

function deletion(caller: FeedbackCaller, now: Date) {
  return { deleted_at: now.toISOString(), deleted_by_key: caller.keyId };
}

/**
 * Deletes the end user and answers them as they were. Their votes, comments and ideas stay (they still count)
 * and show no user; their id and external id answer 410 from then on, wherever a request names them.
 */
export async function deleteEndUser(
  db: Db,
  caller: FeedbackCaller,
  id: string,
  now: Date = new Date(),
): Promise<DirectoryUser> {
  const changes = async () => ({ ...erased.feedback_end_users, ...deletion(caller, now) });
  return change(db, "feedback_end_users", id, (trx) => getDirectoryUser(trx, caller, id), changes, "before");
}

/**
 * Deletes the account and answers it as it was. Its end users stay, shown without an account; its id and
 * external id answer 410 from then on, also when a request names it as a user's account.
 */
export async function deleteAccount(
  db: Db,
  caller: FeedbackCaller,
  id: string,
  now: Date = new Date(),
): Promise<DirectoryAccount> {
  const changes = async () => ({ ...erased.feedback_accounts, ...deletion(caller, now) });
  return change(
    db,
    "feedback_accounts",
    id,
    (trx) => getDirectoryAccount(trx, caller, id),
    changes,
    "before",
  );
}
