import type { StoredEvent } from "../../../store/events/stored-event.js";
import { namesMinutesActive } from "../compile/source-context.js";
import type { Expr } from "../expression/expression-ast.js";
import { parseExpression } from "../expression/parse-expression.js";
import { truncateTime } from "../expression/time-math.js";

/**
 * A small in-memory evaluator of the aggregation language, written from the spec (pendo-api.md §3.3 and
 * docs/aggregation.md), for the property test that holds the SQL compiler to it. It covers the `events`
 * source and the row stages the generator makes: identified, filter, select, eval, group, reduce, sort,
 * limit, count. Rows are nested objects; order is kept as the spec says: sort keys, then every other field.
 * Sets of active days and minutes are lists of their epoch-ms starts, distinct and ascending.
 */
type Row = Record<string, unknown>;
type Value = unknown;

export interface ReferenceInput {
  readonly events: readonly StoredEvent[];
  readonly subscriptionId: string;
  readonly defaultAppId: string;
  readonly now: number;
}

interface Rows {
  rows: Row[];
  order: { field: string; descending: boolean }[];
}

function get(row: Row, path: readonly (string | number)[]): Value {
  let value: Value = row;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return null;
    value = (value as Record<string, Value>)[segment as string];
  }
  return value ?? null;
}

function text(v: Value): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : String(v);
}

function compare(op: string, l: Value, r: Value): boolean {
  if (l === null || r === null) {
    if (op === "==") return l === r;
    if (op === "!=") return l !== r;
    return false;
  }
  let a: Value = l;
  let b: Value = r;
  if (typeof l !== typeof r) {
    if (typeof l === "number" || typeof r === "number") {
      a = Number(l);
      b = Number(r);
      if (Number.isNaN(a) || Number.isNaN(b)) {
        a = text(l);
        b = text(r);
      }
    } else {
      a = text(l);
      b = text(r);
    }
  }
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return (a as number) < (b as number);
    case "<=":
      return (a as number) <= (b as number);
    case ">":
      return (a as number) > (b as number);
    default:
      return (a as number) >= (b as number);
  }
}

const truthy = (v: Value): boolean => v === true;

export function evaluate(expr: Expr, row: Row, now: number): Value {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "field":
      return get(row, expr.path);
    case "unary": {
      const v = evaluate(expr.arg, row, now);
      if (expr.op === "!") return !truthy(v);
      return v === null ? null : -(v as number);
    }
    case "binary": {
      if (expr.op === "&&")
        return truthy(evaluate(expr.left, row, now)) && truthy(evaluate(expr.right, row, now));
      if (expr.op === "||")
        return truthy(evaluate(expr.left, row, now)) || truthy(evaluate(expr.right, row, now));
      const l = evaluate(expr.left, row, now);
      const r = evaluate(expr.right, row, now);
      if (["==", "!=", "<", "<=", ">", ">="].includes(expr.op)) return compare(expr.op, l, r);
      if (l === null || r === null) return null;
      if (expr.op === "+" && (typeof l === "string" || typeof r === "string")) return `${text(l)}${text(r)}`;
      const a = l as number;
      const b = r as number;
      switch (expr.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return b === 0 ? null : a / b;
        default:
          return b === 0 ? null : a % b;
      }
    }
    case "call": {
      const args = expr.args.map((a) => evaluate(a, row, now));
      switch (expr.name) {
        case "now":
          return now;
        case "contains":
          return args[0] !== null && args[1] !== null && String(args[0]).includes(String(args[1]));
        case "startsWith":
          return args[0] !== null && args[1] !== null && String(args[0]).startsWith(String(args[1]));
        case "toLowerCase":
          return args[0] === null ? null : String(args[0]).toLowerCase();
        case "len":
          return args[0] === null ? null : String(args[0]).length;
        case "isNull":
          return args[0] === null;
        case "identified":
          return args[0] !== null && !String(args[0]).startsWith("_PENDO_T_");
        case "if":
          return truthy(args[0]) ? args[1] : args[2];
        case "list":
          return args;
        default:
          throw new Error(`the reference has no ${expr.name}()`);
      }
    }
  }
}

function put(row: Row, name: string, value: Value): void {
  const path = name.split(".");
  let target = row;
  for (const key of path.slice(0, -1)) {
    if (typeof target[key] !== "object" || target[key] === null) target[key] = {};
    target = target[key] as Row;
  }
  target[path[path.length - 1] as string] = value;
}

const dayMs = 86_400_000;
const minuteMs = 60_000;
const floorTo = (time: number, step: number): number => Math.floor(time / step) * step;
const distinctAscending = (values: number[]): number[] => [...new Set(values)].sort((a, b) => a - b);

