/** Calendar arithmetic on epoch-ms times in UTC, the same as the engines' (weeks start on Monday). */

export type PeriodUnit = "hour" | "day" | "week" | "month" | "quarter" | "year";

const fixedUnits: Record<string, number> = {
  second: 1000,
  seconds: 1000,
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
  week: 7 * 86_400_000,
  weeks: 7 * 86_400_000,
};
const monthUnits: Record<string, number> = {
  month: 1,
  months: 1,
  quarter: 3,
  quarters: 3,
  year: 12,
  years: 12,
};

export const dateAddUnits = [...Object.keys(fixedUnits), ...Object.keys(monthUnits)];

/** `dateAdd`'s unit as milliseconds or months; undefined when it is not one. */
export function dateAddUnit(unit: string): { ms: number } | { months: number } | undefined {
  const ms = fixedUnits[unit];
  if (ms !== undefined) return { ms };
  const months = monthUnits[unit];
  return months === undefined ? undefined : { months };
}

export const periodNames: Record<string, PeriodUnit> = {
  hourly: "hour",
  hour: "hour",
  daily: "day",
  day: "day",
  weekly: "week",
  week: "week",
  monthly: "month",
  month: "month",
  quarterly: "quarter",
  quarter: "quarter",
  yearly: "year",
  year: "year",
};

export function truncateTime(ms: number, unit: PeriodUnit): number {
  const d = new Date(ms);
  switch (unit) {
    case "hour":
      return Math.floor(ms / 3_600_000) * 3_600_000;
    case "day":
      return Math.floor(ms / 86_400_000) * 86_400_000;
    case "week": {
      const day = Math.floor(ms / 86_400_000) * 86_400_000;
      const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      return day - weekday * 86_400_000;
    }
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case "quarter":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % 3), 1);
    case "year":
      return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
}

/** Moves a time by whole months; a day past the new month's end clamps to its last day (as the engines do). */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(
    target.getUTCFullYear(),
    target.getUTCMonth(),
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}
