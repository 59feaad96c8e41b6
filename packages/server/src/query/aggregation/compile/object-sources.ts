import type { SqlValue } from "../../../store/events/sql-dialect.js";
import { ConstantError, evaluateConstant } from "../expression/evaluate-constant.js";
import { ExpressionSyntaxError, parseExpression } from "../expression/parse-expression.js";
import { fail, type StagePlace } from "../pipeline/pipeline-error.js";
import { addCte, bind, type Field, type Relation } from "./relation.js";
import type { PipelineContext } from "./source-context.js";
import { appsOf } from "./source-params.js";
import { types, type ValueType } from "./value-type.js";

type Column = readonly [name: string, sql: string, type: ValueType];

function relationOf(
  ctx: PipelineContext,
  columns: readonly Column[],
  from: string,
  order: string[],
): Relation {
  const d = ctx.dialect;
  return {
    cte: addCte(
      ctx.state,
      `SELECT ${columns.map(([n, sql]) => `${sql} AS ${d.ident(n)}`).join(", ")} FROM ${from}`,
    ),
    fields: columns.map(([name, , type]) => ({ name, type })),
    order: order.map((field) => ({ field, descending: false })),
  };
}

function sinceOf(ctx: PipelineContext, place: StagePlace, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    try {
      const t = evaluateConstant(parseExpression(value), ctx.now);
      if (typeof t === "number") return t;
    } catch (error) {
      if (!(error instanceof ConstantError || error instanceof ExpressionSyntaxError)) throw error;
      return fail(place, "since", error.message);
    }
  }
  return fail(place, "since", 'must be a time, e.g. "date(2024,1,15)" or epoch milliseconds');
}

/** `visitors`: every visitor with Pendo's metadata groups (agent, auto, custom). */
export function visitorsSource(
  ctx: PipelineContext,
  place: StagePlace,
  params: Record<string, unknown>,
): Relation {
  const d = ctx.dialect;
  const conditions = [`v.subscription_id = ${d.param(bind(ctx.state, ctx.subscriptionId), "string")}`];
  if (params.identified === true) conditions.push(`NOT ${d.startsWith("v.visitor_id", "'_PENDO_T_'")}`);
  else if (params.identified === false) conditions.push(d.startsWith("v.visitor_id", "'_PENDO_T_'"));
  else if (params.identified !== undefined && params.identified !== null)
    fail(place, "identified", "must be true or false");
  const since = sinceOf(ctx, place, params.since);
  if (since !== undefined) conditions.push(`v.last_updated >= ${d.number(since)}`);
  const columns: Column[] = [
    ["metadata.agent", d.parseJson("v.agent_metadata"), types.object],
    ["metadata.auto.accountid", "v.last_account_id", types.string],
    ["metadata.auto.firstvisit", "v.first_visit", types.number],
    ["metadata.auto.id", "v.visitor_id", types.string],
    ["metadata.auto.lastbrowsername", "v.last_browser_name", types.string],
    ["metadata.auto.lastbrowserversion", "v.last_browser_version", types.string],
    ["metadata.auto.lastoperatingsystem", "v.last_operating_system", types.string],
    ["metadata.auto.lastservername", "v.last_server_name", types.string],
    ["metadata.auto.lastupdated", "v.last_updated", types.number],
    ["metadata.auto.lastuseragent", "v.last_user_agent", types.string],
    ["metadata.auto.lastvisit", "v.last_visit", types.number],
    ["metadata.custom", d.parseJson("v.custom_metadata"), types.object],
    ["visitorId", "v.visitor_id", types.string],
  ];
  return relationOf(
    ctx,
    columns,
    `${d.profileTable("visitor_profiles", "v")} WHERE ${conditions.join(" AND ")}`,
    ["visitorId"],
  );
}

export function accountsSource(
  ctx: PipelineContext,
  place: StagePlace,
  params: Record<string, unknown>,
): Relation {
  const d = ctx.dialect;
  const conditions = [`a.subscription_id = ${d.param(bind(ctx.state, ctx.subscriptionId), "string")}`];
  const since = sinceOf(ctx, place, params.since);
  if (since !== undefined) conditions.push(`a.last_updated >= ${d.number(since)}`);
  const columns: Column[] = [
    ["accountId", "a.account_id", types.string],
    ["metadata.agent", d.parseJson("a.agent_metadata"), types.object],
    ["metadata.auto.firstvisit", "a.first_visit", types.number],
    ["metadata.auto.id", "a.account_id", types.string],
    ["metadata.auto.lastupdated", "a.last_updated", types.number],
    ["metadata.auto.lastvisit", "a.last_visit", types.number],
    ["metadata.custom", d.parseJson("a.custom_metadata"), types.object],
  ];
  return relationOf(
    ctx,
    columns,
    `${d.profileTable("account_profiles", "a")} WHERE ${conditions.join(" AND ")}`,
    ["accountId"],
  );
}

