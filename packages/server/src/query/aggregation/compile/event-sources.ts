import { fail, type StagePlace } from "../pipeline/pipeline-error.js";
import { rememberScan } from "./group-pushdown.js";
import { addCte, bind, type Field, type Relation } from "./relation.js";
import { ruleMatches } from "./rule-matches.js";
import type { PipelineContext } from "./source-context.js";
import { appsOf, blacklistOf, optionalString } from "./source-params.js";
import type { TimeRange } from "./time-series.js";
import { listOf, types } from "./value-type.js";

export const analyticsTypes = ["load", "click", "focus", "submit", "change", "track"];
export const guideTypes = [
  "guideSeen",
  "guideActivity",
  "guideAdvanced",
  "guideDismissed",
  "guideSnoozed",
  "guideSnoozeCanceled",
  "guideTimeout",
  "guideNotSeen",
];
const hostPattern = "^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)";

const list = (ctx: PipelineContext, values: readonly string[]): string =>
  `(${values.map((v) => ctx.dialect.param(bind(ctx.state, v), "string")).join(", ")})`;

/** The rows a source reads: the caller's subscription, its apps, the time range, the Exclude List mode. */
function conditions(
  ctx: PipelineContext,
  place: StagePlace,
  params: Record<string, unknown>,
  range: TimeRange,
  alias: string,
  time: string,
): string[] {
  const d = ctx.dialect;
  const apps = appsOf(ctx, place, params.appId);
  const where = [
    `${alias}.subscription_id = ${d.param(bind(ctx.state, ctx.subscriptionId), "string")}`,
    `${alias}.app_id IN ${list(ctx, apps.length > 0 ? apps : [""])}`,
    `${alias}.${time} >= ${d.timestampOf(d.number(range.start))}`,
    `${alias}.${time} < ${d.timestampOf(d.number(range.end))}`,
  ];
  const blacklist = blacklistOf(place, params.blacklist);
  if (blacklist === "apply") where.push(`NOT ${alias}.excluded`);
  if (blacklist === "only") where.push(`${alias}.excluded`);
  const classes = params.eventClass;
  if (classes !== undefined && classes !== null) {
    const wanted = Array.isArray(classes) ? classes : [classes];
    if (!wanted.every((c) => typeof c === "string"))
      fail(place, "eventClass", 'must be a list of event classes, e.g. ["web"]');
    // Every event Cairn collects is of the web class.
    if (!wanted.includes("web")) where.push("FALSE");
  }
  return where;
}

/** The rows of `events` a per-event source reads. */
export function eventWhere(
  ctx: PipelineContext,
  place: StagePlace,
  params: Record<string, unknown>,
  range: TimeRange,
  eventTypes: readonly string[],
): string {
  return [
    ...conditions(ctx, place, params, range, "e", "occurred_at"),
    `e.type IN ${list(ctx, eventTypes)}`,
  ].join(" AND ");
}

type Subject =
  | { kind: "none" }
  | { kind: "page"; pageId?: string }
  | { kind: "feature"; featureId?: string }
  | { kind: "trackType"; trackTypeId?: string };

/** Which page each distinct URL is (a URL can be several pages): matched once per URL, not per event. */
function pageMatches(ctx: PipelineContext, place: StagePlace, where: string, pageId?: string): string {
  const pages = ctx.definitions.pages.filter((p) => pageId === undefined || p.id === pageId);
  if (pageId !== undefined && pages.length === 0)
    fail(place, "pageId", `no page ${pageId} in this subscription`);
  const urls = addCte(
    ctx.state,
    `SELECT DISTINCT r.app_id, r.url AS value FROM subject_hours r WHERE ${where} AND r.url IS NOT NULL`,
  );
  return addCte(ctx.state, `SELECT app_id, value AS url, subject_id FROM ${ruleMatches(ctx, urls, pages)}`);
}

/**
 * Which feature each distinct clicked element is: selectors are matched once per distinct element path; a
 * feature bound to a page also needs the URL, its page's rules matched once per distinct URL. A row has
 * `any_url` true when the feature holds on every URL.
 */
