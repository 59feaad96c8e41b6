import { stateOfEvent } from "../../../ingest/guide-state-patches.js";
import type { StagePlace } from "../pipeline/pipeline-error.js";
import { eventWhere, props } from "./event-sources.js";
import { addCte, bind, type Field, type Relation } from "./relation.js";
import type { PipelineContext } from "./source-context.js";
import { optionalString } from "./source-params.js";
import type { TimeRange } from "./time-series.js";
import { types } from "./value-type.js";

/** All of time, for `pollsSeenEver` and `guidesSeenEver`. */
export const everRange: TimeRange = { period: "day", start: 0, end: 253_402_300_799_999 };

type Column = [name: string, sql: string, type: Field["type"]];

/** A grouped read of `events`, fields in the order given (alphabetical). */
function grouped(
  ctx: PipelineContext,
  columns: Column[],
  from: string,
  groupBy: string,
  order: string[],
): Relation {
  const d = ctx.dialect;
  const sql = `SELECT ${columns.map(([n, expr]) => `${expr} AS ${d.ident(n)}`).join(", ")} ${from} GROUP BY ${groupBy}`;
  return {
    cte: addCte(ctx.state, sql),
    fields: columns.map(([name, , type]) => ({ name, type })),
    order: order.map((field) => ({ field, descending: false })),
  };
}

/**
 * `pollsSeen` (in the time series) and `pollsSeenEver`: one row per visitor, guide and poll, with the visitor's
 * latest response and when it came (ETL's NPS pipelines, pendo-api.md §3.3.3).
 */
export function pollsSeenSource(
  ctx: PipelineContext,
  place: StagePlace,
  params: Record<string, unknown>,
  range: TimeRange,
): Relation {
  const d = ctx.dialect;
  let where = eventWhere(ctx, place, params, range, ["pollResponse"]);
  const guideId = optionalString(place, params, "guideId");
  const pollId = optionalString(place, params, "pollId");
  if (guideId) where += ` AND ${props(ctx, "guide_id")} = ${d.param(bind(ctx.state, guideId), "string")}`;
  if (pollId) where += ` AND ${props(ctx, "poll_id")} = ${d.param(bind(ctx.state, pollId), "string")}`;
  const response = d.jsonGet(d.parseJson("e.properties"), ["props", "poll_response"]);
  const columns: Column[] = [
    ["accountId", d.valueAtMax("e.account_id", "e.occurred_at"), types.string],
    ["appId", d.valueAtMax("e.app_id", "e.occurred_at"), types.string],
    ["guideId", props(ctx, "guide_id"), types.string],
    ["pollId", props(ctx, "poll_id"), types.string],
    ["response", d.valueAtMax(response, "e.occurred_at"), types.any],
    ["time", `max(${d.epochMs("e.occurred_at")})`, types.number],
    ["visitorId", "e.visitor_id", types.string],
  ];
  return grouped(
    ctx,
    columns,
    `FROM events e WHERE ${where}`,
    `e.visitor_id, ${props(ctx, "guide_id")}, ${props(ctx, "poll_id")}`,
    ["visitorId", "guideId", "pollId"],
  );
}

/**
 * The guide events a step's row is made of: those that set the step's state, as guide.json's stored step state
 * takes them (ingest/guide-state-patches.ts), so `lastState` is the `seenState` the same events give there; and
 * guideTimeout, which sets none but has its own time. guideActivity, guideNotSeen and pollResponse play no part.
 */
const stateEvents = Object.entries(stateOfEvent);
const rowEvents = [...stateEvents.map(([type]) => type), "guideTimeout"];

/**
 * `guidesSeen` (in the time series) and `guidesSeenEver`: one row per visitor, guide and step the visitor's guide
 * events touched (pendo-api.md §3.3.1): when the step was first and last seen and how often, its latest state,
 * and the latest advance and dismissal of it shown automatically (`seen_reason` `auto`, what throttling counts).
 */
export function guidesSeenSource(
  ctx: PipelineContext,
  place: StagePlace,
  params: Record<string, unknown>,
  range: TimeRange,
): Relation {
  const d = ctx.dialect;
  const str = (value: string) => d.param(bind(ctx.state, value), "string");
  const guide = props(ctx, "guide_id");
  const step = props(ctx, "guide_step_id");
  let where = eventWhere(ctx, place, params, range, rowEvents);
  where += ` AND ${guide} IS NOT NULL AND ${step} IS NOT NULL`;
  const guideId = optionalString(place, params, "guideId");
  const guideStepId = optionalString(place, params, "guideStepId");
  if (guideId) where += ` AND ${guide} = ${str(guideId)}`;
  if (guideStepId) where += ` AND ${step} = ${str(guideStepId)}`;
  const ms = d.epochMs("e.occurred_at");
  const when = (condition: string, value: string) => `CASE WHEN ${condition} THEN ${value} END`;
  const isType = (type: string) => `e.type = ${str(type)}`;
  const auto = `${props(ctx, "seen_reason")} = ${str("auto")}`;
  const state = `CASE ${stateEvents.map(([type, s]) => `WHEN ${isType(type)} THEN ${str(s)}`).join(" ")} END`;
  const columns: Column[] = [
    ["accountId", d.valueAtMax("e.account_id", "e.occurred_at"), types.string],
    ["appId", d.valueAtMax("e.app_id", "e.occurred_at"), types.string],
    ["firstSeenAt", `min(${when(isType("guideSeen"), ms)})`, types.number],
    ["guideId", guide, types.string],
    ["guideStepId", step, types.string],
    ["lastAdvancedAutoAt", `max(${when(`${isType("guideAdvanced")} AND ${auto}`, ms)})`, types.number],
    ["lastDismissedAutoAt", `max(${when(`${isType("guideDismissed")} AND ${auto}`, ms)})`, types.number],
    ["lastSeenAt", `max(${when(isType("guideSeen"), ms)})`, types.number],
    // A guideTimeout has no state, and no time here, so the newest event that sets one decides (of two at the
    // same browser time, either: the stored step state takes the later loaded).
    ["lastState", d.valueAtMax(state, when(`${state} IS NOT NULL`, "e.occurred_at")), types.string],
    ["lastTimeoutAt", `max(${when(isType("guideTimeout"), ms)})`, types.number],
    ["seenCount", `CAST(count(${when(isType("guideSeen"), "1")}) AS DOUBLE)`, types.number],
    ["visitorId", "e.visitor_id", types.string],
  ];
  return grouped(ctx, columns, `FROM events e WHERE ${where}`, `e.visitor_id, ${guide}, ${step}`, [
    "visitorId",
    "guideId",
    "guideStepId",
  ]);
}
