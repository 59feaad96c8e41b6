import { fail } from "../pipeline/pipeline-error.js";
import { compileExpression, condition } from "./compile-expression.js";
import { listAggregate, listAggregatorNames } from "./list-aggregators.js";
import { orderBy } from "./order-by.js";
import { addCte, type Field, type Relation, selectNamed } from "./relation.js";
import { type RowOrders, rowOrders } from "./row-orders.js";
import { parseIn } from "./row-stages.js";
import { exprContext, isRecord, type StageInput } from "./stage-context.js";
import { asNumber, type TypedSql } from "./typed-sql.js";
import { listOf, typeName, types } from "./value-type.js";

export const aggregatorNames = [
  "count",
  "countIf",
  "sum",
  "avg",
  "mean",
  "min",
  "max",
  "median",
  "stddev",
  "var",
  "first",
  "list",
  "listIf",
  "percentiles",
  ...listAggregatorNames,
];

interface Aggregate {
  readonly columns: { sql: string; field: Field }[];
}

function numeric(input: StageInput, out: string, agg: string, arg: unknown): string {
  const value = compileExpression(exprContext(input, out), parseIn(input, out, arg));
  const n = asNumber(input.ctx.dialect, value);
  if (n === undefined)
    return fail(input.place, out, `${agg} needs numbers, but this is a ${typeName(value.type)}`);
  return n;
}

function typedValue(input: StageInput, out: string, arg: unknown): TypedSql {
  return compileExpression(exprContext(input, out), parseIn(input, out, arg));
}

/** One output of group/reduce: `{"out": {"<aggregator>": argument}}`. */
function aggregate(input: StageInput, out: string, spec: unknown, orders: RowOrders): Aggregate {
  const d = input.ctx.dialect;
  if (!isRecord(spec) || Object.keys(spec).length !== 1)
    return fail(
      input.place,
      out,
      `must be one aggregator, e.g. {"sum": "numEvents"}; the aggregators are ${aggregatorNames.join(", ")}`,
    );
  const [agg, arg] = Object.entries(spec)[0] as [string, unknown];
  const one = (sql: string, type: Field["type"]): Aggregate => ({
    columns: [{ sql, field: { name: out, type } }],
  });
  const order = () => orders.key(orderBy(d, input.relation));
  switch (agg) {
    case "count": {
      if (arg === null || arg === undefined) return one("CAST(count(*) AS DOUBLE)", types.number);
      if (Array.isArray(arg)) {
        if (arg.length === 0 || !arg.every((a) => typeof a === "string"))
          return fail(input.place, out, "count takes null, a field, or a list of fields");
        return one(d.countDistinctTuple(arg.map((a) => typedValue(input, out, a).sql)), types.number);
      }
      return one(d.countDistinct(typedValue(input, out, arg).sql), types.number);
    }
    case "countIf": {
      if (!isRecord(arg) || typeof arg.if !== "string")
        return fail(
          input.place,
          out,
          'countIf takes {"if": "condition"} (and "count": "field" to count distinct values)',
        );
      const test = condition(exprContext(input, out), typedValue(input, out, arg.if), "countIf's condition");
      if (arg.count === undefined || arg.count === null) return one(d.countIf(test), types.number);
      const value = typedValue(input, out, arg.count);
      return one(d.countDistinct(`(CASE WHEN ${test} THEN ${value.sql} END)`), types.number);
    }
    case "sum":
      return one(`coalesce(sum(${numeric(input, out, agg, arg)}), 0)`, types.number);
    case "avg":
    case "mean":
      return one(`avg(${numeric(input, out, agg, arg)})`, types.number);
    case "median":
      return one(d.median(numeric(input, out, agg, arg)), types.number);
    case "stddev":
      return one(d.stddev(numeric(input, out, agg, arg)), types.number);
    case "var":
      return one(d.variance(numeric(input, out, agg, arg)), types.number);
    case "min":
    case "max": {
      const value = typedValue(input, out, arg);
      if (value.type.t === "list" || value.type.t === "object")
        return fail(input.place, out, `${agg} needs numbers or text, not a ${typeName(value.type)}`);
      const sql = value.type.t === "any" ? (asNumber(d, value) as string) : value.sql;
      return one(`${agg}(${sql})`, value.type.t === "any" ? types.number : value.type);
    }
    case "first": {
      const value = typedValue(input, out, arg);
      return one(d.firstValue(value.sql, order()), value.type);
    }
    case "list": {
      const value = typedValue(input, out, arg);
      return one(d.listAgg(value.sql, order()), listOf(value.type));
    }
    case "listIf": {
      if (!isRecord(arg) || typeof arg.if !== "string" || typeof arg.list !== "string")
        return fail(input.place, out, 'listIf takes {"list": "field", "if": "condition"}');
      const test = condition(exprContext(input, out), typedValue(input, out, arg.if), "listIf's condition");
      const value = typedValue(input, out, arg.list);
      return one(d.listAgg(`(CASE WHEN ${test} THEN ${value.sql} END)`, order()), listOf(value.type));
    }
    case "percentiles": {
      if (!isRecord(arg) || typeof arg.field !== "string")
        return fail(input.place, out, 'percentiles takes {"field": "numMinutes", "p90": 90, …}');
      const value = numeric(input, out, agg, arg.field);
      const columns = Object.entries(arg)
        .filter(([k]) => k !== "field")
        .map(([name, pct]) => {
          if (typeof pct !== "number" || pct < 0 || pct > 100)
            fail(input.place, `${out}.${name}`, "a percentile is a number from 0 to 100");
          return {
            sql: d.percentile(value, (pct as number) / 100),
            field: { name: `${out}.${name}`, type: types.number },
          };
        });
      if (columns.length === 0)
        return fail(input.place, out, 'percentiles needs at least one, e.g. "p90": 90');
      return { columns };
    }
    default: {
      const column = listAggregate(input, out, agg, arg, orders);
      if (column) return { columns: [column] };
      return fail(
        input.place,
        out,
        `no aggregator ${agg}; the aggregators are ${aggregatorNames.join(", ")}`,
      );
    }
  }
}

