import type { Kysely, Transaction } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { nextNumber } from "../ideas/row-numbers.js";
import type { EndUserInput } from "./end-user-input.js";
import type { EndUser } from "./end-user-shape.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

export type { EndUserInput } from "./end-user-input.js";

export type { EndUser } from "./end-user-shape.js";

/** A deleted end user or account keeps its external id, which then answers 410 wherever it is named. */
function deletedExternalId(what: "end user" | "account", externalId: string): CairnError {
  return new CairnError("gone", {
    message: `The ${what} ${externalId} was deleted from Feedback; a deleted ${what}'s id cannot be used again.`,
  });
}

/**
 * How far a caller's word about an end user goes. A secret key's caller (the Feedback API) is the team's own
 * back end: it may change anything. The in-app panel speaks for the page, which anyone can script: what it
 * says only creates, unless the page's back end signed the visitor (and the account) in an identity token.
 */
export interface EndUserTrust {
  /** May change an existing end user's e-mail and name. */
  readonly user: boolean;
  /** May change an existing account's name and move an existing end user to the account named. */
  readonly account: boolean;
}

export const fullTrust: EndUserTrust = { user: true, account: true };

/**
 * Creates or updates the end user (and their account) and returns Cairn's internal id for them. An insert
 * that races another for the same external id becomes an update (ON CONFLICT), on every engine. A deleted
 * user or account is not updated (the conflict's WHERE), so nothing comes back: 410. What an existing row
 * takes from `input` is limited by `trust`; a new row takes everything.
 */
export async function upsertEndUser(
  trx: Trx,
  subscriptionId: string,
  input: EndUserInput,
  now: Date,
  trust: EndUserTrust = fullTrust,
): Promise<string> {
  const at = now.toISOString();
  let accountId: string | undefined;
  if (input.account) {
    const name = input.account.name ?? null;
    const account = await trx
      .insertInto("feedback_accounts")
      .values({
        id: newId("eacc"),
        number: nextNumber("feedback_accounts"),
        subscription_id: subscriptionId,
        external_id: input.account.id,
        name,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc
          .columns(["subscription_id", "external_id"])
          .doUpdateSet(
            input.account?.name === undefined || !trust.account
              ? { updated_at: at }
              : { name: input.account.name, updated_at: at },
          )
          .where("feedback_accounts.deleted_at", "is", null),
      )
      .returning("id")
      .executeTakeFirst();
    if (!account) throw deletedExternalId("account", input.account.id);
    accountId = account.id;
  }
  const changes = {
    updated_at: at,
    ...(input.email === undefined || !trust.user ? {} : { email: input.email }),
    ...(input.name === undefined || !trust.user ? {} : { name: input.name }),
    ...(accountId === undefined || !trust.account ? {} : { account_id: accountId }),
  };
  const user = await trx
    .insertInto("feedback_end_users")
    .values({
      id: newId("eusr"),
      number: nextNumber("feedback_end_users"),
      subscription_id: subscriptionId,
      external_id: input.id,
      email: input.email ?? null,
      name: input.name ?? null,
      account_id: accountId ?? null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(["subscription_id", "external_id"])
        .doUpdateSet(changes)
        .where("feedback_end_users.deleted_at", "is", null),
    )
    .returning("id")
    .executeTakeFirst();
  if (!user) throw deletedExternalId("end user", input.id);
  return user.id;
}

/**
 * The live end users with these internal ids, keyed by internal id, as the API shows them; a deleted one is
 * missing, and a deleted account shows as none.
 */
export async function loadEndUsers(db: Db | Trx, ids: readonly string[]): Promise<Map<string, EndUser>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, EndUser>();
  if (unique.length === 0) return found;
  const rows = await db
    .selectFrom("feedback_end_users as u")
    .leftJoin("feedback_accounts as a", (join) =>
      join.onRef("a.id", "=", "u.account_id").on("a.deleted_at", "is", null),
    )
    .select([
      "u.id as id",
      "u.external_id as externalId",
      "u.email as email",
      "u.name as name",
      "a.external_id as accountExternalId",
      "a.name as accountName",
    ])
    .where("u.id", "in", unique)
    .where("u.deleted_at", "is", null)
    .execute();
  for (const row of rows) {
    found.set(row.id, {
      id: row.externalId,
      email: row.email,
      name: row.name,
      account:
        row.accountExternalId === null ? null : { id: row.accountExternalId, name: row.accountName ?? null },
    });
  }
  return found;
}

/** Rows that name an end user, each built into a result with that user, or null once the user was deleted. */
export async function withEndUsers<R extends { readonly end_user_id: string }, T>(
  db: Db | Trx,
  rows: readonly R[],
  build: (row: R, user: EndUser | null) => T,
): Promise<T[]> {
  const users = await loadEndUsers(
    db,
    rows.map((row) => row.end_user_id),
  );
  return rows.map((row) => build(row, users.get(row.end_user_id) ?? null));
}
