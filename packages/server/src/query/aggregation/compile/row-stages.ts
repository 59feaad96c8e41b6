import type { Expr } from "../expression/expression-ast.js";
import { ExpressionSyntaxError, parseExpression } from "../expression/parse-expression.js";
import { fail } from "../pipeline/pipeline-error.js";
import { compileExpression, condition } from "./compile-expression.js";
import { orderBy } from "./order-by.js";
import { addCte, bind, type Field, type OrderTerm, type Relation, selectNamed } from "./relation.js";
import { exprContext, isRecord, type StageInput } from "./stage-context.js";
import { asText } from "./typed-sql.js";
import { typeName, types } from "./value-type.js";

export function parseIn(input: StageInput, field: string | null, source: unknown): Expr {
  if (typeof source !== "string")
    return fail(input.place, field, `must be an expression in a string, not ${JSON.stringify(source)}`);
  try {
    return parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return fail(input.place, field, error.message);
    throw error;
  }
}

const structuredOperators: Record<string, string> = {
  "==": "==",
  "=": "==",
  eq: "==",
  "!=": "!=",
  ne: "!=",
  "<": "<",
  lt: "<",
  "<=": "<=",
  lte: "<=",
  ">": ">",
  gt: ">",
  ">=": ">=",
  gte: ">=",
};

/** `{"filter": "expr"}`, or the structured `{"filter": {"field", "operator", "value"}}` some clients send. */
export function filterStage(input: StageInput, spec: unknown): Relation {
  let expr: Expr;
  if (isRecord(spec)) {
    const { field, operator, value } = spec;
    const op = typeof operator === "string" ? structuredOperators[operator] : undefined;
    if (typeof field !== "string" || !op)
      return fail(
        input.place,
        null,
        `a structured filter needs "field" and "operator" (one of ${Object.keys(structuredOperators).join(" ")})`,
      );
    if (
      value !== null &&
      typeof value !== "string" &&
      typeof value !== "number" &&
      typeof value !== "boolean"
    )
      return fail(input.place, "value", "must be a string, number, boolean or null");
    expr = {
      kind: "binary",
      op: op as "==",
      left: parseIn(input, "field", field),
      right: { kind: "literal", value },
    };
  } else expr = parseIn(input, null, spec);
  const cond = condition(
    exprContext(input, null),
    compileExpression(exprContext(input, null), expr),
    "a filter",
  );
  const r = input.relation;
  return { ...r, cte: addCte(input.ctx.state, `SELECT * FROM ${r.cte} WHERE ${cond}`) };
}

/** `{"identified": "visitorId"}` keeps identified visitors; `"!visitorId"` only anonymous ones. */
export function identifiedStage(input: StageInput, spec: unknown): Relation {
  if (typeof spec !== "string")
    return fail(input.place, null, 'names the visitor field, e.g. "visitorId" or "!visitorId"');
  const anonymous = spec.startsWith("!");
  const name = anonymous ? spec.slice(1) : spec;
  const ctx = exprContext(input, name);
  const id = asText(input.ctx.dialect, compileExpression(ctx, parseIn(input, name, name)));
  if (id === undefined) return fail(input.place, name, "is not text");
  const anon = `coalesce(${input.ctx.dialect.startsWith(id, "'_PENDO_T_'")}, FALSE)`;
  const r = input.relation;
  return {
    ...r,
    cte: addCte(
      input.ctx.state,
      `SELECT * FROM ${r.cte} WHERE ${anonymous ? anon : `${id} IS NOT NULL AND NOT ${anon}`}`,
    ),
  };
}

function checkName(input: StageInput, name: string, fields: readonly Field[]): void {
  if (name === "" || name.length > 200) fail(input.place, name, "a field name must be 1 to 200 characters");
  for (const f of fields) {
    if (f.name === name) continue;
    if (f.name.startsWith(`${name}.`) || name.startsWith(`${f.name}.`))
      fail(input.place, name, `clashes with the field ${f.name} (one would hold the other)`);
  }
}

