import { useQuery } from "@tanstack/react-query";
import { aggregate, dayMs, eventSource } from "../analytics/aggregate.ts";

export type TaggedKind = "page" | "feature" | "trackType";

export interface TaggedCounts {
  /** Events of the last 7 days (today included). */
  readonly recent: number;
  /** Events of the 7 days before those. */
  readonly earlier: number;
  /** Distinct visitors of the last 7 days. */
  readonly visitors: number;
}

const sources: Record<TaggedKind, string> = {
  page: "pageEvents",
  feature: "featureEvents",
  trackType: "trackEvents",
};

/** Per object: the last 7 days' events and visitors, and the 7 days before, for the trend. One aggregation. */
export function countsPipeline(kind: TaggedKind, now = Date.now()): unknown[] {
  const today = Math.floor(now / dayMs) * dayMs;
  const recentFrom = today - 6 * dayMs;
  const key = `${kind}Id`;
  return [
    eventSource(sources[kind], { first: recentFrom - 7 * dayMs, days: 14 }, false),
    {
      eval: {
        recent: `if(day >= ${recentFrom}, numEvents, 0)`,
        earlier: `if(day < ${recentFrom}, numEvents, 0)`,
      },
    },
    {
      group: {
        group: [key],
        fields: {
          recent: { sum: "recent" },
          earlier: { sum: "earlier" },
          visitors: { countIf: { if: `day >= ${recentFrom}`, count: "visitorId" } },
        },
      },
    },
  ];
}

export function useTaggedCounts(kind: TaggedKind) {
  return useQuery({
    queryKey: ["aggregation", "tagged-counts", kind],
    queryFn: async () => {
      const rows = await aggregate<TaggedCounts & Record<string, unknown>>(countsPipeline(kind));
      return new Map(rows.map((row) => [String(row[`${kind}Id`]), row]));
    },
  });
}

const numbers = new Intl.NumberFormat();
const percent = new Intl.NumberFormat(undefined, { style: "percent", signDisplay: "exceptZero" });

/** "1,204 events · 88 visitors" and the change against the week before. */
export function CountsCells(props: { counts: TaggedCounts | undefined }) {
  const counts = props.counts ?? { recent: 0, earlier: 0, visitors: 0 };
  const trend =
    counts.earlier === 0
      ? counts.recent === 0
        ? "no events"
        : "new"
      : percent.format((counts.recent - counts.earlier) / counts.earlier);
  return (
    <>
      <td>{numbers.format(counts.recent)}</td>
      <td>{numbers.format(counts.visitors)}</td>
      <td className={counts.recent >= counts.earlier ? "trend up" : "trend down"}>{trend}</td>
    </>
  );
}
