import type { Kysely, Selectable, Transaction } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { ExcludeRulesTable, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { ExcludeRule } from "../admin-answers.js";
import { recordAudit } from "../audit/audit-log.js";
import { normaliseExcludeRule } from "./exclude-rules.js";

export type { ExcludeRule } from "../admin-answers.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

/** The longest note accepted on a rule, after trimming. */
export const maxNoteLength = 200;

/** The name of the `cache_revisions` counter every server's Exclude List cache polls. */
export const excludeRevisionName = "exclude";

/** What adding a rule needs; `pattern` is normalised (see normaliseExcludeRule) before it is stored. */
export interface AddExcludeRuleInput {
  readonly subscriptionId: string;
  /** Checked here, so callers may pass what they received. */
  readonly kind: string;
  readonly pattern: string;
  readonly note?: string | null;
  /** A user id, or `cli`. */
  readonly actor: string;
  readonly ip?: string | null;
}

/** What removing a rule needs; a rule of another subscription is not found. */
export interface RemoveExcludeRuleInput {
  readonly subscriptionId: string;
  readonly id: string;
  readonly actor: string;
  readonly ip?: string | null;
}

/** Every server drops its Exclude List cache when this moves; bump it in the change's transaction. */
export async function bumpExcludeRevision(trx: Trx): Promise<void> {
  await trx
    .updateTable("cache_revisions")
    .set((eb) => ({ revision: eb("revision", "+", 1) }))
    .where("name", "=", excludeRevisionName)
    .execute();
}

function toExcludeRule(row: Selectable<ExcludeRulesTable>): ExcludeRule {
  return {
    id: row.id,
    kind: row.kind,
    pattern: row.pattern,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

function duplicate(rule: { id: string; kind: string; pattern: string }): CairnError {
  return new CairnError("conflict", {
    message: `The Exclude List already has the ${rule.kind} rule "${rule.pattern}" (${rule.id}).`,
  });
}

/**
 * Adds a rule; events received from then on that match it are flagged `excluded` on every server within the
 * cache's poll interval. A rule equal to an existing one (after normalisation) is refused with 409 `conflict`
 * naming the existing rule's id, so a script that adds the same rule twice learns it is already there.
 */
export async function addExcludeRule(
  db: Db,
  input: AddExcludeRuleInput,
  now: Date = new Date(),
): Promise<ExcludeRule> {
  const { kind, pattern } = normaliseExcludeRule(input.kind, input.pattern);
  const note = input.note?.trim() || null;
  if (note !== null && note.length > maxNoteLength) {
    throw new CairnError("bad_request", {
      message: `A note on an Exclude List rule has at most ${maxNoteLength} characters; this one has ${note.length}.`,
    });
  }
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("exclude_rules")
      .select(["id", "kind", "pattern"])
      .where("subscription_id", "=", input.subscriptionId)
      .where("kind", "=", kind)
      .where("pattern", "=", pattern)
      .executeTakeFirst();
    if (existing) throw duplicate(existing);
    const row: ExcludeRulesTable = {
      id: newId("exr"),
      subscription_id: input.subscriptionId,
      kind,
      pattern,
      note,
      created_at: now.toISOString(),
      created_by: input.actor,
    };
    try {
      await trx.insertInto("exclude_rules").values(row).execute();
    } catch (error) {
      // Two servers adding the same rule at once: the unique constraint decides, with the same answer.
      if (error instanceof Error && /unique/i.test(error.message)) throw duplicate(row);
      throw error;
    }
    await bumpExcludeRevision(trx);
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "exclude_rule.added",
      target: row.id,
      ip: input.ip ?? null,
      detail: { kind, pattern, note },
      at: now,
    });
    return toExcludeRule(row);
  });
}

/** The subscription's rules, oldest first. */
export async function listExcludeRules(db: Db | Trx, subscriptionId: string): Promise<ExcludeRule[]> {
  const rows = await db
    .selectFrom("exclude_rules")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toExcludeRule);
}

/** Removes a rule (events flagged while it held stay flagged); another subscription's id answers 404. */
export async function removeExcludeRule(
  db: Db,
  input: RemoveExcludeRuleInput,
  now: Date = new Date(),
): Promise<ExcludeRule> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("exclude_rules")
      .selectAll()
      .where("id", "=", input.id)
      .where("subscription_id", "=", input.subscriptionId)
      .executeTakeFirst();
    if (!row) {
      throw new CairnError("not_found", {
        message: `No Exclude List rule ${input.id} in this subscription.`,
      });
    }
    await trx.deleteFrom("exclude_rules").where("id", "=", row.id).execute();
    await bumpExcludeRevision(trx);
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "exclude_rule.removed",
      target: row.id,
      ip: input.ip ?? null,
      detail: { kind: row.kind, pattern: row.pattern },
      at: now,
    });
    return toExcludeRule(row);
  });
}