/** `fields` as an object, or as Pendo's UI writes it, a list of one-key objects. */
function outputs(input: StageInput, spec: unknown): [string, unknown][] {
  if (spec === undefined || spec === null) return [];
  if (Array.isArray(spec)) {
    const entries: [string, unknown][] = [];
    for (const item of spec) {
      if (!isRecord(item) || Object.keys(item).length !== 1)
        return fail(input.place, null, 'a list of outputs has one {"out": {"aggregator": …}} per item');
      entries.push(Object.entries(item)[0] as [string, unknown]);
    }
    return entries;
  }
  if (!isRecord(spec)) return fail(input.place, null, 'outputs are {"out": {"sum": "numEvents"}, …}');
  return Object.entries(spec);
}

/** The stage's outputs, and the input they read (numbered in the orders they take rows in). */
function aggregateAll(
  input: StageInput,
  entries: [string, unknown][],
  taken: Set<string>,
): { columns: { sql: string; field: Field }[]; from: string } {
  const columns: { sql: string; field: Field }[] = [];
  const orders = rowOrders(input.ctx.dialect);
  for (const [out, spec] of entries) {
    if (taken.has(out)) fail(input.place, out, "is named twice in this stage");
    taken.add(out);
    columns.push(...aggregate(input, out, spec, orders).columns);
  }
  return { columns, from: orders.input(input.ctx.state, input.relation.cte) };
}

/** `{"group": {"group": ["f1"], "fields": {...}}}`: one row per distinct key, in key order. */
export function groupStage(input: StageInput, spec: unknown): Relation {
  if (!isRecord(spec))
    return fail(input.place, null, 'takes {"group": ["field", …], "fields": {"out": {"sum": "numEvents"}}}');
  const keys = typeof spec.group === "string" ? [spec.group] : spec.group;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string"))
    return fail(input.place, "group", "must be a list of field names");
  const d = input.ctx.dialect;
  const r = input.relation;
  const keyFields = (keys as string[]).map((k) => {
    const f = r.fields.find((x) => x.name === k);
    return (
      f ??
      fail(
        input.place,
        k,
        `no such field to group by; the rows have ${r.fields.map((x) => x.name).join(", ")}`,
      )
    );
  });
  const { columns, from } = aggregateAll(input, outputs(input, spec.fields), new Set(keys as string[]));
  if (keyFields.length === 0 && columns.length === 0)
    return fail(input.place, null, "needs fields to group by, outputs, or both");
  const select = [
    ...keyFields.map((f) => ({ name: f.name, sql: d.ident(f.name) })),
    ...columns.map((c) => ({ name: c.field.name, sql: c.sql })),
  ];
  const groupBy = keyFields.length > 0 ? ` GROUP BY ${keyFields.map((f) => d.ident(f.name)).join(", ")}` : "";
  return {
    cte: addCte(input.ctx.state, selectNamed(d, select, from, groupBy)),
    fields: [...keyFields, ...columns.map((c) => c.field)],
    order: keyFields.map((f) => ({ field: f.name, descending: false })),
  };
}

/** `{"reduce": {"out": {"count": null}}}` (or a list of one-key objects): every row into one. */
export function reduceStage(input: StageInput, spec: unknown): Relation {
  const entries = outputs(input, spec);
  if (entries.length === 0)
    return fail(input.place, null, 'needs at least one output: {"out": {"count": null}}');
  const d = input.ctx.dialect;
  const { columns, from } = aggregateAll(input, entries, new Set());
  return {
    cte: addCte(
      input.ctx.state,
      selectNamed(
        d,
        columns.map((c) => ({ name: c.field.name, sql: c.sql })),
        from,
      ),
    ),
    fields: columns.map((c) => c.field),
    order: [],
  };
}