/** Rows given here (pages, features, track types, guides: from the metadata store) as a table of bound values. */
function valuesRelation(
  ctx: PipelineContext,
  fields: readonly Field[],
  rows: readonly (readonly SqlValue[])[],
  order: string[],
): Relation {
  const d = ctx.dialect;
  const typed = (value: SqlValue, type: ValueType): string => {
    if (value === null)
      return d.nullOf(
        type.t === "number"
          ? "number"
          : type.t === "boolean"
            ? "boolean"
            : type.t === "string"
              ? "string"
              : "json",
      );
    if (type.t === "any" || type.t === "object")
      return d.parseJson(d.param(bind(ctx.state, String(value)), "string"));
    if (typeof value === "number") return d.number(value);
    if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
    return d.param(bind(ctx.state, value), "string");
  };
  const selects = rows.map(
    (row) =>
      `SELECT ${fields.map((f, i) => `${typed(row[i] ?? null, f.type)} AS ${d.ident(f.name)}`).join(", ")}`,
  );
  const sql =
    selects.length > 0
      ? selects.join(" UNION ALL ")
      : `SELECT ${fields.map((f) => `${typed(null, f.type)} AS ${d.ident(f.name)}`).join(", ")} WHERE FALSE`;
  return { cte: addCte(ctx.state, sql), fields, order: order.map((field) => ({ field, descending: false })) };
}

const objectFields = (extra: Field[]): Field[] =>
  [
    { name: "appId", type: types.string },
    { name: "id", type: types.string },
    { name: "kind", type: types.string },
    { name: "name", type: types.string },
    ...extra,
  ].sort((a, b) => (a.name < b.name ? -1 : 1));

/** `pages`, `features`, `trackTypes`, `guides`: the subscription's definitions, in the apps asked for. */
export function definitionsSource(
  ctx: PipelineContext,
  place: StagePlace,
  name: "pages" | "features" | "trackTypes" | "guides",
  params: Record<string, unknown>,
): Relation {
  const apps = new Set(params.appId === undefined ? ctx.appIds : appsOf(ctx, place, params.appId));
  const row = (fields: Field[], values: Record<string, SqlValue>): SqlValue[] =>
    fields.map((f) => values[f.name] ?? null);
  if (name === "pages") {
    const fields = objectFields([]);
    return valuesRelation(
      ctx,
      fields,
      ctx.definitions.pages
        .filter((p) => apps.has(p.appId))
        .map((p) => row(fields, { appId: p.appId, id: p.id, kind: "Page", name: p.name })),
      ["id"],
    );
  }
  if (name === "features") {
    const fields = objectFields([
      { name: "pageId", type: types.string },
      { name: "appWide", type: types.boolean },
    ]);
    return valuesRelation(
      ctx,
      fields,
      ctx.definitions.features
        .filter((f) => apps.has(f.appId))
        .map((f) =>
          row(fields, {
            appId: f.appId,
            id: f.id,
            kind: "Feature",
            name: f.name,
            pageId: f.pageId,
            appWide: f.appWide,
          }),
        ),
      ["id"],
    );
  }
  if (name === "trackTypes") {
    const fields = objectFields([{ name: "trackTypeName", type: types.string }]);
    return valuesRelation(
      ctx,
      fields,
      ctx.definitions.trackTypes
        .filter((t) => apps.has(t.appId))
        .map((t) =>
          row(fields, { appId: t.appId, id: t.id, kind: "TrackType", name: t.name, trackTypeName: t.name }),
        ),
      ["id"],
    );
  }
  // Guides: their steps (`{id, type, rank}`) and polls (`{id, type}`) as JSON lists.
  const fields = objectFields([
    { name: "state", type: types.string },
    { name: "polls", type: types.any },
    { name: "steps", type: types.any },
  ]);
  return valuesRelation(
    ctx,
    fields,
    (ctx.definitions.guides ?? [])
      .filter((g) => apps.has(g.appId))
      .map((g) =>
        row(fields, {
          appId: g.appId,
          id: g.id,
          kind: "Guide",
          name: g.name,
          state: g.state,
          polls: JSON.stringify(g.polls),
          steps: JSON.stringify(g.steps),
        }),
      ),
    ["id"],
  );
}
