import { type Static, Type } from "@sinclair/typebox";
import type { Selectable } from "kysely";
import type { Actor } from "../../access/audit/actor.js";
import { recordAudit } from "../../access/audit/audit-log.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { EventSink } from "../../store/events/event-sink.js";
import type { BulkDeletesTable } from "../../store/metadata/metadata-schema.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import type { ProfileKind } from "../../store/profiles/profile-records.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";

export const bulkDeleteLimits = {
  /** Ids one request may name. */
  idsPerRequest: 100_000,
  idLength: 512,
  bodyBytes: 8 * 1024 * 1024,
} as const;

/** What a bulk deletion needs: the stores it removes from, and a way to load what ingest has acknowledged. */
export interface BulkDeleteDeps {
  readonly metadata: MetadataStore;
  readonly profiles: ProfileStore;
  readonly sink: EventSink;
  /** Loads every acknowledged event and metadata write still in the ingest log, so the deletion covers them. */
  readonly flushIngest: () => Promise<void>;
}

export const bulkDeleteSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal("visitor"), Type.Literal("account")]),
  state: Type.Union([Type.Literal("running"), Type.Literal("complete"), Type.Literal("failed")]),
  requested: Type.Number({ description: "how many distinct ids were asked for" }),
  removedProfiles: Type.Union([Type.Number(), Type.Null()], {
    description:
      "visitors (with their anonymous aliases) or accounts removed; ids not stored count for nothing",
  }),
  removedEvents: Type.Union([Type.Number(), Type.Null()], {
    description: "events removed (visitors only: an account's events are its visitors')",
  }),
  createdAt: Type.Number({ description: "epoch ms" }),
  createdBy: Type.String({ description: "the id of the integration key that asked" }),
  finishedAt: Type.Union([Type.Number(), Type.Null()], { description: "epoch ms" }),
});

export type BulkDelete = Static<typeof bulkDeleteSchema>;

function shape(row: Selectable<BulkDeletesTable>): BulkDelete {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    requested: row.requested,
    removedProfiles: row.removed_profiles,
    removedEvents: row.removed_events,
    createdAt: Date.parse(row.created_at),
    createdBy: row.created_by,
    finishedAt: row.finished_at === null ? null : Date.parse(row.finished_at),
  };
}

function refuse(message: string): CairnError {
  return new CairnError("bad_request", {
    message,
    hint: 'Send {"visitors": ["id", …]} to /api/v1/bulkdelete/visitor, {"accounts": […]} to /api/v1/bulkdelete/account (or the bare list).',
  });
}

/**
 * The ids of a request body: `{"visitors": […]}` (`{"accounts": […]}` for accounts) or the bare list; each a
 * non-empty string, at least one, repeats counted once.
 */
export function idsOfBody(kind: ProfileKind, body: unknown): string[] {
  const field = kind === "visitor" ? "visitors" : "accounts";
  let list: unknown = body;
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const keys = Object.keys(body);
    const other = keys.find((key) => key !== field);
    if (other !== undefined)
      throw refuse(`Unknown field "${other.slice(0, 100)}": this endpoint takes "${field}".`);
    list = (body as Record<string, unknown>)[field];
  }
  if (!Array.isArray(list)) throw refuse(`The body is {"${field}": [ids]} or the list of ids.`);
  if (list.length === 0) throw refuse(`"${field}" is empty: name at least one ${kind}.`);
  if (list.length > bulkDeleteLimits.idsPerRequest)
    throw refuse(
      `"${field}" has ${list.length.toLocaleString("en")} ids; one request deletes at most ${bulkDeleteLimits.idsPerRequest.toLocaleString("en")}.`,
    );
  list.forEach((id, index) => {
    if (typeof id !== "string" || id === "" || id.length > bulkDeleteLimits.idLength)
      throw refuse(
        `${field}[${index}] is ${JSON.stringify(id)?.slice(0, 100)}; an id is a string of 1 to ${bulkDeleteLimits.idLength} characters.`,
      );
  });
  return [...new Set(list as string[])];
}

/**
 * Deletes visitors or accounts of a subscription, and a visitor's events (and those of the anonymous ids it was
 * seen as), recording the request as a job. What ingest acknowledged before the request is loaded first, so it
 * is deleted too; anything received later is kept. Every step is idempotent: a job that failed can be asked
 * again. The answer is the finished job.
 */
export async function bulkDelete(
  deps: BulkDeleteDeps,
  subscriptionId: string,
  kind: ProfileKind,
  ids: readonly string[],
  actor: Actor,
  now: Date = new Date(),
): Promise<BulkDelete> {
  const db = deps.metadata.db;
  const row: Selectable<BulkDeletesTable> = {
    id: newId("bdel"),
    subscription_id: subscriptionId,
    kind,
    requested: ids.length,
    state: "running",
    removed_profiles: null,
    removed_events: null,
    created_at: now.toISOString(),
    created_by: actor.id,
    finished_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("bulk_deletes").values(row).execute();
    await recordAudit(trx, {
      subscriptionId,
      actor: actor.id,
      action: "bulk_delete.requested",
      target: row.id,
      ip: actor.ip ?? null,
      detail: { kind, requested: ids.length },
      at: now,
    });
  });
  const finish = async (changes: Partial<Selectable<BulkDeletesTable>>) => {
    const finished = { ...row, ...changes, finished_at: new Date().toISOString() };
    await db.updateTable("bulk_deletes").set(finished).where("id", "=", row.id).execute();
    return shape(finished);
  };
  try {
    await deps.flushIngest();
    let removedEvents = 0;
    let removed = [...ids];
    if (kind === "visitor") {
      for (const id of ids) removed.push(...(await deps.profiles.aliasesOf(subscriptionId, id)));
      removed = [...new Set(removed)];
      removedEvents = await deps.sink.deleteVisitors({ subscriptionId, visitorIds: removed });
    }
    const removedProfiles = await deps.profiles.remove(subscriptionId, kind, removed);
    return await finish({
      state: "complete",
      removed_profiles: removedProfiles,
      removed_events: removedEvents,
    });
  } catch (error) {
    await finish({ state: "failed" }).catch(() => undefined);
    throw error;
  }
}

export async function getBulkDelete(
  deps: BulkDeleteDeps,
  subscriptionId: string,
  id: string,
): Promise<BulkDelete> {
  const row = await deps.metadata.db
    .selectFrom("bulk_deletes")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row)
    throw new CairnError("not_found", {
      message: `No bulk delete ${JSON.stringify(id.slice(0, 100))} in this subscription.`,
      hint: "List them with GET /api/v1/bulkdelete.",
    });
  return shape(row);
}

/** The subscription's bulk deletions, newest first. */
export async function listBulkDeletes(deps: BulkDeleteDeps, subscriptionId: string): Promise<BulkDelete[]> {
  const rows = await deps.metadata.db
    .selectFrom("bulk_deletes")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map(shape);
}
