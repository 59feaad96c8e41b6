import type { Expr } from "./expression-ast.js";
import { addMonths, dateAddUnit, periodNames, truncateTime } from "./time-math.js";

/** An expression that needs no row (a time series' `first`, `date(2024,1,15)`), evaluated in JavaScript. */
export class ConstantError extends Error {}

type Constant = string | number | boolean | null;

/** `date(2024, 1, 15[, h, mi, s])` or `date("2024-01-15")` as epoch ms (UTC); months count from 1. */
export function dateOf(args: readonly Constant[]): number {
  if (args.length === 1 && typeof args[0] === "string") {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(args[0]) ? `${args[0]}T00:00:00Z` : args[0]);
    if (Number.isNaN(ms))
      throw new ConstantError(`date(${JSON.stringify(args[0])}) is not a date (write "2024-01-15")`);
    return ms;
  }
  if (args.length < 3 || args.length > 6 || !args.every((a) => typeof a === "number" && Number.isInteger(a)))
    throw new ConstantError(
      'date() takes (year, month, day[, hour, minute, second]) as whole numbers, or one "YYYY-MM-DD" string',
    );
  const [y, m, d, h = 0, mi = 0, s = 0] = args as number[];
  return Date.UTC(y as number, (m as number) - 1, d as number, h, mi, s);
}

export function evaluateConstant(expr: Expr, now: number): Constant {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "field":
      throw new ConstantError(
        `a field (${expr.path.join(".")}) cannot be used here; only constants and now(), date(), dateAdd(), startOfPeriod()`,
      );
    case "unary": {
      const v = evaluateConstant(expr.arg, now);
      if (expr.op === "!") return !v;
      if (typeof v !== "number") throw new ConstantError("'-' needs a number");
      return -v;
    }
    case "binary": {
      const l = evaluateConstant(expr.left, now);
      const r = evaluateConstant(expr.right, now);
      if (typeof l !== "number" || typeof r !== "number")
        throw new ConstantError(`'${expr.op}' needs numbers here`);
      switch (expr.op) {
        case "+":
          return l + r;
        case "-":
          return l - r;
        case "*":
          return l * r;
        case "/":
          return r === 0 ? null : l / r;
        case "%":
          return r === 0 ? null : l % r;
        default:
          throw new ConstantError(`'${expr.op}' does not give a time`);
      }
    }
    case "call": {
      const args = expr.args.map((a) => evaluateConstant(a, now));
      switch (expr.name) {
        case "now":
          return now;
        case "date":
          return dateOf(args);
        case "dateAdd": {
          const [t, n, unit] = args;
          const step = typeof unit === "string" ? dateAddUnit(unit) : undefined;
          if (typeof t !== "number" || typeof n !== "number" || !step)
            throw new ConstantError(
              'dateAdd() takes (time, number, "days" | "hours" | "weeks" | "months" | …)',
            );
          return "ms" in step ? t + n * step.ms : addMonths(t, n * step.months);
        }
        case "startOfPeriod": {
          const [period, t] = args;
          const unit = typeof period === "string" ? periodNames[period] : undefined;
          if (!unit || typeof t !== "number")
            throw new ConstantError('startOfPeriod() takes ("daily" | "weekly" | "monthly" | …, time)');
          return truncateTime(t, unit);
        }
        default:
          throw new ConstantError(
            `${expr.name}() cannot be used here; only now(), date(), dateAdd(), startOfPeriod()`,
          );
      }
    }
  }
}
