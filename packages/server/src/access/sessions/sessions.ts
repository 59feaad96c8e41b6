import { hash, randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { recordAudit } from "../audit/audit-log.js";
import { hashPassword, verifyPassword } from "../users/passwords.js";
import { expireUnusedTokens, hashToken } from "../users/sign-in-tokens.js";
import { toUserRecord, type UserRecord } from "../users/user-service.js";

export const sessionLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export interface SignedIn {
  readonly sessionToken: string;
  readonly user: UserRecord;
  readonly subscriptionId: string;
  readonly expiresAt: string;
}

export interface ActiveSession {
  readonly sessionId: string;
  readonly user: UserRecord;
  readonly subscriptionId: string;
  readonly method: "link" | "password";
  readonly createdAt: string;
}

/** After a one-time link sign-in, a password may be set without the current one for this long. */
export const linkPasswordWindowMs = 15 * 60_000;

type Db = Kysely<MetadataSchema>;

/**
 * The CSRF token is derived from the session token, which sits in an HttpOnly cookie no script can read:
 * a page on another site can make the browser send the cookie, but cannot know this value.
 */
export function csrfTokenFor(sessionToken: string): string {
  return hash("sha256", `csrf:${sessionToken}`, "base64url");
}

async function openSession(
  db: Db,
  user: Selectable<MetadataSchema["users"]>,
  how: "link" | "password",
  ip: string | null,
  now: Date,
): Promise<SignedIn> {
  const sessionToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs).toISOString();
  await db
    .insertInto("sessions")
    .values({
      id: newId("ses"),
      user_id: user.id,
      token_hash: hashToken(sessionToken),
      created_at: now.toISOString(),
      expires_at: expiresAt,
      ended_at: null,
      method: how,
    })
    .execute();
  await recordAudit(db, {
    subscriptionId: user.subscription_id,
    actor: user.id,
    action: "user.signed_in",
    target: user.id,
    ip,
    detail: { how },
    at: now,
  });
  return { sessionToken, user: toUserRecord(user), subscriptionId: user.subscription_id, expiresAt };
}

/** Spends a one-time sign-in token; null when it is unknown, used, expired or its user was removed. */
export async function signInWithLink(
  db: Db,
  token: string,
  ip: string | null,
  now: Date = new Date(),
): Promise<SignedIn | null> {
  const nowIso = now.toISOString();
  const found = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("sign_in_tokens")
      .innerJoin("users", "users.id", "sign_in_tokens.user_id")
      .select(["sign_in_tokens.id as tokenId"])
      .selectAll("users")
      .where("sign_in_tokens.token_hash", "=", hashToken(token))
      .where("sign_in_tokens.used_at", "is", null)
      .where("sign_in_tokens.expires_at", ">", nowIso)
      .where("users.removed_at", "is", null)
      .executeTakeFirst();
    if (!row) return null;
    // Spent inside the transaction that found it, so two concurrent uses cannot both succeed.
    const spent = await trx
      .updateTable("sign_in_tokens")
      .set({ used_at: nowIso })
      .where("id", "=", row.tokenId)
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (spent.numUpdatedRows !== 1n) return null;
    await expireUnusedTokens(trx, row.id, now);
    return row;
  });
  if (!found) return null;
  const { tokenId: _spent, ...user } = found;
  return openSession(db, user, "link", ip, now);
}

/** Null for a wrong password or unknown email alike, after the same amount of work. */
export async function signInWithPassword(
  db: Db,
  email: string,
  password: string,
  ip: string | null,
  now: Date = new Date(),
): Promise<SignedIn | null> {
  const candidates = await db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email.trim().toLowerCase())
    .where("removed_at", "is", null)
    .where("password_hash", "is not", null)
    .orderBy("created_at")
    .execute();
  if (candidates.length === 0) {
    await verifyPassword(null, password);
    return null;
  }
  for (const user of candidates) {
    if (await verifyPassword(user.password_hash, password)) return openSession(db, user, "password", ip, now);
  }
  for (const user of candidates) {
    await recordAudit(db, {
      subscriptionId: user.subscription_id,
      actor: user.id,
      action: "user.sign_in_failed",
      target: user.id,
      ip,
      at: now,
    });
  }
  return null;
}

export async function findSession(
  db: Db,
  sessionToken: string,
  now: Date = new Date(),
): Promise<ActiveSession | null> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id as sessionId", "sessions.method as method", "sessions.created_at as createdAt"])
    .selectAll("users")
    .where("sessions.token_hash", "=", hashToken(sessionToken))
    .where("sessions.ended_at", "is", null)
    .where("sessions.expires_at", ">", now.toISOString())
    .where("users.removed_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const { sessionId, method, createdAt, ...user } = row;
  return { sessionId, user: toUserRecord(user), subscriptionId: user.subscription_id, method, createdAt };
}

export async function endSession(db: Db, sessionId: string, now: Date = new Date()): Promise<void> {
  await db.updateTable("sessions").set({ ended_at: now.toISOString() }).where("id", "=", sessionId).execute();
}

/**
 * A stolen session must not become a stolen account: changing a password takes the current one, except for a
 * user without one yet, or within minutes of a one-time link sign-in (how a forgotten password is replaced).
 */
async function requireCurrentPassword(
  db: Db,
  session: ActiveSession,
  currentPassword: string | undefined,
  now: Date,
): Promise<void> {
  const row = await db
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", session.user.id)
    .executeTakeFirstOrThrow();
  if (row.password_hash === null) return;
  const sinceSignIn = now.getTime() - Date.parse(session.createdAt);
  if (session.method === "link" && sinceSignIn < linkPasswordWindowMs) return;
  if (currentPassword === undefined) throw new CairnError("current_password_required");
  if (!(await verifyPassword(row.password_hash, currentPassword)))
    throw new CairnError("current_password_required", { message: "The current password is wrong." });
}

export async function setPassword(
  db: Db,
  session: ActiveSession,
  password: string,
  ip: string | null,
  currentPassword?: string,
  now: Date = new Date(),
): Promise<void> {
  await requireCurrentPassword(db, session, currentPassword, now);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash })
      .where("id", "=", session.user.id)
      .execute();
    // Other sessions of this user end: a password change is also how a stolen session is cut off.
    await trx
      .updateTable("sessions")
      .set({ ended_at: new Date().toISOString() })
      .where("user_id", "=", session.user.id)
      .where("id", "!=", session.sessionId)
      .where("ended_at", "is", null)
      .execute();
    await recordAudit(trx, {
      subscriptionId: session.subscriptionId,
      actor: session.user.id,
      action: "user.password_set",
      target: session.user.id,
      ip,
    });
  });
}
