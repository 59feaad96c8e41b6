import { ConstantError, dateOf, evaluateConstant } from "../expression/evaluate-constant.js";
import type { Expr } from "../expression/expression-ast.js";
import { dateAddUnit, periodNames } from "../expression/time-math.js";
import { fail } from "../pipeline/pipeline-error.js";
import type { ExprContext } from "./expression-context.js";
import { bind } from "./relation.js";
import { asJson, asNumber, asText, type TypedSql } from "./typed-sql.js";
import { listOf, typeName, types, type ValueType } from "./value-type.js";

type Compiler = (ctx: ExprContext, args: readonly Expr[]) => TypedSql;

const arity = (ctx: ExprContext, name: string, args: readonly Expr[], min: number, max = min): void => {
  if (args.length < min || args.length > max)
    fail(
      ctx.place,
      ctx.field,
      `${name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? "" : "s"}, not ${args.length}`,
    );
};

function text(ctx: ExprContext, name: string, arg: Expr): string {
  const value = ctx.compile(ctx, arg);
  const sql = asText(ctx.dialect, value);
  if (sql === undefined)
    return fail(ctx.place, ctx.field, `${name}() needs text, not a ${typeName(value.type)}`);
  return sql;
}

function number(ctx: ExprContext, name: string, arg: Expr): string {
  const value = ctx.compile(ctx, arg);
  const sql = asNumber(ctx.dialect, value);
  if (sql === undefined)
    return fail(ctx.place, ctx.field, `${name}() needs a number, not a ${typeName(value.type)}`);
  return sql;
}

function stringLiteral(ctx: ExprContext, name: string, arg: Expr | undefined, what: string): string {
  if (arg?.kind !== "literal" || typeof arg.value !== "string")
    return fail(ctx.place, ctx.field, `${name}() takes ${what} as a quoted string`);
  return arg.value;
}

function constant(ctx: ExprContext, expr: Expr): string | number | boolean | null {
  try {
    return evaluateConstant(expr, ctx.now);
  } catch (error) {
    return fail(ctx.place, ctx.field, error instanceof ConstantError ? error.message : String(error));
  }
}

/** The kind of a value, known from its type unless it is JSON. */
function kindTest(kind: "number" | "string" | "boolean" | "list"): Compiler {
  return (ctx, args) => {
    arity(ctx, `is${kind}`, args, 1);
    const value = ctx.compile(ctx, args[0] as Expr);
    if (value.type.t === "any")
      return { sql: `(${ctx.dialect.jsonKind(value.sql)} = '${kind}')`, type: types.boolean };
    return { sql: value.type.t === kind ? `(${value.sql} IS NOT NULL)` : "FALSE", type: types.boolean };
  };
}

function isNull(ctx: ExprContext, args: readonly Expr[]): TypedSql {
  arity(ctx, "isNull", args, 1);
  const value = ctx.compile(ctx, args[0] as Expr);
  if (value.type.t === "any")
    return {
      sql: `(${value.sql} IS NULL OR ${ctx.dialect.jsonKind(value.sql)} = 'null')`,
      type: types.boolean,
    };
  return { sql: `(${value.sql} IS NULL)`, type: types.boolean };
}

/** Two branches' types as one: the same type, or JSON when they differ. */
function unify(a: ValueType, b: ValueType): ValueType {
  if (a.t === "null") return b;
  if (b.t === "null") return a;
  if (a.t === b.t && a.t !== "list") return a;
  if (a.t === "list" && b.t === "list") return listOf(unify(a.of, b.of));
  return types.any;
}

