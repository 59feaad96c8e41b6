import type { Kysely, Selectable, Transaction } from "kysely";
import type { Actor } from "../../access/audit/actor.js";
import { recordAudit } from "../../access/audit/audit-log.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataSchema, ReportsTable } from "../../store/metadata/metadata-schema.js";
import {
  type AggregationDeps,
  type AggregationLimits,
  compileAggregationRequest,
  defaultAggregationLimits,
  runAggregation,
} from "../aggregation/run/run-aggregation.js";
import { checkedName } from "../tagging/shared/input-checks.js";
import { pendoUsersOf } from "../tagging/shared/pendo-user.js";
import { type PendoReport, reportShape } from "./report-shape.js";

type Db = Kysely<MetadataSchema>;
type Row = Selectable<ReportsTable>;

export const reportLimits = {
  nameLength: 500,
  /** The saved aggregation request, as JSON text. */
  aggregationBytes: 256 * 1024,
} as const;

/** What the report routes need: the metadata store and what running an aggregation needs. */
export interface ReportDeps extends AggregationDeps {
  readonly aggregationLimits?: AggregationLimits;
}

export interface ReportInput {
  readonly name?: string;
  readonly aggregation?: unknown;
}

function notFound(id: string): CairnError {
  return new CairnError("not_found", {
    message: `No report ${JSON.stringify(id.slice(0, 100))} in this subscription.`,
    hint: "List the reports with GET /api/v1/report.",
  });
}

/**
 * The aggregation as it will be saved, after compiling it as it would run now: a report that cannot run is
 * refused when it is saved (400 `invalid_pipeline` naming the stage), not each time it is read.
 */
async function checkedAggregation(
  deps: ReportDeps,
  subscriptionId: string,
  aggregation: unknown,
): Promise<string> {
  if (aggregation === undefined || aggregation === null)
    throw new CairnError("bad_request", {
      message: 'A report needs "aggregation": a request as POST /api/v1/aggregation takes it.',
    });
  const text = JSON.stringify(aggregation);
  if (text.length > reportLimits.aggregationBytes)
    throw new CairnError("bad_request", {
      message: `The aggregation has ${text.length} characters as JSON; a report keeps at most ${reportLimits.aggregationBytes}.`,
    });
  await compileAggregationRequest(deps, subscriptionId, aggregation, deps.aggregationLimits);
  return text;
}

async function shaped(db: Db | Transaction<MetadataSchema>, rows: readonly Row[]): Promise<PendoReport[]> {
  const userOf = await pendoUsersOf(
    db,
    rows.flatMap((r) => [r.created_by, r.updated_by]),
  );
  return rows.map((row) => reportShape(row, userOf));
}

async function findRow(
  db: Db | Transaction<MetadataSchema>,
  subscriptionId: string,
  id: string,
): Promise<Row> {
  const row = await db
    .selectFrom("reports")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row) throw notFound(id);
  return row;
}

export async function createReport(
  deps: ReportDeps,
  subscriptionId: string,
  input: ReportInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoReport> {
  const name = checkedName("report", input.name ?? "", reportLimits.nameLength);
  const aggregation = await checkedAggregation(deps, subscriptionId, input.aggregation);
  const at = now.toISOString();
  const row: Row = {
    id: newId("rep"),
    subscription_id: subscriptionId,
    name,
    aggregation,
    created_at: at,
    created_by: actor.id,
    updated_at: at,
    updated_by: actor.id,
  };
  return deps.metadata.db.transaction().execute(async (trx) => {
    await trx.insertInto("reports").values(row).execute();
    await recordAudit(trx, {
      subscriptionId,
      actor: actor.id,
      action: "report.created",
      target: row.id,
      ip: actor.ip ?? null,
      detail: { name },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoReport;
  });
}

/** Changes the name, the aggregation, or both; a new aggregation is compiled before it is saved. */
export async function updateReport(
  deps: ReportDeps,
  subscriptionId: string,
  id: string,
  input: ReportInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoReport> {
  const name =
    input.name === undefined ? undefined : checkedName("report", input.name, reportLimits.nameLength);
  await findRow(deps.metadata.db, subscriptionId, id);
  const aggregation =
    input.aggregation === undefined
      ? undefined
      : await checkedAggregation(deps, subscriptionId, input.aggregation);
  return deps.metadata.db.transaction().execute(async (trx) => {
    const old = await findRow(trx, subscriptionId, id);
    const row: Row = {
      ...old,
      name: name ?? old.name,
      aggregation: aggregation ?? old.aggregation,
      updated_at: now.toISOString(),
      updated_by: actor.id,
    };
    await trx.updateTable("reports").set(row).where("id", "=", id).execute();
    await recordAudit(trx, {
      subscriptionId,
      actor: actor.id,
      action: "report.updated",
      target: id,
      ip: actor.ip ?? null,
      detail: { changed: Object.keys(input).filter((k) => k === "name" || k === "aggregation") },
      at: now,
    });
    return (await shaped(trx, [row]))[0] as PendoReport;
  });
}

export async function deleteReport(
  db: Db,
  subscriptionId: string,
  id: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<PendoReport> {
  return db.transaction().execute(async (trx) => {
    const row = await findRow(trx, subscriptionId, id);
    const shape = (await shaped(trx, [row]))[0] as PendoReport;
    await trx.deleteFrom("reports").where("id", "=", id).execute();
    await recordAudit(trx, {
      subscriptionId,
      actor: actor.id,
      action: "report.deleted",
      target: id,
      ip: actor.ip ?? null,
      detail: { name: row.name },
      at: now,
    });
    return shape;
  });
}

export async function getReport(db: Db, subscriptionId: string, id: string): Promise<PendoReport> {
  return (await shaped(db, [await findRow(db, subscriptionId, id)]))[0] as PendoReport;
}

/** The subscription's reports, oldest first. */
export async function listReports(db: Db, subscriptionId: string): Promise<PendoReport[]> {
  const rows = await db
    .selectFrom("reports")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return shaped(db, rows);
}

/**
 * Runs the report's aggregation now, through the query engine as `POST /api/v1/aggregation` would, and gives
 * its rows. Relative times (`now()`) are read at this run.
 */
export async function reportResults(
  deps: ReportDeps,
  subscriptionId: string,
  id: string,
): Promise<Record<string, unknown>[]> {
  const row = await findRow(deps.metadata.db, subscriptionId, id);
  const answer = await runAggregation(
    deps,
    subscriptionId,
    JSON.parse(row.aggregation) as unknown,
    deps.aggregationLimits ?? defaultAggregationLimits,
  );
  return answer.results;
}