function eventsSource(input: ReferenceInput, spec: Record<string, unknown>, withMinutes: boolean): Rows {
  const ts = spec.timeSeries as { period: string; first: string; count: number };
  const period = ts.period === "hourRange" ? "hour" : "day";
  const step = period === "day" ? 86_400_000 : 3_600_000;
  const first = truncateTime(evaluate(parseExpression(ts.first), {}, input.now) as number, period);
  const [start, end] = ts.count > 0 ? [first, first + ts.count * step] : [first + ts.count * step, first];
  const groups = new Map<string, StoredEvent[]>();
  for (const e of input.events) {
    if (e.subscriptionId !== input.subscriptionId || e.appId !== input.defaultAppId) continue;
    if (e.occurredAt < start || e.occurredAt >= end || e.excluded) continue;
    if (!["load", "click", "focus", "submit", "change", "track"].includes(e.type)) continue;
    const key = JSON.stringify([e.visitorId, e.accountId, e.appId, truncateTime(e.occurredAt, period)]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const rows = [...groups.values()].map((events) => {
    const last = events.reduce((a, b) => (b.occurredAt > a.occurredAt ? b : a));
    // The last event's address and URL, or the latest event's that has one when the last has none.
    const lastWith = (value: (e: StoredEvent) => string | null): string | null => {
      const having = events.filter((e) => value(e) !== null);
      return having.length === 0
        ? null
        : value(having.reduce((a, b) => (b.occurredAt > a.occurredAt ? b : a)));
    };
    const url = lastWith((e) => e.url);
    const host = url ? (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/:?#]+)/.exec(url)?.[1] ?? null) : null;
    const e0 = events[0] as StoredEvent;
    return {
      accountId: e0.accountId,
      appId: e0.appId,
      [period]: truncateTime(e0.occurredAt, period),
      lastTime: last.occurredAt,
      ...(withMinutes
        ? { minutesActive: distinctAscending(events.map((e) => floorTo(e.occurredAt, minuteMs))) }
        : {}),
      numEvents: events.length,
      numMinutes: new Set(events.map((e) => Math.floor(e.occurredAt / 60_000))).size,
      remoteIp: lastWith((e) => e.ip),
      server: host,
      userAgent: lastWith((e) => e.userAgent),
      visitorId: e0.visitorId,
    } as Row;
  });
  return {
    rows,
    order: ["visitorId", "accountId", "appId", period].map((field) => ({ field, descending: false })),
  };
}

function flatKeys(row: Row, prefix = ""): string[] {
  return Object.entries(row).flatMap(([k, v]) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? flatKeys(v as Row, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

function cmp(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (Array.isArray(a) && Array.isArray(b)) {
    // item by item, then the shorter first, as the engine compares lists
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = cmp(a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** Sorts rows by the order terms, then by every other field ascending, nulls first. */
export function sortRows(data: Rows): Row[] {
  const fields = data.rows.length > 0 ? flatKeys(data.rows[0] as Row) : [];
  const terms = [
    ...data.order.filter((t) => fields.includes(t.field)),
    ...fields
      .filter((f) => !data.order.some((t) => t.field === f))
      .map((field) => ({ field, descending: false })),
  ];
  const seen = new Set<string>();
  const unique = terms.filter((t) => !seen.has(t.field) && seen.add(t.field));
  return [...data.rows].sort((x, y) => {
    for (const t of unique) {
      const c = cmp(get(x, t.field.split(".")), get(y, t.field.split(".")));
      if (c !== 0) return t.descending ? -c : c;
    }
    return 0;
  });
}

type Order = Rows["order"];

/** The times of a group's values (each a time, or a list of them), each moved to the start of its period. */
function periodStarts(values: Value[], step: number): number[] {
  const times = values.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== null) as number[];
  return distinctAscending(times.map((t) => floorTo(t, step)));
}

/** `sequence`: the rows in `sort` order (then their order), a new run at each row where `new` holds. */
function sequence(rows: Row[], spec: Record<string, unknown>, order: Order, now: number): Row[][] {
  const terms = ((spec.sort ?? []) as string[]).map((f) =>
    f.startsWith("-") ? { field: f.slice(1), descending: true } : { field: f, descending: false },
  );
  const sorted = sortRows({
    rows,
    order: [...terms, ...order.filter((t) => !terms.some((u) => u.field === t.field))],
  });
  const starts = parseExpression(spec.new as string);
  const runs: Row[][] = [];
  for (const row of sorted) {
    if (runs.length === 0 || truthy(evaluate(starts, row, now))) runs.push([]);
    runs[runs.length - 1]?.push(structuredClone(row));
  }
  return runs;
}

function aggregate(rows: Row[], spec: Record<string, unknown>, order: Order, now: number): Value {
  const [agg, arg] = Object.entries(spec)[0] as [string, unknown];
  const values = () => rows.map((r) => evaluate(parseExpression(arg as string), r, now));
  const inOrder = () =>
    sortRows({ rows, order }).map((r) => evaluate(parseExpression(arg as string), r, now));
  switch (agg) {
    case "listAverage": {
      const numbers = values()
        .flatMap((v) => (Array.isArray(v) ? v : []))
        .filter((v) => v !== null) as number[];
      return numbers.length === 0 ? null : numbers.reduce((a, b) => a + b, 0) / numbers.length;
    }
    case "concat":
      return inOrder().flatMap((v) => (Array.isArray(v) ? v : []));
    case "daysActiveCreate":
    case "daysActiveUnion":
      return periodStarts(values(), dayMs);
    case "minutesActiveUnion":
      return periodStarts(values(), minuteMs);
    case "daysActiveCount":
    case "minutesActiveCount": {
      const field = typeof arg === "string" ? arg : ((arg as Record<string, unknown>).field as string);
      const found = rows.map((r) => evaluate(parseExpression(field), r, now));
      return periodStarts(found, agg === "daysActiveCount" ? dayMs : minuteMs).length;
    }
    case "sequence":
      return sequence(rows, arg as Record<string, unknown>, order, now);
    case "count":
      return arg === null
        ? rows.length
        : new Set(
            values()
              .filter((v) => v !== null)
              .map((v) => JSON.stringify(v)),
          ).size;
    case "sum":
      return values().reduce((s: number, v) => s + ((v as number | null) ?? 0), 0);
    case "min":
    case "max": {
      const present = values().filter((v) => v !== null) as number[];
      if (present.length === 0) return null;
      return present.reduce((a, b) => (agg === "min" ? (cmp(b, a) < 0 ? b : a) : cmp(b, a) > 0 ? b : a));
    }
    case "avg": {
      const present = values().filter((v) => v !== null) as number[];
      return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
    }
    default:
      throw new Error(`the reference has no ${agg}`);
  }
}

/** Runs a pipeline of the subset above over the events; rows in the answer's order. */
export function referenceRun(input: ReferenceInput, pipeline: readonly Record<string, unknown>[]): Row[] {
  let data: Rows = { rows: [], order: [] };
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] as [string, unknown];
    const s = spec as Record<string, unknown>;
    switch (name) {
      case "source":
        data = eventsSource(input, s, namesMinutesActive(pipeline));
        break;
      case "identified":
        data.rows = data.rows.filter((r) => {
          const id = get(r, [spec as string]);
          return id !== null && !String(id).startsWith("_PENDO_T_");
        });
        break;
      case "filter": {
        const expr = parseExpression(spec as string);
        data.rows = data.rows.filter((r) => truthy(evaluate(expr, r, input.now)));
        break;
      }
      case "eval":
      case "select": {
        const exprs = Object.entries(s).map(([k, v]) => [k, parseExpression(v as string)] as const);
        data.rows = data.rows.map((r) => {
          const out: Row = name === "eval" ? structuredClone(r) : {};
          for (const [k, e] of exprs) put(out, k, evaluate(e, r, input.now));
          return out;
        });
        if (name === "select") {
          const renamed = new Map(
            Object.entries(s)
              .filter(([, v]) => typeof v === "string")
              .map(([k, v]) => [v as string, k]),
          );
          data.order = data.order.flatMap((t) => {
            const to = renamed.get(t.field);
            return to ? [{ ...t, field: to }] : [];
          });
        }
        break;
      }
      case "group": {
        const keys = s.group as string[];
        // Without keys, every row (even none) is one group, as in reduce.
        const groups = new Map<string, Row[]>(keys.length === 0 ? [["[]", []]] : []);
        for (const r of data.rows) {
          const key = JSON.stringify(keys.map((k) => get(r, k.split("."))));
          groups.set(key, [...(groups.get(key) ?? []), r]);
        }
        data = {
          rows: [...groups.values()].map((rows) => {
            const out: Row = {};
            for (const k of keys) put(out, k, get(rows[0] as Row, k.split(".")));
            for (const [out2, agg] of Object.entries(
              (s.fields ?? {}) as Record<string, Record<string, unknown>>,
            ))
              put(out, out2, aggregate(rows, agg, data.order, input.now));
            return out;
          }),
          order: keys.map((field) => ({ field, descending: false })),
        };
        break;
      }
      case "reduce": {
        const out: Row = {};
        for (const [k, agg] of Object.entries(s as Record<string, Record<string, unknown>>))
          put(out, k, aggregate(data.rows, agg, data.order, input.now));
        data = { rows: [out], order: [] };
        break;
      }
      case "sort": {
        const terms = (spec as string[]).map((f) =>
          f.startsWith("-") ? { field: f.slice(1), descending: true } : { field: f, descending: false },
        );
        data.order = [...terms, ...data.order.filter((t) => !terms.some((u) => u.field === t.field))];
        break;
      }
      case "limit":
        data.rows = sortRows(data).slice(0, spec as number);
        break;
      case "count":
        data = { rows: [{ count: data.rows.length }], order: [] };
        break;
      default:
        throw new Error(`the reference has no ${name} stage`);
    }
  }
  return sortRows(data);
}
