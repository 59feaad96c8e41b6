import type { SqlDialect } from "../../../store/events/sql-dialect.js";
import { fail, type StagePlace } from "../pipeline/pipeline-error.js";
import { orderBy } from "./order-by.js";
import { addCte, type Field, type Relation } from "./relation.js";
import type { PipelineContext } from "./source-context.js";
import { isRecord } from "./stage-context.js";
import { asJson, sqlTypeOf, type TypedSql } from "./typed-sql.js";
import { types, type ValueType } from "./value-type.js";

const sameType = (a: ValueType, b: ValueType): boolean =>
  a.t === b.t && (a.t !== "list" || (b.t === "list" && sameType(a.of, b.of)));

/** `{"cat": null}`: the streams one after another; a field missing from a stream is null there. */
export function catStreams(ctx: PipelineContext, streams: readonly Relation[]): Relation {
  const d = ctx.dialect;
  const fields: Field[] = [];
  for (const s of streams) {
    for (const f of s.fields) {
      const i = fields.findIndex((x) => x.name === f.name);
      if (i < 0) fields.push(f);
      else if (!sameType((fields[i] as Field).type, f.type) && f.type.t !== "null")
        fields[i] = { name: f.name, type: types.any };
    }
  }
  const parts = streams.map((s) => {
    const columns = fields.map((f) => {
      const own = s.fields.find((x) => x.name === f.name);
      if (!own) return `${d.nullOf(sqlTypeOf(f.type))} AS ${d.ident(f.name)}`;
      const sql =
        f.type.t === "any" && own.type.t !== "any"
          ? asJson(d, { sql: d.ident(f.name), type: own.type })
          : d.ident(f.name);
      return `${sql} AS ${d.ident(f.name)}`;
    });
    return `SELECT ${columns.join(", ")} FROM ${s.cte}`;
  });
  return { cte: addCte(ctx.state, parts.join(" UNION ALL ")), fields, order: [] };
}

/**
 * The first stream's value that is there: a list is taken from the first stream the key matched, since
 * ClickHouse's lists cannot be null (an unmatched stream's list is empty there, not null).
 */
function firstValue(d: SqlDialect, parts: readonly (TypedSql & { stream: number })[]): string {
  if (parts.length === 1) return (parts[0] as TypedSql).sql;
  if (parts.some((p) => p.type.t !== "list")) return `coalesce(${parts.map((p) => p.sql).join(", ")})`;
  const matched = (p: { stream: number }) => `j${p.stream}.${d.ident("__matched")} IS NOT NULL`;
  const cases = parts.slice(0, -1).map((p) => `WHEN ${matched(p)} AND ${p.sql} IS NOT NULL THEN ${p.sql}`);
  return `(CASE ${cases.join(" ")} ELSE ${(parts[parts.length - 1] as TypedSql).sql} END)`;
}

/**
 * `{"join": {"fields": ["visitorId"], "width": 2}}`: rows of the streams that share the key values become
 * one row (the first stream's value wins where several have a field); `width` is how many streams a key
 * must appear in (default 1). `fields: []` joins every stream's rows into one (a cross join of reductions).
 */
