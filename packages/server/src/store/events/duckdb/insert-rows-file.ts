import { type DuckDBAppender, timestampValue } from "@duckdb/node-api";
import type { StoredEvent } from "../stored-event.js";

type Column = {
  readonly name: string;
  /** How to read it back as the StoredEvent field's type. */
  readonly select: string;
  readonly field: keyof StoredEvent;
  readonly append: (appender: DuckDBAppender, event: StoredEvent) => void;
};

function text(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

function timestamp(appender: DuckDBAppender, ms: number): void {
  appender.appendTimestamp(timestampValue(BigInt(Math.trunc(ms)) * 1000n));
}

const plain = (name: string, field: keyof StoredEvent): Pick<Column, "name" | "select" | "field"> => ({
  name,
  select: name,
  field,
});

/** The `events` table's columns in table order (the appender writes positionally). */
export const eventColumns: readonly Column[] = [
  { ...plain("event_id", "eventId"), append: (a, e) => a.appendVarchar(e.eventId) },
  { ...plain("subscription_id", "subscriptionId"), append: (a, e) => a.appendVarchar(e.subscriptionId) },
  { ...plain("app_id", "appId"), append: (a, e) => a.appendVarchar(e.appId) },
  { ...plain("type", "type"), append: (a, e) => a.appendVarchar(e.type) },
  { ...plain("visitor_id", "visitorId"), append: (a, e) => a.appendVarchar(e.visitorId) },
  { ...plain("account_id", "accountId"), append: (a, e) => text(a, e.accountId) },
  {
    name: "occurred_at",
    select: "epoch_ms(occurred_at)::DOUBLE",
    field: "occurredAt",
    append: (a, e) => timestamp(a, e.occurredAt),
  },
  {
    name: "received_at",
    select: "epoch_ms(received_at)::DOUBLE",
    field: "receivedAt",
    append: (a, e) => timestamp(a, e.receivedAt),
  },
  { ...plain("url", "url"), append: (a, e) => text(a, e.url) },
  { ...plain("title", "title"), append: (a, e) => text(a, e.title) },
  { ...plain("element_path", "elementPath"), append: (a, e) => text(a, e.elementPath) },
  { ...plain("track_name", "trackName"), append: (a, e) => text(a, e.trackName) },
  { ...plain("ip", "ip"), append: (a, e) => text(a, e.ip) },
  { ...plain("user_agent", "userAgent"), append: (a, e) => text(a, e.userAgent) },
  { ...plain("is_bot", "isBot"), append: (a, e) => a.appendBoolean(e.isBot) },
  { ...plain("excluded", "excluded"), append: (a, e) => a.appendBoolean(e.excluded) },
  { ...plain("batch_key", "batchKey"), append: (a, e) => text(a, e.batchKey) },
  { ...plain("properties", "properties"), append: (a, e) => a.appendVarchar(e.properties) },
];

export const selectEventColumns = eventColumns.map((c) => `${c.select} AS "${c.field}"`).join(", ");

/** How each column is typed in rows text (`eventRowsNdjson`), and turned into the column's value. */
const rowTypes: Record<string, { json: string; value: (field: string) => string }> = {
  occurred_at: { json: "DOUBLE", value: (f) => `make_timestamp((trunc(${f}) * 1000)::BIGINT)` },
  received_at: { json: "DOUBLE", value: (f) => `make_timestamp((trunc(${f}) * 1000)::BIGINT)` },
  is_bot: { json: "BOOLEAN", value: (f) => f },
  excluded: { json: "BOOLEAN", value: (f) => f },
  // Read as VARCHAR, the embedded object comes back as its JSON text, without a JSON value in between.
  properties: { json: "VARCHAR", value: (f) => f },
};

/**
 * Inserts a newline-delimited rows file (`eventRowsNdjson`) into `events`. DuckDB reads and parses it on its
 * own threads, in parallel: several times faster than from_json on one bound string (which also copied the
 * whole text on the event loop), and no native call per cell as with the appender.
 */
export function insertFromRowsFile(file: string): string {
  const columns = Object.fromEntries(eventColumns.map((c) => [c.name, rowTypes[c.name]?.json ?? "VARCHAR"]));
  const values = eventColumns.map((c) => (rowTypes[c.name]?.value ?? ((f: string) => f))(`"${c.name}"`));
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const columnsSql = `{${Object.entries(columns)
    .map(([name, type]) => `${literal(name)}: ${literal(type)}`)
    .join(", ")}}`;
  return `INSERT INTO events SELECT ${values.join(", ")}
    FROM read_json(${literal(file)}, format = 'newline_delimited', columns = ${columnsSql})`;
}
