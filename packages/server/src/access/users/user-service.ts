import type { Kysely, Selectable } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { UserRecord } from "../admin-answers.js";
import { recordAudit } from "../audit/audit-log.js";
import { roles, type UserRole } from "./roles.js";
import { issueSignInToken } from "./sign-in-tokens.js";

export type { UserRecord } from "../admin-answers.js";

type UserRow = Selectable<MetadataSchema["users"]>;

export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    integrationKeyAccess: row.role === "owner" || row.integration_key_access === 1,
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at,
  };
}

const emailShape = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export interface AddUserInput {
  readonly subscriptionId: string;
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  readonly integrationKeyAccess?: boolean;
  readonly actor: string;
  readonly ip?: string | null;
}

/** Adds a user (or brings back a removed one) and returns a one-time sign-in token for them. */
export async function addUser(
  db: Kysely<MetadataSchema>,
  input: AddUserInput,
  now: Date = new Date(),
): Promise<{ user: UserRecord; signInToken: string }> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  if (!emailShape.test(email))
    throw new CairnError("bad_request", { message: `"${input.email}" is not an email address.` });
  if (name.length === 0 || name.length > 200)
    throw new CairnError("bad_request", { message: "A user needs a name of 1 to 200 characters." });
  if (!roles.includes(input.role))
    throw new CairnError("bad_request", { message: `The role must be one of ${roles.join(", ")}.` });
  if (input.integrationKeyAccess && input.role !== "admin") {
    throw new CairnError("bad_request", {
      message: "Integration key access is for admins (owners have it already).",
    });
  }
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("users")
      .selectAll()
      .where("subscription_id", "=", input.subscriptionId)
      .where("email", "=", email)
      .executeTakeFirst();
    if (existing && existing.removed_at === null) {
      throw new CairnError("conflict", { message: `${email} is already a user of this subscription.` });
    }
    const fields = {
      name,
      role: input.role,
      integration_key_access: input.integrationKeyAccess ? 1 : 0,
      password_hash: null,
      removed_at: null,
    };
    const id = existing?.id ?? newId("usr");
    if (existing) await trx.updateTable("users").set(fields).where("id", "=", id).execute();
    else {
      await trx
        .insertInto("users")
        .values({
          id,
          subscription_id: input.subscriptionId,
          email,
          created_at: now.toISOString(),
          ...fields,
        })
        .execute();
    }
    const signInToken = await issueSignInToken(trx, id, now);
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "user.added",
      target: id,
      ip: input.ip ?? null,
      detail: { email, role: input.role, integrationKeyAccess: input.integrationKeyAccess === true },
      at: now,
    });
    const row = await trx.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    return { user: toUserRecord(row), signInToken };
  });
}

export async function listUsers(db: Kysely<MetadataSchema>, subscriptionId: string): Promise<UserRecord[]> {
  const rows = await db
    .selectFrom("users")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .where("removed_at", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toUserRecord);
}

async function activeUser(db: Kysely<MetadataSchema>, subscriptionId: string, id: string): Promise<UserRow> {
  const row = await db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  if (!row) throw new CairnError("not_found", { message: `No user ${id} in this subscription.` });
  return row;
}

async function ownerCount(db: Kysely<MetadataSchema>, subscriptionId: string): Promise<number> {
  const owners = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("subscription_id", "=", subscriptionId)
    .where("role", "=", "owner")
    .where("removed_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(owners.n);
}

/**
 * Changes a user's role or integration key access (keys.md rule 1: only users given it may make integration
 * keys). The last owner stays an owner, so someone can always change the subscription's settings.
 */
export async function changeUser(
  db: Kysely<MetadataSchema>,
  input: {
    subscriptionId: string;
    id: string;
    role?: UserRole;
    integrationKeyAccess?: boolean;
    actor: string;
    ip?: string | null;
  },
  now: Date = new Date(),
): Promise<UserRecord> {
  return db.transaction().execute(async (trx) => {
    const user = await activeUser(trx, input.subscriptionId, input.id);
    if (user.role === "owner" && input.role !== undefined && input.role !== "owner") {
      if ((await ownerCount(trx, input.subscriptionId)) <= 1)
        throw new CairnError("conflict", {
          message: "The last owner cannot stop being one; make another user owner first.",
        });
    }
    const change: { role?: UserRole; integration_key_access?: number } = {};
    if (input.role !== undefined) change.role = input.role;
    if (input.integrationKeyAccess !== undefined)
      change.integration_key_access = input.integrationKeyAccess ? 1 : 0;
    await trx.updateTable("users").set(change).where("id", "=", user.id).execute();
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "user.changed",
      target: user.id,
      ip: input.ip ?? null,
      detail: {
        ...(input.role !== undefined ? { role: { from: user.role, to: input.role } } : {}),
        ...(input.integrationKeyAccess !== undefined
          ? { integrationKeyAccess: input.integrationKeyAccess }
          : {}),
      },
      at: now,
    });
    return toUserRecord(await activeUser(trx, input.subscriptionId, input.id));
  });
}

/** Removes a user and ends their sessions; keys they created keep working (keys.md rule 4). */
export async function removeUser(
  db: Kysely<MetadataSchema>,
  input: { subscriptionId: string; id: string; actor: string; ip?: string | null },
  now: Date = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await activeUser(trx, input.subscriptionId, input.id);
    if (user.role === "owner") {
      if ((await ownerCount(trx, input.subscriptionId)) <= 1)
        throw new CairnError("conflict", {
          message: "The last owner cannot be removed; make another user owner first.",
        });
    }
    const nowIso = now.toISOString();
    await trx
      .updateTable("users")
      .set({ removed_at: nowIso, password_hash: null })
      .where("id", "=", user.id)
      .execute();
    await trx
      .updateTable("sessions")
      .set({ ended_at: nowIso })
      .where("user_id", "=", user.id)
      .where("ended_at", "is", null)
      .execute();
    await trx
      .updateTable("sign_in_tokens")
      .set({ expires_at: nowIso })
      .where("user_id", "=", user.id)
      .where("used_at", "is", null)
      .execute();
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "user.removed",
      target: user.id,
      ip: input.ip ?? null,
      detail: { email: user.email },
      at: now,
    });
  });
}

/** A new one-time sign-in link for a user by id, asked for by the owner in the admin API; audited. */
export async function newSignInTokenFor(
  db: Kysely<MetadataSchema>,
  input: { subscriptionId: string; id: string; actor: string; ip?: string | null },
  now: Date = new Date(),
): Promise<{ user: UserRecord; signInToken: string }> {
  return db.transaction().execute(async (trx) => {
    const row = await activeUser(trx, input.subscriptionId, input.id);
    const signInToken = await issueSignInToken(trx, row.id, now);
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "user.sign_in_link",
      target: row.id,
      ip: input.ip ?? null,
      detail: { email: row.email },
      at: now,
    });
    return { user: toUserRecord(row), signInToken };
  });
}

/** A new one-time sign-in link token for an existing user (a lost link, or a reset). */
export async function newSignInToken(
  db: Kysely<MetadataSchema>,
  input: { subscriptionId: string; email: string },
  now: Date = new Date(),
): Promise<{ user: UserRecord; signInToken: string }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("users")
      .selectAll()
      .where("subscription_id", "=", input.subscriptionId)
      .where("email", "=", input.email.trim().toLowerCase())
      .where("removed_at", "is", null)
      .executeTakeFirst();
    if (!row) throw new CairnError("not_found", { message: `No user ${input.email} in this subscription.` });
    return { user: toUserRecord(row), signInToken: await issueSignInToken(trx, row.id, now) };
  });
}
