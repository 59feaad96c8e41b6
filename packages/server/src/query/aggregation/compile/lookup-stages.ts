import { fail } from "../pipeline/pipeline-error.js";
import { compileExpression } from "./compile-expression.js";
import { accountsSource, visitorsSource } from "./object-sources.js";
import { addCte, bind, type Field, type Relation } from "./relation.js";
import { parseIn, stringList } from "./row-stages.js";
import { exprContext, isRecord, type StageInput } from "./stage-context.js";
import { asText } from "./typed-sql.js";
import { browserRules, defaultDevice, deviceRules, osRules } from "./useragent-rules.js";
import { typeName, types } from "./value-type.js";

function clash(input: StageInput, name: string, fields: readonly Field[]): void {
  if (fields.some((f) => f.name === name || f.name.startsWith(`${name}.`) || name.startsWith(`${f.name}.`)))
    fail(input.place, name, "the rows already have this field");
}

/** `{"unwind": {"field": "list", "index": "listIndex", "keepEmpty": true}}`: one row per item of a list. */
export function unwindStage(input: StageInput, spec: unknown): Relation {
  if (!isRecord(spec) || typeof spec.field !== "string")
    return fail(
      input.place,
      null,
      'takes {"field": "aList", "index": "position field (optional)", "keepEmpty": false}',
    );
  const r = input.relation;
  const d = input.ctx.dialect;
  const target = r.fields.find((f) => f.name === spec.field);
  if (!target)
    return fail(
      input.place,
      spec.field,
      `no such field; the rows have ${r.fields.map((f) => f.name).join(", ")}`,
    );
  if (target.type.t !== "list")
    return fail(input.place, spec.field, `is a ${typeName(target.type)}, not a list`);
  const index = spec.index;
  if (index !== undefined && (typeof index !== "string" || index === ""))
    return fail(input.place, "index", "must be a field name");
  if (typeof index === "string")
    clash(
      input,
      index,
      r.fields.filter((f) => f.name !== target.name),
    );
  const fields: Field[] = r.fields.map((f) =>
    f.name === target.name
      ? { name: f.name, type: target.type.t === "list" ? target.type.of : types.any }
      : f,
  );
  const unnest = d.unnestJoin(`p.${d.ident(target.name)}`, spec.keepEmpty === true);
  const columns = r.fields.map((f) =>
    f.name === target.name ? `${unnest.item} AS ${d.ident(f.name)}` : `p.${d.ident(f.name)}`,
  );
  if (typeof index === "string") {
    fields.push({ name: index, type: types.number });
    columns.push(`${unnest.index} AS ${d.ident(index)}`);
  }
  const order = [
    ...r.order.filter((t) => t.field !== target.name),
    ...(typeof index === "string" ? [{ field: index, descending: false }] : []),
  ];
  return {
    cte: addCte(input.ctx.state, `SELECT ${columns.join(", ")} FROM ${r.cte} p ${unnest.join}`),
    fields,
    order,
  };
}

/** `{"segment": {"id": "…"}}`: only rows of the segment's visitors. */
export function segmentStage(input: StageInput, spec: unknown): Relation {
  if (!isRecord(spec) || typeof spec.id !== "string" || spec.id === "")
    return fail(input.place, "id", 'names a segment: {"id": "seg-…"}');
  const visitors = input.ctx.segmentVisitors?.(spec.id);
  if (!visitors) return fail(input.place, "id", `no segment ${spec.id} in this subscription`);
  const r = input.relation;
  if (!r.fields.some((f) => f.name === "visitorId"))
    return fail(input.place, "visitorId", "segments select visitors, and these rows have no visitorId");
  const inSegment =
    visitors.length === 0
      ? "FALSE"
      : `${input.ctx.dialect.ident("visitorId")} IN ${stringList(input, visitors)}`;
  return { ...r, cte: addCte(input.ctx.state, `SELECT * FROM ${r.cte} WHERE ${inSegment}`) };
}

/**
 * `{"expand": {"visitorInfo": {"visitor": "visitorId"}}}` (and `bulkExpand`): adds the visitor's (or
 * account's) record under the name given, looked up by the field's value.
 */
