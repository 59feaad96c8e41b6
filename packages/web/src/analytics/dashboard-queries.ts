import { useQuery } from "@tanstack/react-query";
import { aggregate, type DayRange, eventSource } from "./aggregate.ts";

export interface DailyRow {
  readonly day: number;
  readonly visitors: number;
  readonly accounts: number;
  readonly events: number;
}

export interface TopRow {
  readonly id: string;
  readonly name: string | null;
  readonly events: number;
  readonly visitors: number;
}

/** The pipelines behind the dashboard; the query page shows the same JSON to copy. */
export const dashboardPipelines = {
  daily: (range: DayRange, showExcluded: boolean) => [
    eventSource("events", range, showExcluded),
    {
      group: {
        group: ["day"],
        fields: {
          visitors: { count: "visitorId" },
          accounts: { count: "accountId" },
          events: { sum: "numEvents" },
        },
      },
    },
    { sort: ["day"] },
  ],
  totals: (range: DayRange, showExcluded: boolean) => [
    eventSource("events", range, showExcluded),
    {
      reduce: {
        visitors: { count: "visitorId" },
        accounts: { count: "accountId" },
        events: { sum: "numEvents" },
      },
    },
  ],
  top: (kind: "page" | "feature" | "trackType", range: DayRange, showExcluded: boolean) => {
    const source = { page: "pageEvents", feature: "featureEvents", trackType: "trackEvents" }[kind];
    const definitions = { page: "pages", feature: "features", trackType: "trackTypes" }[kind];
    const key = `${kind}Id`;
    return [
      eventSource(source, range, showExcluded),
      { group: { group: [key], fields: { events: { sum: "numEvents" }, visitors: { count: "visitorId" } } } },
      { sort: ["-events"] },
      { limit: 10 },
      {
        merge: {
          fields: [key],
          mappings: { name: "name" },
          pipeline: [{ source: { [definitions]: null } }, { select: { [key]: "id", name: "name" } }],
        },
      },
      { select: { id: key, name: "name", events: "events", visitors: "visitors" } },
    ];
  },
};

export function useDaily(range: DayRange, showExcluded: boolean) {
  return useQuery({
    queryKey: ["aggregation", "daily", range, showExcluded],
    queryFn: () => aggregate<DailyRow>(dashboardPipelines.daily(range, showExcluded)),
  });
}

export function useTotals(range: DayRange, showExcluded: boolean) {
  return useQuery({
    queryKey: ["aggregation", "totals", range, showExcluded],
    queryFn: async () =>
      (await aggregate<Omit<DailyRow, "day">>(dashboardPipelines.totals(range, showExcluded)))[0],
  });
}

export function useTop(kind: "page" | "feature" | "trackType", range: DayRange, showExcluded: boolean) {
  return useQuery({
    queryKey: ["aggregation", "top", kind, range, showExcluded],
    queryFn: () => aggregate<TopRow>(dashboardPipelines.top(kind, range, showExcluded)),
  });
}
