import type { Transaction } from "kysely";
import { type AuditAction, recordAudit } from "../../access/audit/audit-log.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { FeedbackCaller } from "./feedback-caller.js";

/**
 * Records a change to an idea in the audit log, in the change's own transaction, when the caller is audited (a
 * signed-in user of the admin API: `keyId` is then the user's id, the actor); a Feedback key's changes are not.
 */
export async function auditIdeaChange(
  trx: Transaction<MetadataSchema>,
  caller: FeedbackCaller,
  change: { action: AuditAction; ideaId: string; at: string; detail?: Record<string, unknown> },
): Promise<void> {
  if (!caller.audit) return;
  await recordAudit(trx, {
    subscriptionId: caller.subscriptionId,
    actor: caller.keyId,
    action: change.action,
    target: change.ideaId,
    ip: caller.audit.ip,
    detail: change.detail,
    at: new Date(change.at),
  });
}