function featureMatches(ctx: PipelineContext, place: StagePlace, where: string, featureId?: string): string {
  const features = ctx.definitions.features.filter((f) => featureId === undefined || f.id === featureId);
  if (featureId !== undefined && features.length === 0)
    fail(place, "featureId", `no feature ${featureId} in this subscription`);
  const paths = addCte(
    ctx.state,
    `SELECT DISTINCT r.app_id, r.element_path AS value FROM subject_hours r WHERE ${where} AND r.element_path IS NOT NULL`,
  );
  const byPath = ruleMatches(
    ctx,
    paths,
    features.map((f) => ({ id: f.id, appId: f.appId, include: f.selectors, exclude: [] })),
  );
  const pageOf = new Map<string, string>();
  for (const f of features) {
    if (f.pageId !== null && !f.appWide && ctx.definitions.pages.some((p) => p.id === f.pageId))
      pageOf.set(f.id, f.pageId);
  }
  const d = ctx.dialect;
  const anyUrl =
    pageOf.size === 0
      ? "TRUE"
      : `p.subject_id NOT IN (${[...pageOf.keys()].map((id) => d.param(bind(ctx.state, id), "string")).join(", ")})`;
  const parts = [
    `SELECT p.app_id, p.value AS element_path, NULL AS url, TRUE AS any_url, p.subject_id FROM ${byPath} p WHERE ${anyUrl}`,
  ];
  if (pageOf.size > 0) {
    const urls = addCte(
      ctx.state,
      `SELECT DISTINCT r.app_id, r.url AS value FROM subject_hours r WHERE ${where} AND r.url IS NOT NULL`,
    );
    const pages = ctx.definitions.pages.filter((p) => [...pageOf.values()].includes(p.id));
    const byUrl = ruleMatches(ctx, urls, pages);
    const bound = [...pageOf].map(
      ([feature, page]) =>
        `SELECT ${d.param(bind(ctx.state, feature), "string")} AS feature_id, ${d.param(bind(ctx.state, page), "string")} AS page_id`,
    );
    parts.push(
      `SELECT p.app_id, p.value AS element_path, u.value AS url, FALSE AS any_url, p.subject_id FROM ${byPath} p
       JOIN (${bound.join(" UNION ALL ")}) b ON b.feature_id = p.subject_id
       JOIN ${byUrl} u ON u.app_id = p.app_id AND u.subject_id = b.page_id`,
    );
  }
  return addCte(ctx.state, parts.join(" UNION ALL "));
}

function trackTypeMatches(ctx: PipelineContext, place: StagePlace, trackTypeId?: string): string {
  const trackTypes = ctx.definitions.trackTypes.filter(
    (t) => trackTypeId === undefined || t.id === trackTypeId,
  );
  if (trackTypeId !== undefined && trackTypes.length === 0)
    fail(place, "trackTypeId", `no track type ${trackTypeId} in this subscription`);
  const d = ctx.dialect;
  const rows = trackTypes.map(
    (t) =>
      `SELECT ${d.param(bind(ctx.state, t.appId), "string")} AS app_id, ${d.param(bind(ctx.state, t.name), "string")} AS track_name, ${d.param(bind(ctx.state, t.id), "string")} AS subject_id`,
  );
  return addCte(
    ctx.state,
    rows.length > 0
      ? rows.join(" UNION ALL ")
      : `SELECT ${d.nullOf("string")} AS app_id, ${d.nullOf("string")} AS track_name, ${d.nullOf("string")} AS subject_id WHERE FALSE`,
  );
}

const subjectField = { page: "pageId", feature: "featureId", trackType: "trackTypeId" } as const;
const subjectType = { page: "load", feature: "click", trackType: "track" } as const;

type Column = [name: string, sql: string, type: Field["type"]];

/**
 * `events`, `pageEvents`, `featureEvents`, `trackEvents`: one row per visitor, account, app and period (and
 * page, feature or track type), with `numEvents`, `numMinutes` (distinct minutes with an event),
 * `minutesActive` (those minutes' epoch-ms starts, ascending; only when the pipeline names it) and what the
 * period's last event carried. Read from the hourly rollups (store/events/duckdb/event-rollups.ts): first
 * each hour's rows merged (loads append them), then the hours of a period. Fields in alphabetical order.
 */
