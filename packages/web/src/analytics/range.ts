import { type DayRange, dayMs } from "./aggregate.ts";

export const presets = [
  { id: "7d", label: "Last 7 days", days: 7 },
  { id: "30d", label: "Last 30 days", days: 30 },
  { id: "90d", label: "Last 90 days", days: 90 },
] as const;

export type RangeChoice = { preset: string } | { from: string; to: string };

function utcDay(ms: number): number {
  return Math.floor(ms / dayMs) * dayMs;
}

/** A preset counts back from today (today included); a custom range runs from its first to its last day. */
export function dayRangeOf(choice: RangeChoice, now = Date.now()): DayRange {
  if ("preset" in choice) {
    const days = presets.find((preset) => preset.id === choice.preset)?.days ?? 30;
    return { first: utcDay(now) - (days - 1) * dayMs, days };
  }
  const from = Date.parse(`${choice.from}T00:00:00Z`);
  const to = Date.parse(`${choice.to}T00:00:00Z`);
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) return dayRangeOf({ preset: "30d" }, now);
  return { first: from, days: Math.min(Math.round((to - from) / dayMs) + 1, 3660) };
}

/** The range in the address (`?range=7d`, `?from=2026-11-01&to=2026-11-30`), so a view can be shared. */
export function rangeFromSearch(search: string): RangeChoice {
  const params = new URLSearchParams(search);
  const from = params.get("from");
  const to = params.get("to");
  if (from && to) return { from, to };
  return { preset: params.get("range") ?? "30d" };
}

export function searchOfRange(choice: RangeChoice, showExcluded: boolean): string {
  const params = new URLSearchParams("preset" in choice ? { range: choice.preset } : choice);
  if (showExcluded) params.set("excluded", "show");
  return params.toString();
}

/** Each day of the range, for axes and for days without events. */
export function daysOf(range: DayRange): number[] {
  return Array.from({ length: range.days }, (_, index) => range.first + index * dayMs);
}

export const dayLabel = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
