import type { Kysely, Selectable, Transaction } from "kysely";
import type { Actor } from "../../../access/audit/actor.js";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { newId } from "../../../platform/ids/new-id.js";
import type { MetadataSchema, TrackTypesTable } from "../../../store/metadata/metadata-schema.js";
import { appForWrite } from "../shared/app-of.js";
import { checkedList, checkedName, isUniqueViolation } from "../shared/input-checks.js";
import type { ObjectFilter } from "../shared/object-filter.js";
import { pendoUsersOf } from "../shared/pendo-user.js";
import { taggingLimits } from "../shared/tagging-limits.js";
import { recordTaggingChange } from "../shared/tagging-revision.js";
import { type PendoTrackType, trackTypeShape } from "./track-type-shape.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

/**
 * What a create or an update carries; an update changes only the fields given. Without `trackTypeName`, a
 * create takes `name` as the event name (and the other way round).
 */
export interface TrackTypeInput {
  readonly name?: string;
  readonly trackTypeName?: string;
  readonly appId?: string | null;
  readonly trackTypeRules?: readonly string[];
  readonly eventPropertyNameList?: readonly string[];
}

const nameLength = taggingLimits.trackTypeNameLength;

function lists(input: TrackTypeInput) {
  const { listEntries, listEntryLength } = taggingLimits;
  return {
    rules:
      input.trackTypeRules === undefined
        ? undefined
        : checkedList("trackTypeRules", input.trackTypeRules, listEntries, listEntryLength),
    properties:
      input.eventPropertyNameList === undefined
        ? undefined
        : checkedList("eventPropertyNameList", input.eventPropertyNameList, listEntries, listEntryLength),
  };
}

function notFound(id: string): CairnError {
  return new CairnError("not_found", {
    message: `No track type ${JSON.stringify(id.slice(0, 100))} in this subscription.`,
  });
}

function eventTaken(trackTypeName: string, id: string): CairnError {
  return new CairnError("conflict", {
    message: `This app already has a track type for the event ${JSON.stringify(trackTypeName)} (${id}).`,
  });
}

async function shaped(db: Db | Trx, rows: readonly Selectable<TrackTypesTable>[]): Promise<PendoTrackType[]> {
  const userOf = await pendoUsersOf(
    db,
    rows.flatMap((r) => [r.created_by, r.updated_by]),
  );
  return rows.map((row) => trackTypeShape(row, userOf));
}

/** A live track type of the subscription; a deleted one is not found. */
async function findRow(
  db: Db | Trx,
  subscriptionId: string,
  id: string,
): Promise<Selectable<TrackTypesTable>> {
  const row = await db
    .selectFrom("track_types")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!row) throw notFound(id);
  return row;
}

/**
 * Creates a track type for an event name of one app. The name of a deleted one brings it back (its id again);
 * the name of a live one is a 409 naming it.
 */
