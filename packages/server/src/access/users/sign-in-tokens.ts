import { createHash, randomBytes } from "node:crypto";
import type { Transaction } from "kysely";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";

export const signInTokenLifetimeMs = 24 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * A new one-time sign-in token for the user; earlier unused ones stop working, unless `keepEarlier` (the link
 * each server prints at start: with several servers, or after a restart, the link an operator copied from one
 * server's output still works). Whichever is used first spends the others. Only its hash is stored.
 */
export async function issueSignInToken(
  trx: Transaction<MetadataSchema>,
  userId: string,
  now: Date,
  options: { keepEarlier?: boolean } = {},
): Promise<string> {
  const nowIso = now.toISOString();
  if (!options.keepEarlier) await expireUnusedTokens(trx, userId, now);
  const token = randomBytes(32).toString("base64url");
  await trx
    .insertInto("sign_in_tokens")
    .values({
      id: newId("tok"),
      user_id: userId,
      token_hash: hashToken(token),
      expires_at: new Date(now.getTime() + signInTokenLifetimeMs).toISOString(),
      used_at: null,
      created_at: nowIso,
    })
    .execute();
  return token;
}

/** Ends every unused sign-in token of the user. */
export async function expireUnusedTokens(
  trx: Transaction<MetadataSchema>,
  userId: string,
  now: Date,
): Promise<void> {
  const nowIso = now.toISOString();
  await trx
    .updateTable("sign_in_tokens")
    .set({ expires_at: nowIso })
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("expires_at", ">", nowIso)
    .execute();
}

export function signInLink(publicUrl: string, token: string): string {
  return `${publicUrl}/admin/sign-in?token=${token}`;
}
