import { fail } from "../pipeline/pipeline-error.js";
import { compileExpression, condition } from "./compile-expression.js";
import { orderBy } from "./order-by.js";
import { type AggregateColumn, bind, type Field, type OrderTerm } from "./relation.js";
import type { RowOrders } from "./row-orders.js";
import { parseIn } from "./row-stages.js";
import { exprContext, isRecord, type StageInput } from "./stage-context.js";
import { asJson } from "./typed-sql.js";
import { listOf, types } from "./value-type.js";

const form = 'sequence takes {"new": "condition", "sort": ["field", "-field", …]}';

/** The row as one JSON object, dotted names nested as the answer nests them (`a.b` under `a`). */
function rowObject(input: StageInput, fields: readonly Field[], depth: number): string {
  const d = input.ctx.dialect;
  const groups = new Map<string, Field[]>();
  for (const field of fields) {
    const key = field.name.split(".")[depth] as string;
    groups.set(key, [...(groups.get(key) ?? []), field]);
  }
  const entries = [...groups].map(([key, group]): [string, string] => {
    const deeper = group.filter((f) => f.name.split(".").length > depth + 1);
    const leaf = group.find((f) => f.name.split(".").length === depth + 1) as Field;
    const json =
      deeper.length > 0
        ? rowObject(input, deeper, depth + 1)
        : asJson(d, { sql: d.ident(leaf.name), type: leaf.type });
    return [d.param(bind(input.ctx.state, key), "string"), json];
  });
  return d.jsonObject(entries);
}

/**
 * `{"sequence": {"new": "condition", "sort": ["browserTime"]}}`: the group's rows, whole, in `sort` order (then
 * their current order), cut into runs: a new run starts at every row where `new` holds (and at the first row),
 * e.g. a guide session from each guideSeen. A list of lists of row objects.
 */
export function sequenceAggregate(
  input: StageInput,
  out: string,
  arg: unknown,
  orders: RowOrders,
): AggregateColumn {
  if (
    !isRecord(arg) ||
    typeof arg.new !== "string" ||
    Object.keys(arg).some((k) => k !== "new" && k !== "sort")
  )
    return fail(input.place, out, form);
  const r = input.relation;
  const startsRun = condition(
    exprContext(input, out),
    compileExpression(exprContext(input, out), parseIn(input, out, arg.new)),
    "sequence's new",
  );
  const sort = arg.sort === undefined ? [] : typeof arg.sort === "string" ? [arg.sort] : arg.sort;
  if (!Array.isArray(sort) || !sort.every((s) => typeof s === "string" && s.length > 0))
    return fail(input.place, out, form);
  const terms: OrderTerm[] = (sort as string[]).map((s) => {
    const descending = s.startsWith("-");
    const field = descending ? s.slice(1) : s;
    if (!r.fields.some((f) => f.name === field))
      fail(
        input.place,
        out,
        `sequence cannot sort by ${field}: no such field; the rows have ${r.fields.map((f) => f.name).join(", ")}`,
      );
    return { field, descending };
  });
  const order = orderBy(input.ctx.dialect, {
    ...r,
    order: [...terms, ...r.order.filter((t) => !terms.some((u) => u.field === t.field))],
  });
  return {
    sql: input.ctx.dialect.runsAgg(rowObject(input, r.fields, 0), startsRun, orders.key(order)),
    field: { name: out, type: listOf(listOf(types.object)) },
  };
}
