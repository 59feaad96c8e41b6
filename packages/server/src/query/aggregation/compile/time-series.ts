import { ConstantError, evaluateConstant } from "../expression/evaluate-constant.js";
import { ExpressionSyntaxError, parseExpression } from "../expression/parse-expression.js";
import { truncateTime } from "../expression/time-math.js";
import { fail, type StagePlace } from "../pipeline/pipeline-error.js";

/** The periods an event source covers: [start, end) in epoch ms, cut in days or hours (UTC). */
export interface TimeRange {
  readonly period: "day" | "hour";
  readonly start: number;
  readonly end: number;
}

const periods: Record<string, "day" | "hour"> = {
  dayRange: "day",
  daily: "day",
  hourRange: "hour",
  hourly: "hour",
};
const periodMs = { day: 86_400_000, hour: 3_600_000 };
/** Ten years of days, or a bit over a year of hours: past that a query is a bulk export. */
const maxPeriods = { day: 3660, hour: 24 * 400 };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function timeOf(place: StagePlace, field: string, value: unknown, now: number): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "") {
    if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
    try {
      const result = evaluateConstant(parseExpression(value), now);
      if (typeof result === "number" && Number.isFinite(result)) return result;
      return fail(place, field, `${JSON.stringify(value)} does not give a time (epoch milliseconds)`);
    } catch (error) {
      if (error instanceof ConstantError || error instanceof ExpressionSyntaxError)
        return fail(place, field, error.message);
      throw error;
    }
  }
  return fail(
    place,
    field,
    'must be a time: epoch milliseconds, or an expression such as "now()" or "dateAdd(now(), -7, \\"days\\")"',
  );
}

/** Reads `timeSeries` (`period`, `first`, and `count` or `last`); `first` snaps to the start of its period. */
export function readTimeSeries(place: StagePlace, value: unknown, now: number): TimeRange {
  if (!isRecord(value))
    return fail(
      place,
      "timeSeries",
      'must be an object: {"period": "dayRange", "first": "now()", "count": -30}',
    );
  const period = typeof value.period === "string" ? periods[value.period] : undefined;
  if (!period)
    return fail(
      place,
      "timeSeries.period",
      `must be "dayRange" or "hourRange", not ${JSON.stringify(value.period)}`,
    );
  const step = periodMs[period];
  const first = truncateTime(timeOf(place, "timeSeries.first", value.first, now), period);
  const hasCount = value.count !== undefined && value.count !== null;
  const hasLast = value.last !== undefined && value.last !== null;
  if (hasCount === hasLast) return fail(place, "timeSeries", 'needs exactly one of "count" and "last"');
  let start: number;
  let end: number;
  if (hasCount) {
    const count = typeof value.count === "string" ? Number(value.count) : value.count;
    if (typeof count !== "number" || !Number.isInteger(count) || count === 0)
      return fail(
        place,
        "timeSeries.count",
        "must be a whole number of periods other than 0 (negative counts back from first)",
      );
    start = count > 0 ? first : first + count * step;
    end = count > 0 ? first + count * step : first;
  } else {
    const last = truncateTime(timeOf(place, "timeSeries.last", value.last, now), period);
    if (last < first) return fail(place, "timeSeries.last", "is before first");
    start = first;
    end = last + step;
  }
  if ((end - start) / step > maxPeriods[period])
    return fail(
      place,
      "timeSeries",
      `covers more than ${maxPeriods[period]} ${period}s; split the request into shorter ranges`,
    );
  return { period, start, end };
}