export function joinStreams(
  ctx: PipelineContext,
  place: StagePlace,
  streams: readonly Relation[],
  spec: unknown,
): Relation {
  if (!isRecord(spec)) return fail(place, null, 'takes {"fields": ["visitorId"], "width": 2}');
  const keys = spec.fields ?? [];
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string"))
    return fail(place, "fields", "must be a list of field names");
  const width = spec.width ?? 1;
  if (typeof width !== "number" || !Number.isInteger(width) || width < 1 || width > streams.length)
    return fail(place, "width", `must be a whole number from 1 to the number of streams (${streams.length})`);
  const d = ctx.dialect;
  for (const [i, s] of streams.entries())
    for (const k of keys as string[])
      if (!s.fields.some((f) => f.name === k))
        fail(place, k, `stream ${i + 1} has no such field; it has ${s.fields.map((f) => f.name).join(", ")}`);
  const keyList = keys as string[];
  const keyFields = keyList.map((k) => (streams[0] as Relation).fields.find((f) => f.name === k) as Field);
  const keysCte =
    keyList.length === 0
      ? addCte(ctx.state, "SELECT 1 AS one")
      : addCte(
          ctx.state,
          streams
            .map((s) => `SELECT ${keyList.map((k) => d.ident(k)).join(", ")} FROM ${s.cte}`)
            .join(" UNION DISTINCT "),
        );
  const fields: Field[] = [...keyFields];
  const columns = keyList.map((k) => `k.${d.ident(k)} AS ${d.ident(k)}`);
  const others = new Map<string, { field: Field; sources: (TypedSql & { stream: number })[] }>();
  const joins = streams.map((s, i) => {
    for (const f of s.fields) {
      if (keyList.includes(f.name)) continue;
      const source = { sql: `j${i}.${d.ident(f.name)}`, type: f.type, stream: i };
      const entry = others.get(f.name);
      if (entry) {
        entry.sources.push(source);
        if (!sameType(entry.field.type, f.type)) entry.field = { name: f.name, type: types.any };
      } else others.set(f.name, { field: f, sources: [source] });
    }
    const on =
      keyList.length === 0
        ? "TRUE"
        : keyList.map((k) => `k.${d.ident(k)} IS NOT DISTINCT FROM j${i}.${d.ident(k)}`).join(" AND ");
    return `LEFT JOIN (SELECT *, 1 AS ${d.ident("__matched")} FROM ${s.cte}) j${i} ON ${on}`;
  });
  for (const { field, sources } of others.values()) {
    fields.push(field);
    const parts = sources.map((s) => ({ ...s, sql: field.type.t === "any" ? asJson(d, s) : s.sql }));
    columns.push(`${firstValue(d, parts)} AS ${d.ident(field.name)}`);
  }
  const matched = streams
    .map((_, i) => `(CASE WHEN j${i}.${d.ident("__matched")} IS NULL THEN 0 ELSE 1 END)`)
    .join(" + ");
  const sql = `SELECT ${columns.join(", ")} FROM ${keysCte} k ${joins.join(" ")} WHERE ${matched} >= ${width}`;
  return {
    cte: addCte(ctx.state, sql),
    fields,
    order: keyFields.map((f) => ({ field: f.name, descending: false })),
  };
}

/**
 * `{"merge": {"fields": ["pageId"], "mappings": {"groupId": "group.id"}, "pipeline": [...]}}`: each row gets
 * fields from the sub-pipeline's row with the same key values (null when there is none).
 */
export function mergeRows(
  ctx: PipelineContext,
  place: StagePlace,
  left: Relation,
  right: Relation,
  keys: readonly string[],
  mappings: Record<string, string> | null,
): Relation {
  const d = ctx.dialect;
  for (const k of keys) {
    if (!left.fields.some((f) => f.name === k)) fail(place, k, "the rows have no such field to merge on");
    if (!right.fields.some((f) => f.name === k))
      fail(place, k, "the merged pipeline's rows have no such field");
  }
  const added: { out: string; from: Field }[] = [];
  if (mappings) {
    for (const [out, from] of Object.entries(mappings)) {
      const f = right.fields.find((x) => x.name === from);
      if (!f)
        fail(
          place,
          from,
          `the merged pipeline's rows have no such field; they have ${right.fields.map((x) => x.name).join(", ")}`,
        );
      added.push({ out, from: f as Field });
    }
  } else for (const f of right.fields) if (!keys.includes(f.name)) added.push({ out: f.name, from: f });
  const kept = left.fields.filter((f) => !added.some((a) => a.out === f.name));
  // One matching row per key: the first in the merged rows' order.
  const ranked = addCte(
    ctx.state,
    `SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY ${keys.map((k) => d.ident(k)).join(", ") || "1"} ORDER BY ${orderBy(d, right)}) AS ${d.ident("__rank")} FROM ${right.cte}) WHERE ${d.ident("__rank")} = 1`,
  );
  const on =
    keys.length === 0
      ? "TRUE"
      : keys.map((k) => `l.${d.ident(k)} IS NOT DISTINCT FROM r.${d.ident(k)}`).join(" AND ");
  const columns = [
    ...kept.map((f) => `l.${d.ident(f.name)}`),
    ...added.map((a) => `r.${d.ident(a.from.name)} AS ${d.ident(a.out)}`),
  ];
  return {
    cte: addCte(ctx.state, `SELECT ${columns.join(", ")} FROM ${left.cte} l LEFT JOIN ${ranked} r ON ${on}`),
    fields: [...kept, ...added.map((a) => ({ name: a.out, type: a.from.type }))],
    order: left.order.filter((t) => kept.some((f) => f.name === t.field)),
  };
}
