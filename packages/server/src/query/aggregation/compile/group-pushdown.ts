import type { SqlDialect } from "../../../store/events/sql-dialect.js";
import { addCte, type Field, type Relation } from "./relation.js";
import type { PipelineContext } from "./source-context.js";
import { isRecord } from "./stage-context.js";
import { types } from "./value-type.js";

/**
 * How an aggregated event source reads its rollups, kept so that a `group` (or `identified`, then `group`)
 * right after it can be answered from the rollup rows in one pass, as a hand-written query would: the source's
 * rows are per visitor, account, app, period and subject, so grouping by some of those keys with sums of
 * `numEvents`, distinct counts of keys, and the extremes of keys and `lastTime` gives the same answer from the
 * rollups directly. Anything else (numMinutes, which needs each hour's minutes merged first) reads the source.
 */
export interface RollupScan {
  readonly from: string;
  readonly where: readonly string[];
  /** Source field → its expression over the rollup rows (`r`, and `m` for the subject). */
  readonly keys: Readonly<Record<string, string>>;
  readonly lastTime: string;
}

const scans = new WeakMap<Relation, RollupScan>();

export function rememberScan(relation: Relation, scan: RollupScan): Relation {
  scans.set(relation, scan);
  return relation;
}

/** `identified` right after the source: the same rows, with the condition on the rollups kept for a group. */
export function pushIdentified(
  relation: Relation,
  filtered: Relation,
  d: SqlDialect,
  anonymous: boolean,
): Relation {
  const scan = scans.get(relation);
  if (!scan) return filtered;
  const test = d.startsWith(scan.keys.visitorId as string, "'_PENDO_T_'");
  return rememberScan(filtered, { ...scan, where: [...scan.where, anonymous ? test : `NOT ${test}`] });
}

function aggregateOverRollups(d: SqlDialect, scan: RollupScan, spec: unknown): string | undefined {
  if (!isRecord(spec) || Object.keys(spec).length !== 1) return undefined;
  const [agg, arg] = Object.entries(spec)[0] as [string, unknown];
  if (agg === "sum" && arg === "numEvents") return "coalesce(CAST(sum(r.num_events) AS DOUBLE), 0)";
  if (agg === "count" && typeof arg === "string" && scan.keys[arg])
    return d.countDistinct(scan.keys[arg] as string);
  if ((agg === "min" || agg === "max") && typeof arg === "string") {
    if (arg === "lastTime" && agg === "max") return `max(${scan.lastTime})`;
    if (scan.keys[arg]) return `${agg}(${scan.keys[arg]})`;
  }
  return undefined;
}

/** The group stage over the rollups, or undefined when it needs the source's rows. */
export function pushGroup(ctx: PipelineContext, relation: Relation, spec: unknown): Relation | undefined {
  const scan = scans.get(relation);
  if (!scan || !isRecord(spec)) return undefined;
  const keys = typeof spec.group === "string" ? [spec.group] : spec.group;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string" && scan.keys[k])) return undefined;
  const outputs: [string, unknown][] = [];
  if (Array.isArray(spec.fields)) {
    for (const item of spec.fields) {
      if (!isRecord(item) || Object.keys(item).length !== 1) return undefined;
      outputs.push(Object.entries(item)[0] as [string, unknown]);
    }
  } else if (isRecord(spec.fields)) outputs.push(...Object.entries(spec.fields));
  else if (spec.fields !== undefined && spec.fields !== null) return undefined;
  if (keys.length === 0 && outputs.length === 0) return undefined;
  const d = ctx.dialect;
  const names = new Set<string>(keys as string[]);
  const columns: string[] = (keys as string[]).map((k) => `${scan.keys[k]} AS ${d.ident(k)}`);
  const fields: Field[] = (keys as string[]).map((k) => relation.fields.find((f) => f.name === k) as Field);
  for (const [out, agg] of outputs) {
    const sql = aggregateOverRollups(d, scan, agg);
    if (sql === undefined || names.has(out)) return undefined;
    names.add(out);
    columns.push(`${sql} AS ${d.ident(out)}`);
    fields.push({ name: out, type: types.number });
  }
  const groupBy =
    keys.length > 0 ? ` GROUP BY ${(keys as string[]).map((k) => scan.keys[k]).join(", ")}` : "";
  return {
    cte: addCte(
      ctx.state,
      `SELECT ${columns.join(", ")} FROM ${scan.from} WHERE ${scan.where.join(" AND ")}${groupBy}`,
    ),
    fields,
    order: (keys as string[]).map((field) => ({ field, descending: false })),
  };
}
