import type { Kysely } from "kysely";
import type { IdentityMode, MetadataSchema, UnsignedEvents } from "../../store/metadata/metadata-schema.js";
import type { IdentityVerifier } from "./identity-token.js";

export type { IdentityMode, UnsignedEvents } from "../../store/metadata/metadata-schema.js";

export const identityModes: readonly IdentityMode[] = ["off", "panel", "panel_and_events"];
export const unsignedEventChoices: readonly UnsignedEvents[] = ["flag", "refuse"];

/** What an app asks of its visitors' identity, and what verifies their tokens; cached with the app. */
export interface IdentityPolicy {
  readonly mode: IdentityMode;
  readonly unsignedEvents: UnsignedEvents;
  readonly verifiers: readonly IdentityVerifier[];
}

/** True when the app's setting requires a token for this place. */
export function requiresToken(policy: IdentityPolicy, place: "panel" | "events"): boolean {
  return place === "panel" ? policy.mode !== "off" : policy.mode === "panel_and_events";
}

/**
 * The app's identity secrets that are not revoked (an expired one is skipped when a token is checked, since
 * a roll's grace period ends by time, without a change to wake the caches).
 */
export async function loadIdentityVerifiers(
  db: Kysely<MetadataSchema>,
  appId: string,
): Promise<IdentityVerifier[]> {
  const rows = await db
    .selectFrom("api_keys")
    .select(["key_hash", "expires_at"])
    .where("app_id", "=", appId)
    .where("kind", "=", "identity")
    .where("revoked_at", "is", null)
    .execute();
  return rows.map((row) => ({ hmacKey: Buffer.from(row.key_hash, "hex"), expiresAt: row.expires_at }));
}