export async function createTrackType(
  db: Db,
  subscriptionId: string,
  input: TrackTypeInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoTrackType> {
  const trackTypeName = checkedName("track type", input.trackTypeName ?? input.name ?? "", nameLength);
  const name = checkedName("track type", input.name ?? trackTypeName, nameLength);
  const { rules, properties } = lists(input);
  return db.transaction().execute(async (trx) => {
    const appId = await appForWrite(trx, subscriptionId, input.appId);
    const at = now.toISOString();
    const existing = await trx
      .selectFrom("track_types")
      .selectAll()
      .where("subscription_id", "=", subscriptionId)
      .where("app_id", "=", appId)
      .where("track_type_name", "=", trackTypeName)
      .executeTakeFirst();
    if (existing && existing.deleted_at === null) throw eventTaken(trackTypeName, existing.id);
    const row: Selectable<TrackTypesTable> = {
      id: existing?.id ?? newId("trk"),
      subscription_id: subscriptionId,
      app_id: appId,
      name,
      track_type_name: trackTypeName,
      track_type_rules: JSON.stringify(rules ?? []),
      event_property_name_list: JSON.stringify(properties ?? []),
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
      deleted_at: null,
    };
    try {
      if (existing) await trx.updateTable("track_types").set(row).where("id", "=", existing.id).execute();
      else await trx.insertInto("track_types").values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw eventTaken(trackTypeName, "created just now");
      throw error;
    }
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "track_type.created",
      target: row.id,
      detail: { name, trackTypeName, appId },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoTrackType;
  });
}

/** Changes the fields given; a track type's app cannot change. */
export async function updateTrackType(
  db: Db,
  subscriptionId: string,
  id: string,
  input: TrackTypeInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoTrackType> {
  const name = input.name === undefined ? undefined : checkedName("track type", input.name, nameLength);
  const trackTypeName =
    input.trackTypeName === undefined
      ? undefined
      : checkedName("track type", input.trackTypeName, nameLength);
  const { rules, properties } = lists(input);
  return db.transaction().execute(async (trx) => {
    const old = await findRow(trx, subscriptionId, id);
    if (input.appId !== undefined && input.appId !== null && input.appId !== old.app_id) {
      throw new CairnError("bad_request", {
        message: `Track type ${id} belongs to app ${old.app_id}; a track type's app cannot change.`,
      });
    }
    const row: Selectable<TrackTypesTable> = {
      ...old,
      name: name ?? old.name,
      track_type_name: trackTypeName ?? old.track_type_name,
      track_type_rules: rules === undefined ? old.track_type_rules : JSON.stringify(rules),
      event_property_name_list:
        properties === undefined ? old.event_property_name_list : JSON.stringify(properties),
      updated_at: now.toISOString(),
      updated_by: actor.id,
    };
    if (row.track_type_name !== old.track_type_name) {
      const other = await trx
        .selectFrom("track_types")
        .select(["id", "deleted_at"])
        .where("subscription_id", "=", subscriptionId)
        .where("app_id", "=", old.app_id)
        .where("track_type_name", "=", row.track_type_name)
        .executeTakeFirst();
      if (other && other.deleted_at === null) throw eventTaken(row.track_type_name, other.id);
      // A deleted one of that name makes way: this track type takes the name over.
      if (other) await trx.deleteFrom("track_types").where("id", "=", other.id).execute();
    }
    try {
      await trx.updateTable("track_types").set(row).where("id", "=", id).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw eventTaken(row.track_type_name, "changed just now");
      throw error;
    }
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "track_type.updated",
      target: id,
      detail: { changed: Object.keys(input).filter((k) => k !== "appId") },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoTrackType;
  });
}

/**
 * Deletes a track type. Its row stays as a tombstone, so discovery does not bring it back for the events
 * already stored; track events of that name received after the deletion bring it back (same id).
 */
export async function deleteTrackType(
  db: Db,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoTrackType> {
  return db.transaction().execute(async (trx) => {
    const row = await findRow(trx, subscriptionId, id);
    const shape = (await shaped(trx, [row]))[0] as PendoTrackType;
    await trx
      .updateTable("track_types")
      .set({ deleted_at: now.toISOString(), updated_at: now.toISOString(), updated_by: actor.id })
      .where("id", "=", id)
      .execute();
    await recordTaggingChange(trx, {
      subscriptionId,
      actor,
      action: "track_type.deleted",
      target: id,
      detail: { name: row.name, trackTypeName: row.track_type_name, appId: row.app_id },
      at: now,
    });
    return shape;
  });
}

export async function getTrackType(db: Db, subscriptionId: string, id: string): Promise<PendoTrackType> {
  return (await shaped(db, [await findRow(db, subscriptionId, id)]))[0] as PendoTrackType;
}

/** The subscription's live track types the filter admits, oldest first. */
export async function listTrackTypes(
  db: Db,
  subscriptionId: string,
  filter: ObjectFilter,
): Promise<PendoTrackType[]> {
  if (filter.appIds?.length === 0 || filter.ids?.length === 0) return [];
  const rows = await db
    .selectFrom("track_types")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .where("deleted_at", "is", null)
    .$if(filter.appIds !== null, (q) => q.where("app_id", "in", filter.appIds as string[]))
    .$if(filter.ids !== null, (q) => q.where("id", "in", filter.ids as string[]))
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return shaped(db, rows);
}
