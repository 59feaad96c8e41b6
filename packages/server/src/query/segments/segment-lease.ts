import type { Kysely } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { randomBase62 } from "../../platform/ids/random-base62.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { segmentLimits } from "./segment-limits.js";

type Db = Kysely<MetadataSchema>;

export function segmentNotFound(id: string): CairnError {
  return new CairnError("not_found", {
    message: `No segment ${JSON.stringify(id.slice(0, 100))} in this subscription.`,
    hint: "List the segments with GET /api/v1/segment.",
  });
}

export function operationInProgress(id: string): CairnError {
  return new CairnError("conflict", {
    message: `Operation in progress: another write to segment ${id} has not finished.`,
    hint: 'Retry when it has: GET /api/v1/segment/:id/status answers state "complete" then.',
  });
}

/**
 * Takes the segment for one write, in its own committed transaction, so a second write (on this server or
 * another) that arrives before the first ends is told 409 at once instead of waiting and then interleaving.
 * Returns the lease's token; the write's transaction clears it when it commits (`releaseSegment` on failure).
 */
export async function claimSegment(db: Db, subscriptionId: string, id: string, now: Date): Promise<string> {
  const token = randomBase62(16);
  const claimed = await db
    .updateTable("segments")
    .set({
      write_lease: token,
      write_lease_until: new Date(now.getTime() + segmentLimits.leaseMs).toISOString(),
    })
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .where((eb) => eb.or([eb("write_lease", "is", null), eb("write_lease_until", "<", now.toISOString())]))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 1) return token;
  const exists = await db
    .selectFrom("segments")
    .select("id")
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  throw exists ? operationInProgress(id) : segmentNotFound(id);
}

/** Frees the segment after a write that failed (its transaction rolled back, so the lease is still set). */
export async function releaseSegment(db: Db, id: string, token: string): Promise<void> {
  await db
    .updateTable("segments")
    .set({ write_lease: null, write_lease_until: null })
    .where("id", "=", id)
    .where("write_lease", "=", token)
    .execute();
}
