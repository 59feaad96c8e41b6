/** The aggregation benchmark's five questions as pipelines (aggregation.ts, scale.ts), each with how to compare answers. */
import type { Row } from "./seed-events.js";

export interface AggregationQuestion {
  readonly name: string;
  readonly pipeline: unknown[];
  /** An answer in one comparable form (rows sorted, numbers as numbers). */
  readonly normalise: (rows: Row[]) => string;
}

/** The last `n` UTC days, today included, as a pipeline's timeSeries. */
export const days = (n: number) => ({
  period: "dayRange",
  first: `now() - ${n - 1} * 24 * 60 * 60 * 1000`,
  count: n,
});

export const sorted = (rows: Row[], fields: string[]) =>
  JSON.stringify(
    rows
      .map((r) =>
        fields.map((f) => (Number.isFinite(Number(r[f])) && typeof r[f] !== "string" ? Number(r[f]) : r[f])),
      )
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );

/** Over the generated events (seed-events.ts), with the pages and features `tagSectionsAndButtons` made. */
export function questionPipelines(
  pages: readonly string[],
  features: readonly string[],
): AggregationQuestion[] {
  return [
    {
      name: "Daily active visitors, 30 days",
      pipeline: [
        { source: { events: null, timeSeries: days(30) } },
        { group: { group: ["day"], fields: { visitors: { count: "visitorId" } } } },
      ],
      normalise: (rows) => sorted(rows, ["day", "visitors"]),
    },
    {
      name: "Top pages, 7 days",
      pipeline: [
        { source: { pageEvents: null, timeSeries: days(7) } },
        { group: { group: ["pageId"], fields: { views: { sum: "numEvents" } } } },
        { sort: ["-views"] },
        { limit: 5 },
      ],
      normalise: (rows) => sorted(rows, ["pageId", "views"]),
    },
    {
      name: "Feature use per account, 30 days",
      pipeline: [
        { source: { featureEvents: null, timeSeries: days(30) } },
        { group: { group: ["accountId", "featureId"], fields: { clicks: { sum: "numEvents" } } } },
      ],
      normalise: (rows) => sorted(rows, ["accountId", "featureId", "clicks"]),
    },
    {
      name: "Track events by type, 30 days",
      pipeline: [
        { source: { trackEvents: null, timeSeries: days(30) } },
        { group: { group: ["trackTypeId"], fields: { events: { sum: "numEvents" } } } },
      ],
      normalise: (rows) => sorted(rows, ["trackTypeId", "events"]),
    },
    {
      name: "Funnel: section-1 page, then button 1 (spawn/join), 7 days",
      pipeline: [
        {
          spawn: [
            [
              { source: { pageEvents: { pageId: pages[1] }, timeSeries: days(7) } },
              { group: { group: ["visitorId"] } },
            ],
            [
              { source: { featureEvents: { featureId: features[1] }, timeSeries: days(7) } },
              { group: { group: ["visitorId"] } },
            ],
          ],
        },
        { join: { fields: ["visitorId"], width: 2 } },
        { count: null },
      ],
      normalise: (rows) => sorted(rows, ["count"]),
    },
  ];
}
