import type { Kysely, Transaction } from "kysely";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { AuditRecord } from "../admin-answers.js";

export type { AuditRecord } from "../admin-answers.js";

export type AuditAction =
  | "key.created"
  | "key.rolled"
  | "key.revoked"
  | "key.first_used"
  | "key.failed_attempt"
  | "key.exposed"
  | "key.auto_revoked"
  | "key.sent_in_url"
  | "subscription.updated"
  | "app.created"
  | "app.key_rolled"
  | "app.origins_set"
  | "app.feedback_widget_enabled"
  | "app.feedback_widget_disabled"
  | "app.identity_set"
  | "user.added"
  | "user.removed"
  | "user.changed"
  | "user.sign_in_link"
  | "user.signed_in"
  | "user.sign_in_failed"
  | "user.password_set"
  | "exclude_rule.added"
  | "exclude_rule.removed"
  | "page.created"
  | "page.updated"
  | "page.deleted"
  | "feature.created"
  | "feature.updated"
  | "feature.deleted"
  | "track_type.created"
  | "track_type.updated"
  | "track_type.deleted"
  | "segment.created"
  | "segment.updated"
  | "segment.deleted"
  | "segment.refreshed"
  | "report.created"
  | "report.updated"
  | "report.deleted"
  | "idea.updated"
  | "idea.merged"
  | "idea.deleted"
  | "idea.commented"
  | "bulk_delete.requested"
  | "guide.created"
  | "guide.updated"
  | "guide.state_changed"
  | "guide.deleted"
  | "guide.reset"
  | "visitor.do_not_process";

export interface AuditEntry {
  readonly subscriptionId: string;
  /** A user id, `cli` for the operator's command line, or a key id for what a key did. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly target?: string | null;
  readonly ip?: string | null;
  /** Never a key or a secret. */
  readonly detail?: Record<string, unknown>;
  readonly at?: Date;
}

/** Writes one audit record; pass the transaction of the change so both commit or neither does. */
export async function recordAudit(
  db: Kysely<MetadataSchema> | Transaction<MetadataSchema>,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      id: newId("aud"),
      subscription_id: entry.subscriptionId,
      at: (entry.at ?? new Date()).toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      ip: entry.ip ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

/** Newest first. */
export async function listAudit(
  db: Kysely<MetadataSchema>,
  subscriptionId: string,
  options: { limit?: number; target?: string } = {},
): Promise<AuditRecord[]> {
  const rows = await db
    .selectFrom("audit_log")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .$if(options.target !== undefined, (q) => q.where("target", "=", options.target as string))
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(options.limit ?? 100, 1000))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    ip: row.ip,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  }));
}
