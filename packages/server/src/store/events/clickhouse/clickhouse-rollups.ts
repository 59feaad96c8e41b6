import { rolledTypes } from "../rolled-types.js";

/**
 * The hourly rollups (duckdb/event-rollups.ts says what they hold and how queries merge them), kept by
 * materialized views: ClickHouse runs each view's SELECT over every block inserted into `events`, so a load
 * appends its rollup rows in the same insert, and a repeated insert (same deduplication token) is dropped
 * from the rollups as from the events.
 */

const rollupSettings = "SETTINGS non_replicated_deduplication_window = 10000";
const time = "DateTime64(3, 'UTC')";

export const createRollupTables = [
  `CREATE TABLE IF NOT EXISTS visit_hours (
    subscription_id LowCardinality(String),
    app_id          LowCardinality(String),
    visitor_id      String,
    account_id      Nullable(String),
    hour            ${time},
    excluded        Bool,
    num_events      UInt64,
    minute_mask     UInt64,
    last_at         ${time},
    last_ip         Nullable(String),
    last_user_agent Nullable(String),
    last_url        Nullable(String)
  ) ENGINE = MergeTree ORDER BY (subscription_id, app_id, hour, visitor_id) ${rollupSettings}`,
  `CREATE TABLE IF NOT EXISTS subject_hours (
    subscription_id LowCardinality(String),
    app_id          LowCardinality(String),
    visitor_id      String,
    account_id      Nullable(String),
    hour            ${time},
    excluded        Bool,
    type            LowCardinality(String),
    url             Nullable(String),
    element_path    Nullable(String),
    track_name      Nullable(String),
    num_events      UInt64,
    minute_mask     UInt64,
    last_at         ${time},
    last_ip         Nullable(String),
    last_user_agent Nullable(String),
    last_url        Nullable(String),
    last_properties Nullable(String)
  ) ENGINE = MergeTree ORDER BY (subscription_id, app_id, hour, type, visitor_id) ${rollupSettings}`,
];

const hour = `toDateTime64(toStartOfHour(occurred_at), 3, 'UTC')`;
const measures = `count() AS num_events,
  groupBitOr(bitShiftLeft(toUInt64(1), toMinute(occurred_at))) AS minute_mask, max(occurred_at) AS last_at,
  argMax(ip, occurred_at) AS last_ip, argMax(user_agent, occurred_at) AS last_user_agent`;

/**
 * The rollup rows of the events in `source` (a table), one SELECT per rollup table. ClickHouse lets an alias
 * stand for its expression anywhere in the statement, so the subject's `url` (null for track events) would
 * replace the event's `url` in the aggregates: the event's is read as `event_url` instead.
 */
export function rollupSelects(source: string): { visit_hours: string; subject_hours: string } {
  const from = (types: string) => `(SELECT *, url AS event_url FROM ${source} WHERE type IN ${types})`;
  return {
    visit_hours: `SELECT subscription_id, app_id, visitor_id, account_id, ${hour} AS hour, excluded, ${measures},
        argMax(event_url, occurred_at) AS last_url
      FROM ${from(rolledTypes)}
      GROUP BY subscription_id, app_id, visitor_id, account_id, hour, excluded`,
    // Track events are counted by name: their URL is no key, so a visitor's hour of them is one row.
    subject_hours: `SELECT subscription_id, app_id, visitor_id, account_id, ${hour} AS hour, excluded, type,
        if(type = 'track', NULL, event_url) AS url, element_path, track_name, ${measures},
        argMax(event_url, occurred_at) AS last_url,
        if(type = 'track', argMax(properties, occurred_at), NULL) AS last_properties
      FROM ${from("('load', 'click', 'track')")}
      GROUP BY subscription_id, app_id, visitor_id, account_id, hour, excluded, type, url, element_path, track_name`,
  };
}

const selects = rollupSelects("events");

export const createRollupViews = [
  `CREATE MATERIALIZED VIEW IF NOT EXISTS visit_hours_from_events TO visit_hours AS ${selects.visit_hours}`,
  `CREATE MATERIALIZED VIEW IF NOT EXISTS subject_hours_from_events TO subject_hours AS ${selects.subject_hours}`,
];

/** Rebuilds both rollups from every stored event (after a bulk import straight into `events`). */
export const rebuildRollups = [
  "TRUNCATE TABLE visit_hours",
  "TRUNCATE TABLE subject_hours",
  `INSERT INTO visit_hours ${selects.visit_hours}`,
  `INSERT INTO subject_hours ${selects.subject_hours}`,
];
