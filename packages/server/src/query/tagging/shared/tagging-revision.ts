import type { Kysely, Transaction } from "kysely";
import type { Actor } from "../../../access/audit/actor.js";
import { type AuditAction, recordAudit } from "../../../access/audit/audit-log.js";
import type { MetadataSchema } from "../../../store/metadata/metadata-schema.js";

/** The `cache_revisions` counter that moves with every change to pages, features or track types. */
export const taggingRevisionName = "tagging";

/** Bump it in the change's own transaction, so a cache that sees the new number also sees the change. */
export async function bumpTaggingRevision(trx: Transaction<MetadataSchema>): Promise<void> {
  await trx
    .updateTable("cache_revisions")
    .set((eb) => ({ revision: eb("revision", "+", 1) }))
    .where("name", "=", taggingRevisionName)
    .execute();
}

export async function readTaggingRevision(db: Kysely<MetadataSchema>): Promise<number> {
  const row = await db
    .selectFrom("cache_revisions")
    .select("revision")
    .where("name", "=", taggingRevisionName)
    .executeTakeFirst();
  return row?.revision ?? 0;
}

/** A change to a tagged object, made in `trx`: caches see it (the revision moves) and the audit log records it. */
export async function recordTaggingChange(
  trx: Transaction<MetadataSchema>,
  change: {
    subscriptionId: string;
    actor: Actor;
    action: AuditAction;
    target: string;
    detail?: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await bumpTaggingRevision(trx);
  await recordAudit(trx, {
    subscriptionId: change.subscriptionId,
    actor: change.actor.id,
    action: change.action,
    target: change.target,
    ip: change.actor.ip ?? null,
    ...(change.detail ? { detail: change.detail } : {}),
    at: change.at,
  });
}