export function aggregatedEventSource(
  ctx: PipelineContext,
  place: StagePlace,
  params: Record<string, unknown>,
  range: TimeRange,
  subject: Subject,
): Relation {
  const d = ctx.dialect;
  const where = conditions(ctx, place, params, range, "r", "hour");
  if (subject.kind !== "none")
    where.push(`r.type = ${d.param(bind(ctx.state, subjectType[subject.kind]), "string")}`);
  const rWhere = where.join(" AND ");
  let join = "";
  if (subject.kind === "page")
    join = `JOIN ${pageMatches(ctx, place, rWhere, subject.pageId)} m ON m.app_id = r.app_id AND m.url = r.url`;
  // Only equalities join (ClickHouse's ON takes no OR); the URL test of a feature bound to a page filters after.
  const matched: string[] = [];
  if (subject.kind === "feature") {
    join = `JOIN ${featureMatches(ctx, place, rWhere, subject.featureId)} m ON m.app_id = r.app_id AND m.element_path = r.element_path`;
    matched.push("(m.any_url OR m.url = r.url)");
  }
  if (subject.kind === "trackType")
    join = `JOIN ${trackTypeMatches(ctx, place, subject.trackTypeId)} m ON m.app_id = r.app_id AND m.track_name = r.track_name`;
  const subjectColumn = subject.kind === "none" ? null : subjectField[subject.kind];
  const table = subject.kind === "none" ? "visit_hours" : "subject_hours";
  const hourKeys = [
    "r.visitor_id",
    "r.account_id",
    "r.app_id",
    "r.hour",
    ...(subjectColumn ? ["m.subject_id"] : []),
  ];
  const hours = addCte(
    ctx.state,
    `SELECT ${hourKeys.join(", ")}, sum(r.num_events) AS n, ${d.bitOrAgg("r.minute_mask")} AS mask, max(r.last_at) AS last_at,
      ${d.valueAtMax("r.last_ip", "r.last_at")} AS ip, ${d.valueAtMax("r.last_user_agent", "r.last_at")} AS ua,
      ${d.valueAtMax("r.last_url", "r.last_at")} AS url${subject.kind === "trackType" ? `, ${d.valueAtMax("r.last_properties", "r.last_at")} AS props` : ""}
    FROM ${table} r ${join} WHERE ${[...where, ...matched].join(" AND ")} GROUP BY ${hourKeys.join(", ")}`,
  );
  const period = d.truncateTime(d.epochMs("h.hour"), range.period);
  const keys: Column[] = [
    ["accountId", "h.account_id", types.string],
    ["appId", "h.app_id", types.string],
    [range.period, period, types.number],
    ...(subjectColumn ? ([[subjectColumn, "h.subject_id", types.string]] as Column[]) : []),
    ["visitorId", "h.visitor_id", types.string],
  ];
  const lastProperties = d.parseJson(d.valueAtMax("h.props", "h.last_at"));
  const aggregates: Column[] = [
    ["lastTime", `max(${d.epochMs("h.last_at")})`, types.number],
    // Only for a pipeline that names it: not a field of Pendo's rows, and a day's list holds up to 1,440
    // numbers. Each hour of a key is one row of h, so its minutes, hour after hour, are distinct and ascending.
    ...(ctx.minutesActive
      ? ([
          [
            "minutesActive",
            d.concatAgg(d.maskMinutes("h.mask", d.epochMs("h.hour")), "h.hour"),
            listOf(types.number),
          ],
        ] as Column[])
      : []),
    ["numEvents", "CAST(sum(h.n) AS DOUBLE)", types.number],
    ["numMinutes", `sum(${d.bitCount("h.mask")})`, types.number],
    ...(subject.kind === "trackType"
      ? ([
          [
            "properties",
            `coalesce(${d.jsonGet(lastProperties, ["properties"])}, ${d.jsonGet(lastProperties, ["props"])})`,
            types.any,
          ],
        ] as Column[])
      : []),
    ["remoteIp", d.valueAtMax("h.ip", "h.last_at"), types.string],
    [
      "server",
      d.regexExtract(d.valueAtMax("h.url", "h.last_at"), d.param(bind(ctx.state, hostPattern), "string")),
      types.string,
    ],
    ["userAgent", d.valueAtMax("h.ua", "h.last_at"), types.string],
  ];
  const all = [...keys, ...aggregates].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const sql = `SELECT ${all.map(([name, expr]) => `${expr} AS ${d.ident(name)}`).join(", ")} FROM ${hours} h GROUP BY ${keys.map(([, sql]) => sql).join(", ")}`;
  const rollupKeys: Record<string, string> = {
    accountId: "r.account_id",
    appId: "r.app_id",
    [range.period]: d.truncateTime(d.epochMs("r.hour"), range.period),
    visitorId: "r.visitor_id",
    ...(subjectColumn ? { [subjectColumn]: "m.subject_id" } : {}),
  };
  const scan = {
    from: `${table} r ${join}`,
    where: [...where, ...matched],
    keys: rollupKeys,
    lastTime: d.epochMs("r.last_at"),
  };
  return rememberScan(
    {
      cte: addCte(ctx.state, sql),
      fields: all.map(([name, , type]) => ({ name, type })),
      order: ["visitorId", "accountId", "appId", range.period, ...(subjectColumn ? [subjectColumn] : [])].map(
        (field) => ({
          field,
          descending: false,
        }),
      ),
    },
    scan,
  );
}

