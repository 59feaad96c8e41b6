import { type Static, Type } from "@sinclair/typebox";
import { type AggregationDeps, runAggregation } from "../aggregation/run/run-aggregation.js";
import type { Definitions, FeatureDefinition, PageDefinition } from "../tagging/definitions.js";
import { matchesAny } from "../tagging/shared/regex-match.js";

const day = 86_400_000;
const hour = 3_600_000;

/** One entry of a visitor's history (pendo-api.md §3.2, as tap-pendo reads it); every field present. */
export const historyEntrySchema = Type.Object({
  type: Type.Union(
    [Type.Literal("page"), Type.Literal("untagged"), Type.Literal("feature"), Type.Literal("guide")],
    {
      description:
        "page: a page load on a tagged page; untagged: on no tagged page; feature: clicks on a tagged feature; guide: a guide's events",
    },
  ),
  ts: Type.Number({ description: "when it began (epoch ms)" }),
  lastTs: Type.Number({ description: "the time of its last event (epoch ms)" }),
  duration: Type.Number({ description: "lastTs − ts, in ms" }),
  uri: Type.Union([Type.String(), Type.Null()]),
  untaggedUrl: Type.Union([Type.String(), Type.Null()]),
  pageId: Type.Union([Type.String(), Type.Null()]),
  featureId: Type.Union([Type.String(), Type.Null()]),
  guideId: Type.Union([Type.String(), Type.Null()]),
  guideStepId: Type.Union([Type.String(), Type.Null()]),
  appId: Type.String(),
  parsedUserAgent: Type.Object({
    name: Type.Union([Type.String(), Type.Null()]),
    version: Type.Union([Type.String(), Type.Null()]),
    os: Type.Union([Type.String(), Type.Null()]),
  }),
});

export type HistoryEntry = Static<typeof historyEntrySchema>;

/** An event as the history pipeline gives it. */
interface HistoryEvent {
  readonly type: string;
  readonly browserTime: number;
  readonly appId: string;
  readonly url: string | null;
  readonly elementPath: string | null;
  readonly guideId: string | null;
  readonly guideStepId: string | null;
  readonly parsedUserAgent: { name: string | null; version: string | null; os: string | null };
}

/**
 * The aggregation giving one visitor's events of one day: analytics events (`singleEvents`) and guide events,
 * each in every app, the Exclude List applied as asked, oldest first, the user agent parsed.
 */
export function historyPipeline(visitorId: string, start: number, blacklist: string): unknown {
  // Periods snap to the hour: read the hours that cover the day, then keep the day to the millisecond.
  const first = Math.floor(start / hour) * hour;
  const timeSeries = { period: "hourRange", first, count: Math.ceil((start + day - first) / hour) };
  const params = { appId: 'expandAppIds("*")', blacklist };
  const common = [
    { filter: { field: "visitorId", operator: "==", value: visitorId } },
    { filter: `browserTime >= ${start} && browserTime < ${start + day}` },
    { useragent: { parsedUserAgent: "userAgent" } },
  ];
  const fields = {
    type: "type",
    browserTime: "browserTime",
    eventId: "eventId",
    appId: "appId",
    url: "url",
    elementPath: "elementPath",
    "parsedUserAgent.name": "parsedUserAgent.name",
    "parsedUserAgent.version": "parsedUserAgent.version",
    "parsedUserAgent.os": "parsedUserAgent.os",
  };
  return {
    response: { mimeType: "application/json" },
    request: {
      pipeline: [
        {
          spawn: [
            [{ source: { singleEvents: params, timeSeries } }, ...common, { select: fields }],
            [
              { source: { guideEvents: params, timeSeries } },
              ...common,
              { select: { ...fields, guideId: "guideId", guideStepId: "guideStepId" } },
            ],
          ],
        },
        { cat: null },
        { sort: ["browserTime", "eventId"] },
      ],
    },
  };
}

function pageOf(pages: readonly PageDefinition[], appId: string, url: string): PageDefinition | undefined {
  return pages.find((p) => p.appId === appId && matchesAny(p.include, url) && !matchesAny(p.exclude, url));
}

function featureOf(
  definitions: Definitions,
  appId: string,
  elementPath: string,
  url: string | null,
): FeatureDefinition | undefined {
  return definitions.features.find((f) => {
    if (f.appId !== appId || !matchesAny(f.selectors, elementPath)) return false;
    if (f.pageId === null || f.appWide) return true;
    const page = definitions.pages.find((p) => p.id === f.pageId);
    return (
      page !== undefined && url !== null && matchesAny(page.include, url) && !matchesAny(page.exclude, url)
    );
  });
}

/**
 * A day of events as Pendo's history entries: a page load opens a `page` (or `untagged`) entry that lasts until
 * the last event before the next load; clicks on a tagged feature, and a guide's events, are entries of their
 * own, consecutive ones of the same feature (guide step) merged. Untagged clicks, other interactions and track
 * events only extend the page they happened on.
 */
export function historyEntries(events: readonly HistoryEvent[], definitions: Definitions): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let page: HistoryEntry | null = null;
  const entry = (
    e: HistoryEvent,
    fields: Partial<HistoryEntry> & Pick<HistoryEntry, "type">,
  ): HistoryEntry => ({
    ts: e.browserTime,
    lastTs: e.browserTime,
    duration: 0,
    uri: e.url,
    untaggedUrl: null,
    pageId: null,
    featureId: null,
    guideId: null,
    guideStepId: null,
    appId: e.appId,
    parsedUserAgent: { ...e.parsedUserAgent },
    ...fields,
  });
  const extend = (target: HistoryEntry, at: number) => {
    target.lastTs = Math.max(target.lastTs, at);
    target.duration = target.lastTs - target.ts;
  };
  for (const e of events) {
    const last = entries.at(-1);
    if (e.type === "load" && e.url !== null) {
      const tagged = pageOf(definitions.pages, e.appId, e.url);
      page = entry(
        e,
        tagged ? { type: "page", pageId: tagged.id } : { type: "untagged", untaggedUrl: e.url },
      );
      entries.push(page);
      continue;
    }
    if (page !== null && page.appId === e.appId) extend(page, e.browserTime);
    if (e.type === "click" && e.elementPath !== null) {
      const feature = featureOf(definitions, e.appId, e.elementPath, e.url);
      if (!feature) continue;
      if (last?.type === "feature" && last.featureId === feature.id && last.uri === e.url)
        extend(last, e.browserTime);
      else entries.push(entry(e, { type: "feature", featureId: feature.id }));
    } else if (e.guideId !== null && e.guideId !== undefined) {
      if (last?.type === "guide" && last.guideId === e.guideId && last.guideStepId === e.guideStepId)
        extend(last, e.browserTime);
      else entries.push(entry(e, { type: "guide", guideId: e.guideId, guideStepId: e.guideStepId }));
    }
  }
  return entries;
}

/**
 * One day of a visitor's history from `start` (epoch ms): their events read through the query engine (one
 * aggregation), matched to the subscription's pages and features.
 */
export async function visitorHistory(
  deps: AggregationDeps,
  subscriptionId: string,
  visitorId: string,
  start: number,
  blacklist: "apply" | "ignore" | "only" = "apply",
): Promise<HistoryEntry[]> {
  const { results } = await runAggregation(
    deps,
    subscriptionId,
    historyPipeline(visitorId, start, blacklist),
  );
  const definitions = await deps.definitions(subscriptionId, new Set(["pages", "features"]));
  return historyEntries(results as unknown as HistoryEvent[], definitions);
}