const functions: Record<string, Compiler> = {
  now: (ctx, args) => {
    arity(ctx, "now", args, 0);
    return { sql: ctx.dialect.number(ctx.now), type: types.number };
  },
  date: (ctx, args) => {
    const values = args.map((a) => constant(ctx, a));
    try {
      return { sql: ctx.dialect.number(dateOf(values)), type: types.number };
    } catch (error) {
      return fail(ctx.place, ctx.field, error instanceof Error ? error.message : String(error));
    }
  },
  dateAdd: (ctx, args) => {
    arity(ctx, "dateAdd", args, 3);
    const unit = stringLiteral(ctx, "dateAdd", args[2], 'its unit ("days", "hours", "months", …)');
    const step = dateAddUnit(unit);
    if (!step)
      return fail(
        ctx.place,
        ctx.field,
        `dateAdd() has no unit "${unit}"; use seconds, minutes, hours, days, weeks, months, quarters or years`,
      );
    const t = number(ctx, "dateAdd", args[0] as Expr);
    const n = number(ctx, "dateAdd", args[1] as Expr);
    if ("ms" in step) return { sql: `(${t} + ${n} * ${ctx.dialect.number(step.ms)})`, type: types.number };
    return { sql: ctx.dialect.addMonths(t, `(${n} * ${step.months})`), type: types.number };
  },
  startOfPeriod: (ctx, args) => {
    arity(ctx, "startOfPeriod", args, 2);
    const period = stringLiteral(
      ctx,
      "startOfPeriod",
      args[0],
      'its period ("daily", "weekly", "monthly", …)',
    );
    const unit = periodNames[period];
    if (!unit)
      return fail(
        ctx.place,
        ctx.field,
        `startOfPeriod() has no period "${period}"; use hourly, daily, weekly, monthly, quarterly or yearly`,
      );
    return {
      sql: ctx.dialect.truncateTime(number(ctx, "startOfPeriod", args[1] as Expr), unit),
      type: types.number,
    };
  },
  contains: (ctx, args) => {
    arity(ctx, "contains", args, 2);
    const haystack = ctx.compile(ctx, args[0] as Expr);
    if (haystack.type.t === "list") {
      const item = ctx.compile(ctx, args[1] as Expr);
      return {
        sql: `coalesce(${ctx.dialect.listContains(haystack.sql, item.sql)}, FALSE)`,
        type: types.boolean,
      };
    }
    const t = asText(ctx.dialect, haystack);
    if (t === undefined)
      return fail(ctx.place, ctx.field, `contains() needs text or a list, not a ${typeName(haystack.type)}`);
    return {
      sql: `coalesce(${ctx.dialect.containsText(t, text(ctx, "contains", args[1] as Expr))}, FALSE)`,
      type: types.boolean,
    };
  },
  startsWith: (ctx, args) => {
    arity(ctx, "startsWith", args, 2);
    const sql = ctx.dialect.startsWith(
      text(ctx, "startsWith", args[0] as Expr),
      text(ctx, "startsWith", args[1] as Expr),
    );
    return { sql: `coalesce(${sql}, FALSE)`, type: types.boolean };
  },
  split: (ctx, args) => {
    arity(ctx, "split", args, 2);
    return {
      sql: ctx.dialect.split(text(ctx, "split", args[0] as Expr), text(ctx, "split", args[1] as Expr)),
      type: listOf(types.string),
    };
  },
  toLowerCase: (ctx, args) => {
    arity(ctx, "toLowerCase", args, 1);
    return { sql: ctx.dialect.lower(text(ctx, "toLowerCase", args[0] as Expr)), type: types.string };
  },
  toUpperCase: (ctx, args) => {
    arity(ctx, "toUpperCase", args, 1);
    return { sql: ctx.dialect.upper(text(ctx, "toUpperCase", args[0] as Expr)), type: types.string };
  },
  toString: (ctx: ExprContext, args: readonly Expr[]): TypedSql => {
    arity(ctx, "toString", args, 1);
    return { sql: text(ctx, "toString", args[0] as Expr), type: types.string };
  },
  len: (ctx, args) => {
    arity(ctx, "len", args, 1);
    const value = ctx.compile(ctx, args[0] as Expr);
    if (value.type.t === "list") return { sql: ctx.dialect.listLength(value.sql), type: types.number };
    const t = asText(ctx.dialect, value);
    if (t === undefined)
      return fail(ctx.place, ctx.field, `len() needs text or a list, not a ${typeName(value.type)}`);
    return { sql: ctx.dialect.textLength(t), type: types.number };
  },
  isNull,
  isNil: isNull,
  isEmpty: (ctx, args) => {
    arity(ctx, "isEmpty", args, 1);
    const value = ctx.compile(ctx, args[0] as Expr);
    if (value.type.t === "list")
      return {
        sql: `(${value.sql} IS NULL OR ${ctx.dialect.listLength(value.sql)} = 0)`,
        type: types.boolean,
      };
    const t = asText(ctx.dialect, value);
    if (t === undefined) return { sql: `(${value.sql} IS NULL)`, type: types.boolean };
    return { sql: `(${t} IS NULL OR ${t} = '')`, type: types.boolean };
  },
  isNumber: kindTest("number"),
  isString: kindTest("string"),
  isBoolean: kindTest("boolean"),
  isList: kindTest("list"),
  if: (ctx, args) => {
    arity(ctx, "if", args, 3);
    const test = ctx.condition(ctx, ctx.compile(ctx, args[0] as Expr), "if()'s first argument");
    const a = ctx.compile(ctx, args[1] as Expr);
    const b = ctx.compile(ctx, args[2] as Expr);
    const type = unify(a.type, b.type);
    const side = (v: TypedSql) => (type.t === "any" ? asJson(ctx.dialect, v) : v.sql);
    return { sql: `(CASE WHEN ${test} THEN ${side(a)} ELSE ${side(b)} END)`, type };
  },
  identified: (ctx, args) => {
    arity(ctx, "identified", args, 1);
    const id = text(ctx, "identified", args[0] as Expr);
    return {
      sql: `(${id} IS NOT NULL AND NOT ${ctx.dialect.startsWith(id, "'_PENDO_T_'")})`,
      type: types.boolean,
    };
  },
  hash: (ctx, args) => {
    arity(ctx, "hash", args, 1);
    return { sql: ctx.dialect.md5(text(ctx, "hash", args[0] as Expr)), type: types.string };
  },
  list: (ctx, args) => {
    if (args.length === 0) return fail(ctx.place, ctx.field, "list() needs at least one item");
    const items = args.map((a) => ctx.compile(ctx, a));
    const of = items.map((i) => i.type).reduce(unify);
    const sql = items.map((i) => (of.t === "any" ? asJson(ctx.dialect, i) : i.sql));
    return { sql: ctx.dialect.listOf(sql), type: listOf(of) };
  },
  eventSubType: (ctx, args) => {
    arity(ctx, "eventSubType", args, 1);
    return { sql: text(ctx, "eventSubType", args[0] as Expr), type: types.string };
  },
  round: (ctx, args) => {
    arity(ctx, "round", args, 1);
    return { sql: ctx.dialect.round(number(ctx, "round", args[0] as Expr)), type: types.number };
  },
  floor: (ctx, args) => {
    arity(ctx, "floor", args, 1);
    return { sql: `floor(${number(ctx, "floor", args[0] as Expr)})`, type: types.number };
  },
  ceil: (ctx, args) => {
    arity(ctx, "ceil", args, 1);
    return { sql: `ceil(${number(ctx, "ceil", args[0] as Expr)})`, type: types.number };
  },
  abs: (ctx, args) => {
    arity(ctx, "abs", args, 1);
    return { sql: `abs(${number(ctx, "abs", args[0] as Expr)})`, type: types.number };
  },
};
functions.lower = functions.toLowerCase as Compiler;
functions.upper = functions.toUpperCase as Compiler;

export const functionNames = Object.keys(functions).sort();

export function compileCall(ctx: ExprContext, name: string, args: readonly Expr[]): TypedSql {
  const compile = functions[name];
  if (compile) return compile(ctx, args);
  if (name === "expandAppIds")
    return fail(ctx.place, ctx.field, 'expandAppIds() belongs in a source\'s "appId" parameter');
  return fail(ctx.place, ctx.field, `no function ${name}(); the functions are ${functionNames.join(", ")}`);
}

/** Binds a string constant for use in SQL. */
export const stringParam = (ctx: ExprContext, value: string): string =>
  ctx.dialect.param(bind(ctx.state, value), "string");
