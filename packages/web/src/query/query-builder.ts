import { type DayRange, eventSource } from "../analytics/aggregate.ts";

export const sources = {
  events: { label: "All events", key: null },
  pageEvents: { label: "Page views", key: "pageId" },
  featureEvents: { label: "Feature clicks", key: "featureId" },
  trackEvents: { label: "Track events", key: "trackTypeId" },
} as const;
export type SourceName = keyof typeof sources;

export const measures = {
  events: { label: "Events", aggregator: { sum: "numEvents" } },
  visitors: { label: "Visitors", aggregator: { count: "visitorId" } },
  accounts: { label: "Accounts", aggregator: { count: "accountId" } },
  minutes: { label: "Minutes active", aggregator: { sum: "numMinutes" } },
} as const;
export type MeasureName = keyof typeof measures;

/** What a question may be grouped by, for a source: the day, who, which app, and the source's own object. */
export function groupChoices(source: SourceName): string[] {
  const key = sources[source].key;
  return ["day", "visitorId", "accountId", "appId", ...(key ? [key] : [])];
}

export interface Question {
  readonly source: SourceName;
  readonly range: DayRange;
  readonly groupBy: string;
  readonly measure: MeasureName;
  readonly showExcluded: boolean;
}

/** The aggregation pipeline that answers the question, exactly as the API takes it. */
export function pipelineOf(question: Question): unknown[] {
  return [
    eventSource(question.source, question.range, question.showExcluded),
    {
      group: {
        group: [question.groupBy],
        fields: { [question.measure]: measures[question.measure].aggregator },
      },
    },
    { sort: question.groupBy === "day" ? ["day"] : [`-${question.measure}`] },
    { limit: 1000 },
  ];
}

/** The whole request body, to paste into `curl` or `cairn query`. */
export function requestOf(question: Question): unknown {
  return { response: { mimeType: "application/json" }, request: { pipeline: pipelineOf(question) } };
}