/** Projects `{"out": "expr", …}`: `keep` adds to the fields there are (eval), else only these (select). */
function project(input: StageInput, spec: unknown, keep: boolean): Relation {
  if (!isRecord(spec) || Object.keys(spec).length === 0)
    return fail(
      input.place,
      null,
      'takes an object of output fields and expressions, e.g. {"day": "day", "events": "numEvents"}',
    );
  const d = input.ctx.dialect;
  const r = input.relation;
  const computed = new Map<string, { sql: string; field: Field }>();
  for (const [name, source] of Object.entries(spec)) {
    const value = compileExpression(exprContext(input, name), parseIn(input, name, source));
    computed.set(name, {
      sql: value.sql,
      field: { name, type: value.type.t === "null" ? types.any : value.type },
    });
  }
  const fields: Field[] = [];
  const columns: { name: string; sql: string }[] = [];
  if (keep) {
    for (const f of r.fields) {
      const replaced = computed.get(f.name);
      fields.push(replaced ? replaced.field : f);
      columns.push({ name: f.name, sql: replaced ? replaced.sql : d.ident(f.name) });
      computed.delete(f.name);
    }
  }
  for (const { sql, field } of computed.values()) {
    fields.push(field);
    columns.push({ name: field.name, sql });
  }
  for (const f of fields) checkName(input, f.name, fields);
  // A field carried under a new name keeps its place in the order.
  const renamed = new Map<string, string>();
  for (const [name, source] of Object.entries(spec))
    if (typeof source === "string" && r.fields.some((f) => f.name === source)) renamed.set(source, name);
  const order: OrderTerm[] = r.order.flatMap((t) => {
    if (keep && !computed.has(t.field) && fields.some((f) => f.name === t.field)) return [t];
    const to = renamed.get(t.field);
    return to ? [{ ...t, field: to }] : [];
  });
  return { cte: addCte(input.ctx.state, selectNamed(d, columns, r.cte)), fields, order };
}

export const selectStage = (input: StageInput, spec: unknown): Relation => project(input, spec, false);
export const evalStage = (input: StageInput, spec: unknown): Relation => project(input, spec, true);

/** `{"sort": ["f1", "-f2"]}`: ascending, or descending with a leading "-"; earlier order breaks ties. */
export function sortStage(input: StageInput, spec: unknown): Relation {
  const list = typeof spec === "string" ? [spec] : spec;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === "string" && s.length > 0))
    return fail(
      input.place,
      null,
      'takes a list of field names, "-" before one for descending: ["accountId", "-numEvents"]',
    );
  const r = input.relation;
  const terms: OrderTerm[] = (list as string[]).map((s) => {
    const descending = s.startsWith("-");
    const field = descending ? s.slice(1) : s;
    const known = r.fields.find((f) => f.name === field);
    if (!known)
      fail(
        input.place,
        field,
        `no such field to sort by; the rows have ${r.fields.map((f) => f.name).join(", ")}`,
      );
    return { field, descending };
  });
  return { ...r, order: [...terms, ...r.order.filter((t) => !terms.some((u) => u.field === t.field))] };
}

export function limitStage(input: StageInput, spec: unknown): Relation {
  if (typeof spec !== "number" || !Number.isInteger(spec) || spec < 0)
    return fail(input.place, null, "takes a whole number of rows, 0 or more");
  const r = input.relation;
  return {
    ...r,
    cte: addCte(
      input.ctx.state,
      `SELECT * FROM ${r.cte} ORDER BY ${orderBy(input.ctx.dialect, r)} LIMIT ${spec}`,
    ),
  };
}

export function countStage(input: StageInput): Relation {
  return {
    cte: addCte(
      input.ctx.state,
      `SELECT CAST(count(*) AS DOUBLE) AS ${input.ctx.dialect.ident("count")} FROM ${input.relation.cte}`,
    ),
    fields: [{ name: "count", type: types.number }],
    order: [],
  };
}

