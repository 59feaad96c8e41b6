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
  let out = "[";
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StoredEvent;
    if (i > 0) out += ",";
    out +=
      `{"event_id":${JSON.stringify(e.eventId)},"subscription_id":${JSON.stringify(e.subscriptionId)}` +
      `,"app_id":${JSON.stringify(e.appId)},"type":${JSON.stringify(e.type)}` +
      `,"visitor_id":${JSON.stringify(e.visitorId)},"account_id":${JSON.stringify(e.accountId)}` +
      `,"occurred_at":${e.occurredAt},"received_at":${e.receivedAt},"url":${JSON.stringify(e.url)}` +
      `,"title":${JSON.stringify(e.title)},"element_path":${JSON.stringify(e.elementPath)}` +
      `,"track_name":${JSON.stringify(e.trackName)},"ip":${JSON.stringify(e.ip)}` +
      `,"user_agent":${JSON.stringify(e.userAgent)},"is_bot":${e.isBot},"excluded":${e.excluded}` +
      `,"batch_key":${JSON.stringify(e.batchKey)},"properties":${e.properties}}`;
  }
  return `${out}]`;
}

/** Joins several rows arrays (each `[...]`) into one, without parsing them. */
export function concatRows(arrays: readonly string[]): string {
  const parts: string[] = [];
  for (const array of arrays) if (array.length > 2) parts.push(array.slice(1, -1));
  return `[${parts.join(",")}]`;
}
