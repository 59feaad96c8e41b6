import type { Kysely, Selectable, Transaction } from "kysely";
import type { Actor } from "../../access/audit/actor.js";
import { type AuditAction, recordAudit } from "../../access/audit/audit-log.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import { randomBase62 } from "../../platform/ids/random-base62.js";
import type { MetadataSchema, SegmentsTable } from "../../store/metadata/metadata-schema.js";
import { checkedName } from "../tagging/shared/input-checks.js";
import { pendoUsersOf } from "../tagging/shared/pendo-user.js";
import { claimSegment, operationInProgress, releaseSegment, segmentNotFound } from "./segment-lease.js";
import { segmentLimits } from "./segment-limits.js";
import {
  addMembers,
  checkedVisitorIds,
  checkRequestSize,
  countMembers,
  membersOf,
  removeAllMembers,
  removeMembers,
} from "./segment-members.js";
import { checkedRule, type SegmentRule } from "./segment-rule.js";
import type { RulePreview, RuleRunner } from "./segment-rule-run.js";
import { type PendoSegment, segmentShape } from "./segment-shape.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;
type Row = Selectable<SegmentsTable>;

/** One operation of `PATCH /segment/:id/visitor`, checked. */
export interface SegmentPatchOperation {
  readonly op: "add" | "remove";
  readonly visitors: readonly string[];
}

/** Pendo's answer to a patch: one entry per operation, in order. */
export interface SegmentMultistatus {
  readonly multistatus: { status: number; message: string; operation: "add" | "remove" }[];
}

/** Where a write is: `processing` while one holds the segment, else `complete`; `entityTagId` moves per write. */
export interface SegmentStatus {
  readonly id: string;
  readonly state: "complete" | "processing";
  readonly entityTagId: string;
  readonly visitorCount: number;
  readonly lastUpdatedAt: number;
}

const segmentName = (name: string) => checkedName("segment", name, segmentLimits.nameLength);

async function shaped(db: Db | Trx, rows: readonly Row[]): Promise<PendoSegment[]> {
  const userOf = await pendoUsersOf(
    db,
    rows.flatMap((r) => [r.created_by, r.updated_by]),
  );
  return rows.map((row) => segmentShape(row, userOf));
}

async function findRow(db: Db | Trx, subscriptionId: string, id: string): Promise<Row> {
  const row = await db
    .selectFrom("segments")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row) throw segmentNotFound(id);
  return row;
}

/**
 * Creates a segment of at least one visitor (Pendo's `POST /segment/upload`). Checked whole before anything is
 * written; the rows go in with the segment in one transaction.
 */
export async function createSegment(
  db: Db,
  subscriptionId: string,
  input: { readonly name: string; readonly visitors: readonly unknown[] },
  actor: Actor,
  options: { readonly createdByApi: boolean },
  now: Date = new Date(),
): Promise<PendoSegment> {
  const name = segmentName(input.name);
  checkRequestSize(input.visitors.length);
  const visitors = checkedVisitorIds("visitors", input.visitors);
  if (visitors.length === 0)
    throw new CairnError("bad_request", { message: "A segment needs at least one visitor." });
  return insertSegment(db, subscriptionId, { name, visitors, rule: null }, actor, options, now);
}

/**
 * Creates a segment from a rule: the visitors it matches now become its members, a snapshot that
 * `refreshSegment` brings up to date. A rule that matches nobody yet makes an empty segment.
 */