/** A guide or poll event's prop (agent-wire.md §7.5: the agent sends them under `props`), as text or a number. */
export function props(ctx: PipelineContext, path: string, type: "text" | "number" = "text"): string {
  const value = ctx.dialect.jsonGet(ctx.dialect.parseJson("e.properties"), ["props", path]);
  return type === "text" ? ctx.dialect.jsonText(value) : ctx.dialect.jsonNumber(value);
}

/** `singleEvents`, `guideEvents`, `pollEvents`: one row per event, fields in alphabetical order. */
export function perEventSource(
  ctx: PipelineContext,
  place: StagePlace,
  name: "singleEvents" | "guideEvents" | "pollEvents",
  params: Record<string, unknown>,
  range: TimeRange,
): Relation {
  const d = ctx.dialect;
  const eventTypes =
    name === "singleEvents" ? analyticsTypes : name === "guideEvents" ? guideTypes : ["pollResponse"];
  let where = eventWhere(ctx, place, params, range, eventTypes);
  const time = d.epochMs("e.occurred_at");
  const server = d.regexExtract("e.url", d.param(bind(ctx.state, hostPattern), "string"));
  const common: [string, string, Field["type"]][] = [
    ["accountId", "e.account_id", types.string],
    ["appId", "e.app_id", types.string],
    ["browserTime", time, types.number],
    ["elementPath", "e.element_path", types.string],
    ["eventId", "e.event_id", types.string],
    ["remoteIp", "e.ip", types.string],
    ["type", "e.type", types.string],
    ["url", "e.url", types.string],
    ["userAgent", "e.user_agent", types.string],
    ["visitorId", "e.visitor_id", types.string],
  ];
  let extra: [string, string, Field["type"]][];
  if (name === "singleEvents") {
    extra = [
      ["properties", d.parseJson("e.properties"), types.any],
      ["server", server, types.string],
      ["trackName", "e.track_name", types.string],
    ];
  } else {
    const guideId = optionalString(place, params, "guideId");
    const guideStepId = optionalString(place, params, "guideStepId");
    const pollId = optionalString(place, params, "pollId");
    if (guideId) where += ` AND ${props(ctx, "guide_id")} = ${d.param(bind(ctx.state, guideId), "string")}`;
    if (guideStepId)
      where += ` AND ${props(ctx, "guide_step_id")} = ${d.param(bind(ctx.state, guideStepId), "string")}`;
    if (pollId) where += ` AND ${props(ctx, "poll_id")} = ${d.param(bind(ctx.state, pollId), "string")}`;
    extra = [
      ["destinationStepId", props(ctx, "destination_step_id"), types.string],
      ["guideId", props(ctx, "guide_id"), types.string],
      ["guideSeenReason", `coalesce(${props(ctx, "reason")}, ${props(ctx, "seen_reason")})`, types.string],
      ["guideStepId", props(ctx, "guide_step_id"), types.string],
      ["guideTimestamp", time, types.number],
      ["language", props(ctx, "language"), types.string],
      ["loadTime", props(ctx, "load_time", "number"), types.number],
      ["pollId", props(ctx, "poll_id"), types.string],
      ["pollResponse", d.jsonGet(d.parseJson("e.properties"), ["props", "poll_response"]), types.any],
      ["pollType", props(ctx, "poll_type"), types.string],
      ["serverName", server, types.string],
      [
        "uiElementActions",
        d.jsonSerialize(d.jsonGet(d.parseJson("e.properties"), ["props", "ui_element_actions"])),
        types.string,
      ],
      ["uiElementId", props(ctx, "ui_element_id"), types.string],
      ["uiElementText", props(ctx, "ui_element_text"), types.string],
      ["uiElementType", props(ctx, "ui_element_type"), types.string],
    ];
  }
  const all = [...common, ...extra].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const sql = `SELECT ${all.map(([n, expr]) => `${expr} AS ${d.ident(n)}`).join(", ")} FROM events e WHERE ${where}`;
  return {
    cte: addCte(ctx.state, sql),
    fields: all.map(([n, , type]) => ({ name: n, type })),
    order: ["browserTime", "eventId"].map((field) => ({ field, descending: false })),
  };
}
