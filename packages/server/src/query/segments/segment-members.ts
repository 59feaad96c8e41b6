import type { Kysely, Transaction } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { segmentLimits } from "./segment-limits.js";

type Db = Kysely<MetadataSchema> | Transaction<MetadataSchema>;

/**
 * Visitor ids as given, checked (non-empty text within the profile store's bound), without repeats, in their
 * first order. `where` names the list in a refusal (`visitors`, `patch[1].value`).
 */
export function checkedVisitorIds(where: string, ids: readonly unknown[]): string[] {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (typeof id !== "string" || id === "") {
      throw new CairnError("bad_request", {
        message: `${where}[${index}] is ${JSON.stringify(id)}; a visitor id is a non-empty string.`,
      });
    }
    if (id.length > segmentLimits.visitorIdLength) {
      throw new CairnError("bad_request", {
        message: `${where}[${index}] has ${id.length} characters; a visitor id has at most ${segmentLimits.visitorIdLength}.`,
      });
    }
    seen.add(id);
  });
  return [...seen];
}

/** Refuses a request that carries more visitor ids than one request may. */
export function checkRequestSize(count: number): void {
  if (count > segmentLimits.visitorsPerRequest) {
    throw new CairnError("bad_request", {
      message: `This request carries ${count.toLocaleString("en")} visitor ids; one request carries at most ${segmentLimits.visitorsPerRequest.toLocaleString("en")}. Add the rest with PATCH /api/v1/segment/:id/visitor.`,
    });
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Adds members, in multi-row statements; ids already members are left as they are. */
export async function addMembers(trx: Db, segmentId: string, visitorIds: readonly string[]): Promise<void> {
  for (const chunk of chunks(visitorIds, segmentLimits.rowsPerStatement)) {
    await trx
      .insertInto("segment_visitors")
      .values(chunk.map((visitorId) => ({ segment_id: segmentId, visitor_id: visitorId })))
      .onConflict((oc) => oc.columns(["segment_id", "visitor_id"]).doNothing())
      .execute();
  }
}

/** Removes members; ids that are not members are ignored. */
export async function removeMembers(
  trx: Db,
  segmentId: string,
  visitorIds: readonly string[],
): Promise<void> {
  for (const chunk of chunks(visitorIds, segmentLimits.rowsPerStatement)) {
    await trx
      .deleteFrom("segment_visitors")
      .where("segment_id", "=", segmentId)
      .where("visitor_id", "in", chunk)
      .execute();
  }
}

export async function removeAllMembers(trx: Db, segmentId: string): Promise<void> {
  await trx.deleteFrom("segment_visitors").where("segment_id", "=", segmentId).execute();
}

export async function countMembers(trx: Db, segmentId: string): Promise<number> {
  const row = await trx
    .selectFrom("segment_visitors")
    .select((eb) => eb.fn.countAll<number | string | bigint>().as("n"))
    .where("segment_id", "=", segmentId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every member's visitor id, in id order. */
export async function membersOf(db: Db, segmentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("segment_visitors")
    .select("visitor_id")
    .where("segment_id", "=", segmentId)
    .orderBy("visitor_id")
    .execute();
  return rows.map((row) => row.visitor_id);
}