export async function createRuleSegment(
  db: Db,
  runner: RuleRunner,
  subscriptionId: string,
  input: { readonly name: string; readonly rule: unknown },
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoSegment> {
  const name = segmentName(input.name);
  const rule = checkedRule(input.rule);
  const visitors = await runner.members(subscriptionId, rule);
  return insertSegment(db, subscriptionId, { name, visitors, rule }, actor, { createdByApi: false }, now);
}

/** What a rule would match now, without saving anything. */
export async function previewRule(
  runner: RuleRunner,
  subscriptionId: string,
  rule: unknown,
): Promise<RulePreview> {
  return runner.preview(subscriptionId, checkedRule(rule));
}

async function insertSegment(
  db: Db,
  subscriptionId: string,
  input: { readonly name: string; readonly visitors: readonly string[]; readonly rule: SegmentRule | null },
  actor: Actor,
  options: { readonly createdByApi: boolean },
  now: Date,
): Promise<PendoSegment> {
  const { name, visitors, rule } = input;
  const at = now.toISOString();
  const row: Row = {
    id: newId("seg"),
    subscription_id: subscriptionId,
    name,
    created_by_api: options.createdByApi ? 1 : 0,
    visitor_count: visitors.length,
    entity_tag: randomBase62(16),
    created_at: at,
    created_by: actor.id,
    updated_at: at,
    updated_by: actor.id,
    write_lease: null,
    write_lease_until: null,
    rule: rule === null ? null : JSON.stringify(rule),
  };
  return db.transaction().execute(async (trx) => {
    await trx.insertInto("segments").values(row).execute();
    await addMembers(trx, row.id, visitors);
    await recordAudit(trx, {
      subscriptionId,
      actor: actor.id,
      action: "segment.created",
      target: row.id,
      ip: actor.ip ?? null,
      detail: { name, visitors: visitors.length, ...(rule === null ? {} : { rule }) },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoSegment;
  });
}

/**
 * One write to an existing segment: takes its lease (409 while another write holds it), runs `change` and
 * updates the count, entity tag and author in one transaction that also frees the lease.
 */
async function writeSegment<T>(
  db: Db,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date,
  change: (
    trx: Trx,
    row: Row,
  ) => Promise<{ result: T; action: AuditAction; detail: Record<string, unknown> }>,
  /** Work done holding the lease but before the transaction opens (a rule's aggregation, which reads the store). */
  prepare?: () => Promise<void>,
): Promise<T> {
  const token = await claimSegment(db, subscriptionId, id, now);
  try {
    await prepare?.();
    return await db.transaction().execute(async (trx) => {
      const row = await findRow(trx, subscriptionId, id);
      // The lease ran out and another write took the segment: this one must not land on top of it.
      if (row.write_lease !== token) throw operationInProgress(id);
      const { result, action, detail } = await change(trx, row);
      if (action !== "segment.deleted") {
        await trx
          .updateTable("segments")
          .set({
            visitor_count: await countMembers(trx, id),
            entity_tag: randomBase62(16),
            updated_at: now.toISOString(),
            updated_by: actor.id,
            write_lease: null,
            write_lease_until: null,
          })
          .where("id", "=", id)
          .execute();
      }
      await recordAudit(trx, {
        subscriptionId,
        actor: actor.id,
        action,
        target: id,
        ip: actor.ip ?? null,
        detail,
        at: now,
      });
      return result;
    });
  } catch (error) {
    await releaseSegment(db, id, token);
    throw error;
  }
}

/** Adds and removes visitors, operation by operation, all or none (Pendo's `PATCH /segment/:id/visitor`). */
export async function patchSegmentVisitors(
  db: Db,
  subscriptionId: string,
  id: string,
  operations: readonly { readonly op: string; readonly path?: string; readonly value: readonly unknown[] }[],
  actor: Actor,
  now: Date = new Date(),
): Promise<SegmentMultistatus> {
  if (operations.length === 0)
    throw new CairnError("bad_request", {
      message: 'patch is empty; give at least one {"op", "path", "value"}.',
    });
  if (operations.length > segmentLimits.patchOperations)
    throw new CairnError("bad_request", {
      message: `patch has ${operations.length} operations; at most ${segmentLimits.patchOperations}.`,
    });
  checkRequestSize(operations.reduce((sum, o) => sum + o.value.length, 0));
  const checked: SegmentPatchOperation[] = operations.map((o, index) => {
    if (o.op !== "add" && o.op !== "remove")
      throw new CairnError("bad_request", {
        message: `patch[${index}].op is ${JSON.stringify(o.op)}; it is "add" or "remove".`,
      });
    if (o.path !== undefined && o.path !== "/visitors")
      throw new CairnError("bad_request", {
        message: `patch[${index}].path is ${JSON.stringify(o.path)}; a segment's visitors are at "/visitors".`,
      });
    return { op: o.op, visitors: checkedVisitorIds(`patch[${index}].value`, o.value) };
  });
  return writeSegment(db, subscriptionId, id, actor, now, async (trx) => {
    for (const o of checked) {
      if (o.op === "add") await addMembers(trx, id, o.visitors);
      else await removeMembers(trx, id, o.visitors);
    }
    return {
      result: {
        multistatus: checked.map((o) => ({ status: 200, message: "success", operation: o.op })),
      },
      action: "segment.updated",
      detail: {
        added: checked.filter((o) => o.op === "add").reduce((n, o) => n + o.visitors.length, 0),
        removed: checked.filter((o) => o.op === "remove").reduce((n, o) => n + o.visitors.length, 0),
      },
    };
  });
}

/** Replaces the visitors (and the name, when given) of a segment (Pendo's `PUT /segment/:id`). */
export async function replaceSegment(
  db: Db,
  subscriptionId: string,
  id: string,
  input: { readonly name?: string; readonly visitors?: readonly unknown[] },
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoSegment> {
  const name = input.name === undefined ? undefined : segmentName(input.name);
  if (input.visitors !== undefined) checkRequestSize(input.visitors.length);
  const visitors = input.visitors === undefined ? undefined : checkedVisitorIds("visitors", input.visitors);
  if (visitors?.length === 0)
    throw new CairnError("bad_request", {
      message: "A segment needs at least one visitor; to remove it, DELETE /api/v1/segment/:id.",
    });
  await writeSegment(db, subscriptionId, id, actor, now, async (trx) => {
    if (name !== undefined) await trx.updateTable("segments").set({ name }).where("id", "=", id).execute();
    if (visitors !== undefined) {
      await removeAllMembers(trx, id);
      await addMembers(trx, id, visitors);
    }
    return {
      result: undefined,
      action: "segment.updated",
      detail: { replaced: visitors?.length ?? null, ...(name === undefined ? {} : { name }) },
    };
  });
  return getSegment(db, subscriptionId, id);
}

/**
 * Runs a rule segment's rule again and makes the visitors it matches now its members (409 while another write
 * holds the segment). A segment that is a list of ids has nothing to refresh.
 */
export async function refreshSegment(
  db: Db,
  runner: RuleRunner,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoSegment> {
  const rule = ruleOf(await findRow(db, subscriptionId, id));
  if (rule === null)
    throw new CairnError("bad_request", {
      message: `Segment ${id} is a list of visitor ids, not a rule: there is nothing to refresh.`,
      hint: "Change its visitors with PUT or PATCH instead.",
    });
  let visitors: string[] = [];
  await writeSegment(
    db,
    subscriptionId,
    id,
    actor,
    now,
    async (trx, row) => {
      await removeAllMembers(trx, id);
      await addMembers(trx, id, visitors);
      return {
        result: undefined,
        action: "segment.refreshed",
        detail: { before: row.visitor_count, visitors: visitors.length },
      };
    },
    async () => {
      visitors = await runner.members(subscriptionId, rule);
    },
  );
  return getSegment(db, subscriptionId, id);
}

function ruleOf(row: Row): SegmentRule | null {
  return row.rule === null ? null : (JSON.parse(row.rule) as SegmentRule);
}

/** Deletes a segment and its visitor rows. */
export async function deleteSegment(
  db: Db,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoSegment> {
  return writeSegment(db, subscriptionId, id, actor, now, async (trx, row) => {
    const shape = (await shaped(trx, [row]))[0] as PendoSegment;
    await removeAllMembers(trx, id);
    await trx.deleteFrom("segments").where("id", "=", id).execute();
    return {
      result: shape,
      action: "segment.deleted",
      detail: { name: row.name, visitors: row.visitor_count },
    };
  });
}

export async function getSegment(db: Db, subscriptionId: string, id: string): Promise<PendoSegment> {
  return (await shaped(db, [await findRow(db, subscriptionId, id)]))[0] as PendoSegment;
}

/** The subscription's segments, oldest first; `createdByApi` keeps only those made through the v1 API (or not). */
export async function listSegments(
  db: Db,
  subscriptionId: string,
  filter: { readonly createdByApi?: boolean } = {},
): Promise<PendoSegment[]> {
  const rows = await db
    .selectFrom("segments")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .$if(filter.createdByApi !== undefined, (q) =>
      q.where("created_by_api", "=", filter.createdByApi ? 1 : 0),
    )
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return shaped(db, rows);
}

export async function segmentStatus(
  db: Db,
  subscriptionId: string,
  id: string,
  now: Date = new Date(),
): Promise<SegmentStatus> {
  const row = await findRow(db, subscriptionId, id);
  const writing =
    row.write_lease !== null && row.write_lease_until !== null && row.write_lease_until > now.toISOString();
  return {
    id: row.id,
    state: writing ? "processing" : "complete",
    entityTagId: row.entity_tag,
    visitorCount: row.visitor_count,
    lastUpdatedAt: Date.parse(row.updated_at),
  };
}

/**
 * A segment's visitor ids, for the aggregation's `segment` stage; undefined when the subscription has no such
 * segment (the stage then refuses the pipeline, naming it).
 */
export async function segmentVisitorIds(
  db: Db,
  subscriptionId: string,
  id: string,
): Promise<string[] | undefined> {
  const row = await db
    .selectFrom("segments")
    .select("id")
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  return row ? membersOf(db, id) : undefined;
}
