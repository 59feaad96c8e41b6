import type { StoredEvent } from "./stored-event.js";

/**
 * Events as newline-delimited JSON rows named like the event store's columns, times in epoch milliseconds,
 * and `properties` embedded as the JSON object it already is (not as an escaped string). This is what the
 * event store bulk-loads (DuckDB's read_json; ClickHouse's JSONEachRow later), so an event is serialised once
 * on its way in.
 *
 * `properties` must be JSON object text as JSON.stringify makes it (every producer does), so no row holds a
 * raw line break: the rows' own separators are the only ones.
 */
export function eventRowsNdjson(events: readonly StoredEvent[]): string {
  // Most fields repeat from one event to the next in a batch (subscription, app, address, user agent, URL,
  // visitor): each distinct string is encoded once.
  const encoded = new Map<string, string>();
  const json = (value: string | null): string => {
    if (value === null) return "null";
    let text = encoded.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      encoded.set(value, text);
    }
    return text;
  };
  let out = "";
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StoredEvent;
    if (i > 0) out += "\n";
    out +=
      `{"event_id":${json(e.eventId)},"subscription_id":${json(e.subscriptionId)}` +
      `,"app_id":${json(e.appId)},"type":${json(e.type)}` +
      `,"visitor_id":${json(e.visitorId)},"account_id":${json(e.accountId)}` +
      `,"occurred_at":${e.occurredAt},"received_at":${e.receivedAt},"url":${json(e.url)}` +
      `,"title":${json(e.title)},"element_path":${json(e.elementPath)}` +
      `,"track_name":${json(e.trackName)},"ip":${json(e.ip)}` +
      `,"user_agent":${json(e.userAgent)},"is_bot":${e.isBot},"excluded":${e.excluded}` +
      `,"batch_key":${json(e.batchKey)},"properties":${e.properties}}`;
  }
  return out;
}

/** Joins several rows texts into one, without parsing them. */
export function concatRows(parts: readonly string[]): string {
  return parts.filter((rows) => rows.length > 0).join("\n");
}

/** The rows as one JSON array, e.g. to embed them in a JSON record. */
export function rowsAsJsonArray(ndjson: string): string {
  return `[${ndjson.replaceAll("\n", ",")}]`;
}

/** Rows parsed back from a JSON array (`rowsAsJsonArray`), as rows text again. */
export function rowsFromParsedArray(rows: readonly unknown[]): string {
  return rows.map((row) => JSON.stringify(row)).join("\n");
}
