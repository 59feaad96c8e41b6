import { fail } from "../pipeline/pipeline-error.js";
import { compileExpression } from "./compile-expression.js";
import { orderBy } from "./order-by.js";
import type { AggregateColumn, Field } from "./relation.js";
import type { RowOrders } from "./row-orders.js";
import { parseIn } from "./row-stages.js";
import { sequenceAggregate } from "./sequence-aggregator.js";
import { exprContext, isRecord, type StageInput } from "./stage-context.js";
import { asNumber, type TypedSql } from "./typed-sql.js";
import { listOf, typeName, types } from "./value-type.js";

/**
 * The aggregators over lists and activity sets (docs/aggregation.md, "Lists and activity"). A set of active
 * days or minutes is a list of their epoch-ms starts (UTC), distinct and ascending, as `daysActiveCreate`
 * makes and the event sources' `minutesActive` holds: plain JSON a client can read, unlike Pendo's bitmaps.
 */
export const listAggregatorNames = [
  "listAverage",
  "concat",
  "daysActiveCreate",
  "daysActiveUnion",
  "daysActiveCount",
  "minutesActiveUnion",
  "minutesActiveCount",
  "sequence",
];

const periodMs = { day: 86_400_000, minute: 60_000 } as const;
type Period = keyof typeof periodMs;

function typed(input: StageInput, out: string, arg: unknown): TypedSql {
  return compileExpression(exprContext(input, out), parseIn(input, out, arg));
}

const isNumberList = (value: TypedSql): boolean =>
  value.type.t === "list" && (value.type.of.t === "number" || value.type.of.t === "null");

function numberList(input: StageInput, out: string, agg: string, value: TypedSql, wanted: string): string {
  if (!isNumberList(value))
    return fail(input.place, out, `${agg} needs ${wanted}, but this is a ${typeName(value.type)}`);
  return value.sql;
}

/** The start of the day or minute holding an epoch-ms time (UTC days are whole multiples of 86,400,000 ms). */
function floorTo(input: StageInput, time: string, period: Period): string {
  const step = input.ctx.dialect.number(periodMs[period]);
  return `(floor(${time} / ${step}) * ${step})`;
}

/** The distinct days (minutes) in the group's sets, each item read as a time in its day (minute). */
function union(input: StageInput, list: string, period: Period, order: string): string {
  const d = input.ctx.dialect;
  return d.sortedSet(d.floorItems(d.concatAgg(list, order), periodMs[period]));
}

/** `daysActiveCount` / `minutesActiveCount`: a set's size, over the group's sets, or distinct periods of a time. */
function activeCount(
  input: StageInput,
  out: string,
  agg: string,
  arg: unknown,
  period: Period,
  order: () => string,
): string {
  const d = input.ctx.dialect;
  let expression = arg;
  if (isRecord(arg)) {
    const others = Object.keys(arg).filter((k) => k !== "field");
    if (others.length > 0)
      return fail(
        input.place,
        out,
        `${agg} counts the ${period}s of one set; windows (${others.join(", ")}) are not built, e.g. {"${agg}": "activeDays"}`,
      );
    expression = arg.field;
  }
  const value = typed(input, out, expression);
  if (isNumberList(value)) return d.listLength(union(input, value.sql, period, order()));
  const time = value.type.t === "list" ? undefined : asNumber(d, value);
  if (time === undefined)
    return fail(
      input.place,
      out,
      `${agg} needs a set of ${period}s (a list of times) or a time, but this is a ${typeName(value.type)}`,
    );
  return d.countDistinct(floorTo(input, time, period));
}

/** One output of one of these aggregators, or undefined when `agg` is none of them. */
export function listAggregate(
  input: StageInput,
  out: string,
  agg: string,
  arg: unknown,
  orders: RowOrders,
): AggregateColumn | undefined {
  const d = input.ctx.dialect;
  const order = () => orders.key(orderBy(d, input.relation));
  const column = (sql: string, type: Field["type"]): AggregateColumn => ({ sql, field: { name: out, type } });
  const days = listOf(types.number);
  switch (agg) {
    case "listAverage": {
      const list = numberList(input, out, agg, typed(input, out, arg), "a list of numbers");
      return column(d.listAverage(d.concatAgg(list, order())), types.number);
    }
    case "concat": {
      const value = typed(input, out, arg);
      if (value.type.t !== "list")
        return fail(
          input.place,
          out,
          `concat joins lists, but this is a ${typeName(value.type)}; list collects single values`,
        );
      return column(d.concatAgg(value.sql, order()), value.type);
    }
    case "daysActiveCreate": {
      const value = typed(input, out, arg);
      const time = value.type.t === "list" ? undefined : asNumber(d, value);
      if (time === undefined)
        return fail(
          input.place,
          out,
          `daysActiveCreate needs a time (epoch ms), but this is a ${typeName(value.type)}`,
        );
      return column(d.sortedSet(d.listAgg(floorTo(input, time, "day"), order())), days);
    }
    case "daysActiveUnion":
    case "minutesActiveUnion": {
      const period = agg === "daysActiveUnion" ? "day" : "minute";
      const list = numberList(
        input,
        out,
        agg,
        typed(input, out, arg),
        `a set of ${period}s (a list of times)`,
      );
      return column(union(input, list, period, order()), days);
    }
    case "daysActiveCount":
      return column(activeCount(input, out, agg, arg, "day", order), types.number);
    case "minutesActiveCount":
      return column(activeCount(input, out, agg, arg, "minute", order), types.number);
    case "sequence":
      return sequenceAggregate(input, out, arg, orders);
    default:
      return undefined;
  }
}
