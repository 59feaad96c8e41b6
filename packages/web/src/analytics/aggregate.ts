import { api, must } from "../api/api.ts";

/** A period of whole UTC days, as the aggregation's `dayRange` counts them. */
export interface DayRange {
  /** Epoch ms of the first day's start (UTC). */
  readonly first: number;
  readonly days: number;
}

export const dayMs = 24 * 60 * 60 * 1000;

/** Runs an aggregation pipeline as the signed-in person (`POST /api/admin/aggregation`) and gives its rows. */
export async function aggregate<Row>(pipeline: unknown[]): Promise<Row[]> {
  const answer = await must(
    api.POST("/api/admin/aggregation", {
      body: { response: { mimeType: "application/json" }, request: { pipeline } },
    }),
  );
  return answer.results as Row[];
}

/** The source stage of an event source over every app, with or without excluded traffic. */
export function eventSource(source: string, range: DayRange, showExcluded: boolean) {
  return {
    source: {
      [source]: { appId: 'expandAppIds("*")', blacklist: showExcluded ? "ignore" : "apply" },
      timeSeries: { period: "dayRange", first: range.first, count: range.days },
    },
  };
}
