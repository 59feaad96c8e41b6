import type { CompiledQuery } from "../../../store/events/sql-dialect.js";
import { fail, type StagePlace } from "../pipeline/pipeline-error.js";
import { aggregatedEventSource, perEventSource } from "./event-sources.js";
import { pushGroup, pushIdentified } from "./group-pushdown.js";
import { groupStage, reduceStage } from "./group-stages.js";
import { expandStage, segmentStage, unwindStage, useragentStage } from "./lookup-stages.js";
import { accountsSource, definitionsSource, visitorsSource } from "./object-sources.js";
import { orderBy } from "./order-by.js";
import type { Field, Relation } from "./relation.js";
import {
  countStage,
  evalStage,
  filterStage,
  identifiedStage,
  limitStage,
  selectStage,
  sortStage,
  switchStage,
  unmarshalStage,
} from "./row-stages.js";
import { everRange, guidesSeenSource, pollsSeenSource } from "./seen-sources.js";
import type { PipelineContext } from "./source-context.js";
import { isRecord, type StageInput } from "./stage-context.js";
import { catStreams, joinStreams, mergeRows } from "./stream-stages.js";
import { readTimeSeries } from "./time-series.js";

/** Rows, or after `spawn`/`fork` several streams of rows waiting for `join` or `cat`. */
type Flow = { readonly rows: Relation } | { readonly streams: readonly Relation[] };

const eventSources = [
  "events",
  "pageEvents",
  "featureEvents",
  "trackEvents",
  "singleEvents",
  "guideEvents",
  "pollEvents",
  "guidesSeen",
  "pollsSeen",
];
const objectSources = [
  "visitors",
  "accounts",
  "pages",
  "features",
  "trackTypes",
  "guides",
  "guidesSeenEver",
  "pollsSeenEver",
];
export const sourceNames = [...eventSources, ...objectSources];

const rowStages: Record<string, (input: StageInput, spec: unknown) => Relation> = {
  identified: identifiedStage,
  filter: filterStage,
  select: selectStage,
  eval: evalStage,
  group: groupStage,
  reduce: reduceStage,
  sort: sortStage,
  limit: limitStage,
  count: (input) => countStage(input),
  unwind: unwindStage,
  segment: segmentStage,
  expand: expandStage,
  bulkExpand: expandStage,
  useragent: useragentStage,
  unmarshal: unmarshalStage,
  switch: switchStage,
};
export const stageNames = [
  "source",
  ...Object.keys(rowStages),
  "spawn",
  "fork",
  "join",
  "cat",
  "merge",
].sort();

