import type { StoredEvent } from "./stored-event.js";

export interface EventColumn {
  readonly name: string;
  readonly field: keyof StoredEvent;
  /** A TIMESTAMP column, read back as epoch milliseconds. */
  readonly time?: true;
}

/** The `events` table's columns in table order. */
export const eventColumns: readonly EventColumn[] = [
  { name: "event_id", field: "eventId" },
  { name: "subscription_id", field: "subscriptionId" },
  { name: "app_id", field: "appId" },
  { name: "type", field: "type" },
  { name: "visitor_id", field: "visitorId" },
  { name: "account_id", field: "accountId" },
  { name: "occurred_at", field: "occurredAt", time: true },
  { name: "received_at", field: "receivedAt", time: true },
  { name: "url", field: "url" },
  { name: "title", field: "title" },
  { name: "element_path", field: "elementPath" },
  { name: "track_name", field: "trackName" },
  { name: "ip", field: "ip" },
  { name: "user_agent", field: "userAgent" },
  { name: "is_bot", field: "isBot" },
  { name: "excluded", field: "excluded" },
  { name: "batch_key", field: "batchKey" },
  { name: "properties", field: "properties" },
  // Added by DuckDB migration 0006, so it comes last (loads insert by position).
  { name: "unsigned_identity", field: "unsignedIdentity" },
];
