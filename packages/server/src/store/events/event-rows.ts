import type { StoredEvent } from "./stored-event.js";

/**
 * Events as a JSON array of rows named like the event store's columns, times in epoch milliseconds, and
 * `properties` embedded as the JSON object it already is (not as an escaped string). This one text is both
 * the ingest log's record and what the event store bulk-loads (DuckDB's from_json; ClickHouse's JSONEachRow
 * later), so an event is serialised once on its way in.
 *
 * `properties` must be JSON object text, as every producer makes it (JSON.stringify).
 */
export function eventRowsJson(events: readonly StoredEvent[]): string {
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
  let out = "[";
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StoredEvent;
    if (i > 0) out += ",";
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
  return `${out}]`;
}

/** Joins several rows arrays (each `[...]`) into one, without parsing them. */
export function concatRows(arrays: readonly string[]): string {
  const parts: string[] = [];
  for (const array of arrays) if (array.length > 2) parts.push(array.slice(1, -1));
  return `[${parts.join(",")}]`;
}