function compileSource(ctx: PipelineContext, place: StagePlace, spec: unknown): Relation {
  if (!isRecord(spec)) return fail(place, null, 'takes {"<source name>": params or null, "timeSeries": {…}}');
  const names = Object.keys(spec).filter((k) => k !== "timeSeries");
  if (names.length !== 1)
    return fail(
      place,
      null,
      `names exactly one source (${names.length === 0 ? "none given" : names.join(", ")}); the sources are ${sourceNames.join(", ")}`,
    );
  const name = names[0] as string;
  if (!sourceNames.includes(name))
    return fail(place, name, `is not a source; the sources are ${sourceNames.join(", ")}`);
  const raw = spec[name];
  if (raw !== null && raw !== undefined && !isRecord(raw))
    return fail(place, name, "its parameters must be an object or null");
  const params: Record<string, unknown> = raw ?? {};
  const timeSeries = spec.timeSeries ?? params.timeSeries;
  if (objectSources.includes(name)) {
    if (name === "visitors") return visitorsSource(ctx, place, params);
    if (name === "accounts") return accountsSource(ctx, place, params);
    if (name === "pollsSeenEver") return pollsSeenSource(ctx, place, params, everRange);
    if (name === "guidesSeenEver") return guidesSeenSource(ctx, place, params, everRange);
    return definitionsSource(ctx, place, name as "pages", params);
  }
  if (timeSeries === undefined || timeSeries === null)
    return fail(
      place,
      "timeSeries",
      `${name} needs a time range: "timeSeries": {"period": "dayRange", "first": "now()", "count": -30}`,
    );
  const range = readTimeSeries(place, timeSeries, ctx.now);
  const id = (field: string): string | undefined => {
    const value = params[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string" || value === "") return fail(place, field, "must be a non-empty string");
    return value;
  };
  switch (name) {
    case "events":
      return aggregatedEventSource(ctx, place, params, range, { kind: "none" });
    case "pageEvents":
      return aggregatedEventSource(ctx, place, params, range, { kind: "page", pageId: id("pageId") });
    case "pollsSeen":
      return pollsSeenSource(ctx, place, params, range);
    case "guidesSeen":
      return guidesSeenSource(ctx, place, params, range);
    case "featureEvents":
      return aggregatedEventSource(ctx, place, params, range, {
        kind: "feature",
        featureId: id("featureId"),
      });
    case "trackEvents":
      return aggregatedEventSource(ctx, place, params, range, {
        kind: "trackType",
        trackTypeId: id("trackTypeId"),
      });
    default:
      return perEventSource(ctx, place, name as "singleEvents", params, range);
  }
}

function subPipelines(place: StagePlace, spec: unknown): unknown[][] {
  if (!Array.isArray(spec) || spec.length === 0 || !spec.every((p) => Array.isArray(p) && p.length > 0))
    return fail(place, null, "takes a list of pipelines (each a list of stages)");
  if (spec.length > 32) return fail(place, null, "takes at most 32 pipelines");
  return spec as unknown[][];
}

const maxStages = 200;

/** Type-checks and compiles stages from `from` on (a sub-pipeline of fork starts from its rows). */
export function compileStages(ctx: PipelineContext, stages: unknown, at: string, from?: Relation): Flow {
  if (!Array.isArray(stages) || (stages.length === 0 && !from))
    return fail({ at, stage: "" }, null, "a pipeline is a list of stages, starting with a source");
  if (stages.length > maxStages)
    return fail({ at, stage: "" }, null, `a pipeline has at most ${maxStages} stages`);
  let flow: Flow | null = from ? { rows: from } : null;
  for (const [i, stage] of stages.entries()) {
    const stageAt = `${at}[${i}]`;
    if (!isRecord(stage) || Object.keys(stage).length !== 1)
      return fail(
        { at: stageAt, stage: "" },
        null,
        `each stage is an object with one key, its name: ${stageNames.join(", ")}`,
      );
    const [name, spec] = Object.entries(stage)[0] as [string, unknown];
    const place = { at: stageAt, stage: name };
    if (name === "source") {
      if (flow)
        return fail(
          place,
          null,
          "a source starts a pipeline; to read another source here use spawn, fork or merge",
        );
      flow = { rows: compileSource(ctx, place, spec) };
      continue;
    }
    if (name === "spawn") {
      if (flow && "streams" in flow)
        return fail(place, null, "comes after join or cat, not after another spawn or fork");
      const streams: Relation[] = subPipelines(place, spec).map(
        (p, j): Relation => finishFlow(ctx, compileStages(ctx, p, `${stageAt}.spawn[${j}]`)),
      );
      flow = { streams: flow ? [flow.rows, ...streams] : streams };
      continue;
    }
    if (!flow) return fail(place, null, "the pipeline must start with a source (or spawn) stage");
    if (name === "fork") {
      if ("streams" in flow)
        return fail(place, null, "comes after join or cat, not after another spawn or fork");
      const rows: Relation = flow.rows;
      const streams: Relation[] = subPipelines(place, spec).map(
        (p, j): Relation => finishFlow(ctx, compileStages(ctx, p, `${stageAt}.fork[${j}]`, rows)),
      );
      flow = { streams };
      continue;
    }
    // One stream already (Pendo's NPS pipelines put a cat after pollsSeenEver): nothing to concatenate.
    if (name === "cat" && !("streams" in flow)) continue;
    if (name === "join" || name === "cat") {
      if (!("streams" in flow))
        return fail(place, null, `${name} combines the streams of a spawn or fork before it`);
      flow = {
        rows: name === "join" ? joinStreams(ctx, place, flow.streams, spec) : catStreams(ctx, flow.streams),
      };
      continue;
    }
    if ("streams" in flow)
      return fail(place, null, "after spawn or fork, the streams must be combined with join or cat first");
    if (name === "merge") {
      if (!isRecord(spec) || !Array.isArray(spec.fields) || !spec.fields.every((f) => typeof f === "string"))
        return fail(
          place,
          null,
          'takes {"fields": ["key"], "mappings": {"out": "field"} (optional), "pipeline": [...]}',
        );
      const mappings = spec.mappings;
      if (
        mappings !== undefined &&
        mappings !== null &&
        (!isRecord(mappings) || !Object.values(mappings).every((v) => typeof v === "string"))
      )
        return fail(
          place,
          "mappings",
          'must map output names to the merged rows\' fields: {"groupId": "group.id"}',
        );
      const right = finishFlow(ctx, compileStages(ctx, spec.pipeline, `${stageAt}.merge.pipeline`));
      flow = {
        rows: mergeRows(
          ctx,
          place,
          flow.rows,
          right,
          spec.fields as string[],
          (mappings as Record<string, string>) ?? null,
        ),
      };
      continue;
    }
    const compile = rowStages[name];
    if (!compile) return fail(place, null, `is not a stage; the stages are ${stageNames.join(", ")}`);
    const rows: Relation = compile({ ctx, place, relation: flow.rows }, spec);
    // Checked as written first (so errors are the stage's own); then, where it can, answered from the rollups.
    if (name === "group") flow = { rows: pushGroup(ctx, flow.rows, spec) ?? rows };
    else if (name === "identified" && (spec === "visitorId" || spec === "!visitorId"))
      flow = { rows: pushIdentified(flow.rows, rows, ctx.dialect, spec.startsWith("!")) };
    else flow = { rows };
  }
  return flow as Flow;
}

/** Streams left uncombined at the end of a pipeline are concatenated. */
function finishFlow(ctx: PipelineContext, flow: Flow): Relation {
  return "rows" in flow ? flow.rows : catStreams(ctx, flow.streams);
}

export interface CompiledAggregation {
  readonly query: CompiledQuery;
  /** The result's fields in output order, with their types (to shape rows). */
  readonly fields: readonly Field[];
}

/** The whole pipeline as one statement, its rows in their deterministic order, at most `maxRows + 1` of them. */
export function compileAggregation(
  ctx: PipelineContext,
  pipeline: unknown,
  maxRows: number,
): CompiledAggregation {
  const relation = finishFlow(ctx, compileStages(ctx, pipeline, "pipeline"));
  const d = ctx.dialect;
  const ctes = ctx.state.ctes.map((c) => `${c.name} AS (${c.sql})`).join(",\n");
  const columns = relation.fields.map((f) => d.ident(f.name)).join(", ") || "1";
  const sql = `WITH ${ctes}\nSELECT ${columns} FROM ${relation.cte} ORDER BY ${orderBy(d, relation)} LIMIT ${maxRows + 1}`;
  return { query: { engine: d.engine, sql, params: { ...ctx.state.params } }, fields: relation.fields };
}
