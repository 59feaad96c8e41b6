import { listApps } from "../../../access/apps/app-service.js";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import type { EventQuery } from "../../../store/events/event-query.js";
import { QueryTimeoutError } from "../../../store/events/event-query.js";
import type { MetadataStore } from "../../../store/metadata/metadata-store.js";
import { compileAggregation } from "../compile/compile-pipeline.js";
import type { Definitions } from "../compile/definitions.js";
import { namesMinutesActive } from "../compile/source-context.js";
import { pipelineOf } from "../pipeline/aggregation-request.js";
import { PipelineError } from "../pipeline/pipeline-error.js";
import { shapeRows } from "./shape-rows.js";

export interface AggregationLimits {
  /** Rows one answer may hold; past it the request is refused with a hint to page. */
  readonly maxRows: number;
  /** How long a query may run before it is cancelled. */
  readonly timeoutMs: number;
}

export const defaultAggregationLimits: AggregationLimits = { maxRows: 250_000, timeoutMs: 120_000 };

export interface AggregationDeps {
  readonly metadata: MetadataStore;
  readonly events: EventQuery;
  /**
   * The subscription's pages, features and track types, as the compiler needs them; `sources` names the
   * sources the pipeline reads (track types are discovered from the events only when they are read).
   */
  readonly definitions: (subscriptionId: string, sources: ReadonlySet<string>) => Promise<Definitions>;
  /** Brings the event engine's copy of visitors and accounts up to date (before a query that reads them). */
  readonly syncProfiles?: () => Promise<unknown>;
  readonly segmentVisitors?: (
    subscriptionId: string,
    segmentId: string,
  ) => Promise<readonly string[] | undefined>;
}

export interface AggregationAnswer {
  readonly startTime: number;
  readonly results: Record<string, unknown>[];
}

function invalid(error: PipelineError): CairnError {
  return new CairnError("invalid_pipeline", { message: error.message });
}

/** What a pipeline names anywhere (sub-pipelines included), read before compiling: its sources and segments. */
interface Named {
  readonly sources: Set<string>;
  readonly segments: Set<string>;
}

function namedIn(pipeline: unknown, found: Named = { sources: new Set(), segments: new Set() }): Named {
  if (Array.isArray(pipeline)) for (const item of pipeline) namedIn(item, found);
  else if (typeof pipeline === "object" && pipeline !== null) {
    for (const [key, value] of Object.entries(pipeline)) {
      if (key === "source" && typeof value === "object" && value !== null)
        for (const name of Object.keys(value)) found.sources.add(name);
      else if (key === "segment" && typeof (value as { id?: unknown } | null)?.id === "string")
        found.segments.add((value as { id: string }).id);
      else namedIn(value, found);
    }
  }
  return found;
}

/**
 * Parses, type-checks and compiles an aggregation request without running it: a 400 `invalid_pipeline` names
 * what is wrong. Saved reports are checked with it when they are saved.
 */
export async function compileAggregationRequest(
  deps: AggregationDeps,
  subscriptionId: string,
  body: unknown,
  limits: AggregationLimits = defaultAggregationLimits,
  now: number = Date.now(),
): Promise<ReturnType<typeof compileAggregation>> {
  const apps = await listApps(deps.metadata.db, subscriptionId);
  const segments = new Map<string, readonly string[] | undefined>();
  try {
    const { pipeline } = pipelineOf(body);
    const named = namedIn(pipeline);
    const definitions = await deps.definitions(subscriptionId, named.sources);
    for (const id of named.segments) segments.set(id, await deps.segmentVisitors?.(subscriptionId, id));
    return compileAggregation(
      {
        dialect: deps.events.dialect,
        state: { ctes: [], params: {}, nextId: 0 },
        now,
        subscriptionId,
        appIds: apps.map((a) => a.id),
        defaultAppId: apps.find((a) => a.isDefault)?.id ?? null,
        definitions,
        segmentVisitors: (id) => segments.get(id),
        minutesActive: namesMinutesActive(pipeline),
      },
      pipeline,
      limits.maxRows,
    );
  } catch (error) {
    if (error instanceof PipelineError) throw invalid(error);
    throw error;
  }
}

/** Parses, type-checks and compiles an aggregation request, runs it, and answers in Pendo's shape. */
export async function runAggregation(
  deps: AggregationDeps,
  subscriptionId: string,
  body: unknown,
  limits: AggregationLimits = defaultAggregationLimits,
  now: number = Date.now(),
): Promise<AggregationAnswer> {
  const compiled = await compileAggregationRequest(deps, subscriptionId, body, limits, now);
  if (deps.syncProfiles && /\b(visitor|account)_profiles\b/.test(compiled.query.sql))
    await deps.syncProfiles();
  let rows: Record<string, unknown>[];
  try {
    rows = await deps.events.run<Record<string, unknown>>(compiled.query, { timeoutMs: limits.timeoutMs });
  } catch (error) {
    if (error instanceof QueryTimeoutError)
      throw new CairnError("query_timeout", {
        message: `The aggregation ran for more than ${Math.round(limits.timeoutMs / 1000)} s and was cancelled.`,
      });
    throw error;
  }
  if (rows.length > limits.maxRows)
    throw new CairnError("result_too_large", {
      message: `The aggregation gives more than ${limits.maxRows.toLocaleString("en")} rows, more than one answer holds.`,
    });
  return { startTime: now, results: shapeRows(rows, compiled.fields) };
}
