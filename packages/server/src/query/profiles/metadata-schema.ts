import { type Static, Type } from "@sinclair/typebox";
import type { EventQuery } from "../../store/events/event-query.js";
import type { ProfileMirror } from "../../store/events/profile-mirror.js";
import type { ProfileTable } from "../../store/events/sql-dialect.js";
import type { ProfileKind } from "../../store/profiles/profile-records.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";

/** Pendo's field types as its schema names them (a tap's discovery fails on any other). */
export type FieldType = "string" | "time" | "boolean" | "integer" | "float" | "";

/** One field of the metadata schema, with Pendo's casing (pendo-api.md Appendix C): PascalCase for the first five. */
export const metadataFieldSchema = Type.Object({
  Type: Type.Union(
    (["string", "time", "boolean", "integer", "float", ""] as const).map((t) => Type.Literal(t)),
    { description: 'the values\' type; "" when they are lists, objects or of several types' },
  ),
  DisplayName: Type.String(),
  ElementType: Type.String({ description: "a list's item type; empty otherwise" }),
  ElementFormat: Type.String(),
  Dirty: Type.Boolean(),
  isHidden: Type.Boolean(),
  isDeleted: Type.Boolean(),
  isCalculated: Type.Boolean(),
  isPerApp: Type.Boolean(),
  isPromoted: Type.Boolean(),
  neverIndex: Type.Boolean(),
  sample: Type.Unknown({ description: "one stored value (null for Cairn's own fields)" }),
});

export type MetadataField = Static<typeof metadataFieldSchema>;

export const metadataSchemaAnswer = Type.Record(
  Type.String(),
  Type.Record(Type.String(), metadataFieldSchema),
  {
    description:
      "fields by group: agent (what the agent sent), auto (Cairn's own), custom (set through the API)",
  },
);

export type MetadataSchemaAnswer = Static<typeof metadataSchemaAnswer>;

function field(
  type: FieldType,
  displayName: string,
  sample: unknown = null,
  elementType = "",
): MetadataField {
  return {
    Type: type,
    DisplayName: displayName,
    ElementType: elementType,
    ElementFormat: "",
    Dirty: false,
    isHidden: false,
    isDeleted: false,
    isCalculated: false,
    isPerApp: false,
    isPromoted: false,
    neverIndex: false,
    sample,
  };
}

/** The `auto` group: Cairn's own fields (profile-shape.ts, and `lastupdated` as the aggregation sources have it). */
const autoFields: Readonly<Record<ProfileKind, Readonly<Record<string, MetadataField>>>> = {
  visitor: {
    id: field("string", "Visitor ID"),
    accountid: field("string", "Account ID"),
    firstvisit: field("time", "First Visit"),
    lastvisit: field("time", "Last Visit"),
    lastupdated: field("time", "Last Updated"),
    lastbrowsername: field("string", "Last Browser Name"),
    lastbrowserversion: field("string", "Last Browser Version"),
    lastoperatingsystem: field("string", "Last Operating System"),
    lastservername: field("string", "Last Server Name"),
    lastuseragent: field("string", "Last User Agent"),
  },
  account: {
    id: field("string", "Account ID"),
    firstvisit: field("time", "First Visit"),
    lastvisit: field("time", "Last Visit"),
    lastupdated: field("time", "Last Updated"),
  },
};

const tables: Readonly<Record<ProfileKind, ProfileTable>> = {
  visitor: "visitor_profiles",
  account: "account_profiles",
};

/** What values of one field were seen: their kinds (numbers as `integer` or `float`, lists as `list:<item kind>`). */
interface SeenKind {
  readonly group: "agent" | "custom";
  readonly field: string;
  readonly kind: string;
  readonly sample: string | null;
}

/** One field's type from the kinds of its stored values. */
function typeOf(kinds: ReadonlySet<string>): { type: FieldType; elementType: string } {
  const seen = new Set([...kinds].filter((k) => k !== "null"));
  if (seen.size === 1) {
    const [only = ""] = seen;
    if (only === "string" || only === "boolean" || only === "integer" || only === "float")
      return { type: only, elementType: "" };
    if (only.startsWith("list:")) {
      const item = only.slice("list:".length);
      return { type: "", elementType: item === "number" ? "float" : item === "null" ? "" : item };
    }
    return { type: "", elementType: "" };
  }
  if (seen.size === 2 && seen.has("integer") && seen.has("float")) return { type: "float", elementType: "" };
  return { type: "", elementType: "" };
}

/**
 * The metadata schema of visitors or accounts (`GET /api/v1/metadata/schema/{visitor|account}`): the `auto`
 * group's fixed fields, and the `agent` and `custom` fields found in the stored profiles, typed by the values
 * stored. Read through the event engine's copy of the profiles, brought up to date first, with one query
 * written through the engine's dialect.
 */
export async function metadataSchema(
  deps: { events: EventQuery; profiles: ProfileStore; profileMirror: ProfileMirror },
  subscriptionId: string,
  kind: ProfileKind,
): Promise<MetadataSchemaAnswer> {
  await deps.profileMirror.sync(deps.profiles);
  const d = deps.events.dialect;
  const value = "kv.__value";
  const numberKind = `(CASE WHEN ${d.jsonNumber(value)} = floor(${d.jsonNumber(value)}) THEN 'integer' ELSE 'float' END)`;
  const kindOf = `(CASE ${d.jsonKind(value)} WHEN 'number' THEN ${numberKind} WHEN 'list' THEN ${d.concat(["'list:'", d.jsonKind(d.jsonGet(value, [0]))])} ELSE ${d.jsonKind(value)} END)`;
  const subscription = d.param("subscription", "string");
  const groups = (["agent", "custom"] as const)
    .map(
      (group) =>
        `SELECT '${group}' AS grp, ${group}_metadata AS doc FROM ${d.profileTable(tables[kind], "t")} WHERE subscription_id = ${subscription}`,
    )
    .join(" UNION ALL ");
  const rows = await deps.events.run<SeenKind>({
    engine: d.engine,
    sql: `SELECT p.grp AS ${d.ident("group")}, kv.__key AS ${d.ident("field")}, ${kindOf} AS ${d.ident("kind")},
            min(${d.jsonSerialize(value)}) AS ${d.ident("sample")}
          FROM (${groups}) p ${d.jsonEntries(d.parseJson("p.doc"))}
          GROUP BY 1, 2, 3`,
    params: { subscription: subscriptionId },
  });
  const found: Record<"agent" | "custom", Map<string, { kinds: Set<string>; sample: string | null }>> = {
    agent: new Map(),
    custom: new Map(),
  };
  for (const row of rows) {
    const entry = found[row.group].get(row.field) ?? { kinds: new Set<string>(), sample: null };
    entry.kinds.add(row.kind);
    if (entry.sample === null || (row.sample !== null && row.sample < entry.sample))
      entry.sample = row.sample;
    found[row.group].set(row.field, entry);
  }
  const answer: MetadataSchemaAnswer = { agent: {}, auto: { ...autoFields[kind] }, custom: {} };
  for (const group of ["agent", "custom"] as const) {
    const fields: Record<string, MetadataField> = {};
    for (const name of [...found[group].keys()].sort()) {
      const entry = found[group].get(name);
      if (!entry) continue;
      const { type, elementType } = typeOf(entry.kinds);
      Object.defineProperty(fields, name, {
        value: field(
          type,
          name,
          entry.sample === null ? null : (JSON.parse(entry.sample) as unknown),
          elementType,
        ),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    answer[group] = fields;
  }
  return answer;
}