export function expandStage(input: StageInput, spec: unknown): Relation {
  if (!isRecord(spec) || Object.keys(spec).length === 0)
    return fail(
      input.place,
      null,
      'takes {"out": {"visitor": "visitorId"}} or {"out": {"account": "accountId"}}',
    );
  const d = input.ctx.dialect;
  let r = input.relation;
  for (const [out, how] of Object.entries(spec)) {
    if (!isRecord(how) || Object.keys(how).length !== 1)
      return fail(input.place, out, 'must be {"visitor": "field"} or {"account": "field"}');
    const [kind, by] = Object.entries(how)[0] as [string, unknown];
    if (kind !== "visitor" && kind !== "account")
      return fail(input.place, out, `can expand a visitor or an account, not ${JSON.stringify(kind)}`);
    clash(input, out, r.fields);
    const key = asText(
      d,
      compileExpression(exprContext({ ...input, relation: r }, out), parseIn(input, out, by)),
    );
    if (key === undefined) return fail(input.place, out, "the looked-up field must be text");
    const target =
      kind === "visitor"
        ? visitorsSource(input.ctx, input.place, {})
        : accountsSource(input.ctx, input.place, {});
    const idField = kind === "visitor" ? "visitorId" : "accountId";
    const columns = [
      ...r.fields.map((f) => `l.${d.ident(f.name)}`),
      ...target.fields.map((f) => `x.${d.ident(f.name)} AS ${d.ident(`${out}.${f.name}`)}`),
    ];
    const keyed = addCte(input.ctx.state, `SELECT *, ${key} AS ${d.ident("__key")} FROM ${r.cte}`);
    r = {
      cte: addCte(
        input.ctx.state,
        `SELECT ${columns.join(", ")} FROM ${keyed} l LEFT JOIN ${target.cte} x ON x.${d.ident(idField)} = l.${d.ident("__key")}`,
      ),
      fields: [...r.fields, ...target.fields.map((f) => ({ name: `${out}.${f.name}`, type: f.type }))],
      order: r.order,
    };
  }
  return r;
}

/** `{"useragent": {"browser": "userAgent"}}`: `browser.name`, `browser.version`, `browser.os`, `browser.deviceType`. */
export function useragentStage(input: StageInput, spec: unknown): Relation {
  if (!isRecord(spec) || Object.keys(spec).length === 0)
    return fail(input.place, null, 'takes {"out": "userAgent field"}');
  const d = input.ctx.dialect;
  const r = input.relation;
  const param = (v: string) => d.param(bind(input.ctx.state, v), "string");
  const fields: Field[] = [...r.fields];
  const columns = r.fields.map((f) => d.ident(f.name));
  for (const [out, source] of Object.entries(spec)) {
    clash(input, out, fields);
    const ua = asText(d, compileExpression(exprContext(input, out), parseIn(input, out, source)));
    if (ua === undefined) return fail(input.place, out, "the user agent must be text");
    const first = (
      rules: readonly { name: string; pattern: string }[],
      value: (rule: { name: string; pattern: string }) => string,
      otherwise: string,
    ) =>
      `(CASE ${rules.map((rule) => `WHEN coalesce(${d.regexMatches(ua, param(rule.pattern))}, FALSE) THEN ${value(rule)}`).join(" ")} ELSE ${otherwise} END)`;
    const parts: [string, string][] = [
      ["name", first(browserRules, (rule) => param(rule.name), d.nullOf("string"))],
      ["version", first(browserRules, (rule) => d.regexExtract(ua, param(rule.pattern)), d.nullOf("string"))],
      ["os", first(osRules, (rule) => param(rule.name), d.nullOf("string"))],
      [
        "deviceType",
        `(CASE WHEN ${ua} IS NULL THEN ${d.nullOf("string")} ELSE ${first(deviceRules, (rule) => param(rule.name), param(defaultDevice))} END)`,
      ],
    ];
    for (const [name, sql] of parts) {
      fields.push({ name: `${out}.${name}`, type: types.string });
      columns.push(`${sql} AS ${d.ident(`${out}.${name}`)}`);
    }
  }
  return {
    cte: addCte(input.ctx.state, `SELECT ${columns.join(", ")} FROM ${r.cte}`),
    fields,
    order: r.order,
  };
}