const switchOperators = ["==", "!=", "<", "<=", ">", ">="];

/** `{"switch": {"out": {"field": [{"value": "1", "==": "aaa"}, …]}}}`: the first matching case's value, else null. */
export function switchStage(input: StageInput, spec: unknown): Relation {
  if (!isRecord(spec) || Object.keys(spec).length === 0)
    return fail(input.place, null, 'takes {"out": {"field": [{"value": …, "==": …}, …]}}');
  const evals: Record<string, string> = {};
  const cases: string[] = [];
  for (const [out, mapping] of Object.entries(spec)) {
    if (!isRecord(mapping) || Object.keys(mapping).length !== 1)
      return fail(input.place, out, 'must map one field to its cases: {"field": [{"value": …, "==": …}]}');
    const [field, list] = Object.entries(mapping)[0] as [string, unknown];
    if (!Array.isArray(list) || list.length === 0) return fail(input.place, out, "needs a list of cases");
    const parts: string[] = [];
    for (const item of list) {
      if (!isRecord(item) || !("value" in item)) return fail(input.place, out, 'each case needs a "value"');
      const ops = Object.keys(item).filter((k) => k !== "value");
      if (ops.length !== 1 || !switchOperators.includes(ops[0] as string))
        return fail(input.place, out, `each case needs one operator of ${switchOperators.join(" ")}`);
      const op = ops[0] as string;
      const literal = (v: unknown) =>
        typeof v === "string"
          ? JSON.stringify(v)
          : v === null
            ? "null"
            : typeof v === "number" || typeof v === "boolean"
              ? String(v)
              : undefined;
      const test = literal(item[op]);
      const value = literal(item.value);
      if (test === undefined || value === undefined)
        return fail(input.place, out, "case values must be strings, numbers, booleans or null");
      parts.push(`if(${field} ${op} ${test}, ${value}, `);
    }
    evals[out] = `${parts.join("")}null${")".repeat(parts.length)}`;
    cases.push(out);
  }
  return evalStage(input, evals);
}

/** `{"unmarshal": {"out": "field"}}`: reads a field holding JSON text as the value it encodes. */
export function unmarshalStage(input: StageInput, spec: unknown): Relation {
  if (!isRecord(spec) || Object.keys(spec).length === 0)
    return fail(input.place, null, 'takes {"out": "field with JSON text"}');
  const r = input.relation;
  const d = input.ctx.dialect;
  const parsed = new Map<string, string>();
  for (const [out, source] of Object.entries(spec)) {
    const value = compileExpression(exprContext(input, out), parseIn(input, out, source));
    const text = asText(d, value);
    if (
      text === undefined ||
      (value.type.t !== "string" && value.type.t !== "any" && value.type.t !== "null")
    )
      return fail(input.place, out, `needs text holding JSON, not a ${typeName(value.type)}`);
    parsed.set(out, d.parseJson(text));
  }
  const fields: Field[] = r.fields.map((f) => (parsed.has(f.name) ? { name: f.name, type: types.any } : f));
  const columns = r.fields.map((f) => ({ name: f.name, sql: parsed.get(f.name) ?? d.ident(f.name) }));
  for (const [out, sql] of parsed) {
    if (r.fields.some((f) => f.name === out)) continue;
    fields.push({ name: out, type: types.any });
    columns.push({ name: out, sql });
  }
  for (const f of fields) checkName(input, f.name, fields);
  return {
    cte: addCte(input.ctx.state, selectNamed(d, columns, r.cte)),
    fields,
    order: r.order.filter((t) => !parsed.has(t.field)),
  };
}

/** Binds a list of strings, for `IN (…)`. */
export function stringList(input: StageInput, values: readonly string[]): string {
  const d = input.ctx.dialect;
  return `(${values.map((v) => d.param(bind(input.ctx.state, v), "string")).join(", ")})`;
}
