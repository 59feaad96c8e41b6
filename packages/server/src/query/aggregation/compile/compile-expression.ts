import type { Expr } from "../expression/expression-ast.js";
import { pathText } from "../expression/expression-ast.js";
import { fail } from "../pipeline/pipeline-error.js";
import type { ExprContext } from "./expression-context.js";
import { compileCall } from "./expression-functions.js";
import { bind } from "./relation.js";
import { asBoolean, asNumber, asText, type TypedSql } from "./typed-sql.js";
import { isJson, typeName, types, type ValueType } from "./value-type.js";

/** A field by its dotted path: a column, or a path into a JSON column or a list. */
export function compileField(ctx: ExprContext, path: readonly (string | number)[]): TypedSql {
  const d = ctx.dialect;
  for (let n = path.length; n > 0; n--) {
    const name = pathText(path.slice(0, n));
    const field = ctx.relation.fields.find((f) => f.name === name);
    if (!field) continue;
    let value: TypedSql = { sql: d.ident(field.name), type: field.type };
    const rest = path.slice(n);
    while (rest.length > 0) {
      if (isJson(value.type)) return { sql: d.jsonGet(value.sql, rest), type: types.any };
      const segment = rest.shift() as string | number;
      if (value.type.t === "list" && typeof segment === "number") {
        value = { sql: d.listItem(value.sql, String(segment)), type: value.type.of };
        continue;
      }
      return fail(
        ctx.place,
        ctx.field,
        `${name} is a ${typeName(field.type)}: it has no ${typeof segment === "number" ? `item [${segment}]` : `field "${segment}"`}`,
      );
    }
    return value;
  }
  const known = ctx.relation.fields.map((f) => f.name);
  return fail(
    ctx.place,
    ctx.field,
    `no field ${pathText(path)} in these rows; they have ${known.length > 0 ? known.join(", ") : "no fields"}`,
  );
}

function literal(ctx: ExprContext, value: string | number | boolean | null): TypedSql {
  const d = ctx.dialect;
  if (value === null) return { sql: "NULL", type: types.null };
  if (typeof value === "number") return { sql: d.number(value), type: types.number };
  if (typeof value === "boolean") return { sql: value ? "TRUE" : "FALSE", type: types.boolean };
  return { sql: d.param(bind(ctx.state, value), "string"), type: types.string };
}

const comparisons = new Set(["==", "!=", "<", "<=", ">", ">="]);

/** Equality and order between two values; mixed scalar types compare as text, a number against JSON as numbers. */
function compare(ctx: ExprContext, op: string, left: TypedSql, right: TypedSql): TypedSql {
  const d = ctx.dialect;
  const lt = left.type.t;
  const rt = right.type.t;
  let l: string | undefined;
  let r: string | undefined;
  if (lt === rt && lt !== "any" && lt !== "object" && lt !== "list") {
    l = left.sql;
    r = right.sql;
  } else if (lt === "null" || rt === "null") {
    const other = lt === "null" ? right : left;
    if (op === "==") return { sql: `(${other.sql} IS NULL)`, type: types.boolean };
    if (op === "!=") return { sql: `(${other.sql} IS NOT NULL)`, type: types.boolean };
    return { sql: "FALSE", type: types.boolean };
  } else if (lt === "number" || rt === "number") {
    l = asNumber(d, left);
    r = asNumber(d, right);
    if (l === undefined || r === undefined) {
      l = asText(d, left);
      r = asText(d, right);
    }
  } else {
    l = asText(d, left);
    r = asText(d, right);
  }
  if (l === undefined || r === undefined)
    return fail(
      ctx.place,
      ctx.field,
      `cannot compare a ${typeName(left.type)} with a ${typeName(right.type)}`,
    );
  if (op === "==") return { sql: `(${l} IS NOT DISTINCT FROM ${r})`, type: types.boolean };
  if (op === "!=") return { sql: `(${l} IS DISTINCT FROM ${r})`, type: types.boolean };
  return { sql: `coalesce(${l} ${op} ${r}, FALSE)`, type: types.boolean };
}

/** A condition: booleans as they are, null (and JSON that is not a boolean) as false. */
export function condition(ctx: ExprContext, value: TypedSql, what: string): string {
  const b = asBoolean(ctx.dialect, value);
  if (b === undefined)
    return fail(ctx.place, ctx.field, `${what} must be true or false, but this is a ${typeName(value.type)}`);
  return `coalesce(${b}, FALSE)`;
}

function arithmetic(ctx: ExprContext, op: string, left: TypedSql, right: TypedSql): TypedSql {
  const d = ctx.dialect;
  if (op === "+" && (left.type.t === "string" || right.type.t === "string")) {
    const l = asText(d, left);
    const r = asText(d, right);
    if (l !== undefined && r !== undefined)
      return {
        sql: `(CASE WHEN ${l} IS NULL OR ${r} IS NULL THEN NULL ELSE ${d.concat([l, r])} END)`,
        type: types.string,
      };
  }
  const l = asNumber(d, left);
  const r = asNumber(d, right);
  if (l === undefined || r === undefined)
    return fail(
      ctx.place,
      ctx.field,
      `'${op}' needs numbers, not a ${typeName(l === undefined ? left.type : right.type)}`,
    );
  if (op === "/" || op === "%")
    return { sql: `(CASE WHEN ${r} = 0 THEN NULL ELSE ${l} ${op} ${r} END)`, type: types.number };
  return { sql: `(${l} ${op} ${r})`, type: types.number };
}

export function compileExpression(ctx: ExprContext, expr: Expr): TypedSql {
  switch (expr.kind) {
    case "literal":
      return literal(ctx, expr.value);
    case "field":
      return compileField(ctx, expr.path);
    case "unary": {
      const arg = compileExpression(ctx, expr.arg);
      if (expr.op === "!")
        return { sql: `(NOT ${condition(ctx, arg, "the value after '!'")})`, type: types.boolean };
      const n = asNumber(ctx.dialect, arg);
      if (n === undefined)
        return fail(ctx.place, ctx.field, `'-' needs a number, not a ${typeName(arg.type)}`);
      return { sql: `(- ${n})`, type: types.number };
    }
    case "binary": {
      const left = compileExpression(ctx, expr.left);
      const right = compileExpression(ctx, expr.right);
      if (expr.op === "&&" || expr.op === "||") {
        const op = expr.op === "&&" ? "AND" : "OR";
        return {
          sql: `(${condition(ctx, left, `the left of '${expr.op}'`)} ${op} ${condition(ctx, right, `the right of '${expr.op}'`)})`,
          type: types.boolean,
        };
      }
      if (comparisons.has(expr.op)) return compare(ctx, expr.op, left, right);
      return arithmetic(ctx, expr.op, left, right);
    }
    case "call":
      return compileCall(ctx, expr.name, expr.args);
  }
}

/** Compiles an expression that must give a value of `wanted`'s kind. */
export function compileTyped(ctx: ExprContext, expr: Expr, wanted: ValueType["t"]): TypedSql {
  const value = compileExpression(ctx, expr);
  if (value.type.t !== wanted && value.type.t !== "null" && value.type.t !== "any")
    return fail(ctx.place, ctx.field, `expected a ${wanted}, but this gives a ${typeName(value.type)}`);
  return value;
}
