import { rolledTypes } from "../rolled-types.js";

/**
 * Rollups: what the aggregated event sources (events, pageEvents, featureEvents, trackEvents) read instead of
 * every event. Each load appends the batch's events grouped by hour; rows of one key from different loads are
 * merged by the queries (every column is a sum, a bitwise or, or a value at the latest time), so a load never
 * rewrites earlier rows.
 *
 * - `visit_hours`: per subscription, app, visitor, account, hour and Exclude List flag: events, the minutes with
 *   an event (a 60-bit mask, so minutes are counted once across loads), the last event's time, address, user
 *   agent and URL.
 * - `subject_hours`: the same for page loads, clicks and track events, also per event type and what page,
 *   feature and track-type rules match (URL, element path, track event name), so a new rule counts stored
 *   events by reading these, never the events.
 */

export const createRollupTables = `
  CREATE TABLE visit_hours (
    subscription_id VARCHAR   NOT NULL,
    app_id          VARCHAR   NOT NULL,
    visitor_id      VARCHAR   NOT NULL,
    account_id      VARCHAR,
    hour            TIMESTAMP NOT NULL,
    excluded        BOOLEAN   NOT NULL,
    num_events      BIGINT    NOT NULL,
    minute_mask     UBIGINT   NOT NULL,
    last_at         TIMESTAMP NOT NULL,
    last_ip         VARCHAR,
    last_user_agent VARCHAR,
    last_url        VARCHAR
  );
  CREATE TABLE subject_hours (
    subscription_id VARCHAR   NOT NULL,
    app_id          VARCHAR   NOT NULL,
    visitor_id      VARCHAR   NOT NULL,
    account_id      VARCHAR,
    hour            TIMESTAMP NOT NULL,
    excluded        BOOLEAN   NOT NULL,
    type            VARCHAR   NOT NULL,
    url             VARCHAR,
    element_path    VARCHAR,
    track_name      VARCHAR,
    num_events      BIGINT    NOT NULL,
    minute_mask     UBIGINT   NOT NULL,
    last_at         TIMESTAMP NOT NULL,
    last_ip         VARCHAR,
    last_user_agent VARCHAR,
    last_url        VARCHAR,
    last_properties VARCHAR
  );`;

const measures = `count(*), bit_or(1::UBIGINT << CAST(minute(occurred_at) AS INTEGER)), max(occurred_at),
  arg_max(ip, occurred_at), arg_max(user_agent, occurred_at)`;

/**
 * The two statements that append the rollups of the events in `source` (a table or subquery), in hour order:
 * queries read a range of hours, which the engine then finds by its blocks' min/max without scanning the rest.
 */
export function insertRollupsFrom(source: string): string[] {
  return [
    `INSERT INTO visit_hours
      SELECT subscription_id, app_id, visitor_id, account_id, date_trunc('hour', occurred_at), excluded, ${measures},
        arg_max(url, occurred_at)
      FROM ${source} WHERE type IN ${rolledTypes}
      GROUP BY subscription_id, app_id, visitor_id, account_id, date_trunc('hour', occurred_at), excluded
      ORDER BY 5`,
    // Track events are counted by name: their URL is no key, so a visitor's hour of them is one row.
    `INSERT INTO subject_hours
      SELECT subscription_id, app_id, visitor_id, account_id, date_trunc('hour', occurred_at), excluded, type,
        CASE WHEN type = 'track' THEN NULL ELSE url END, element_path, track_name, ${measures},
        arg_max(url, occurred_at), CASE WHEN type = 'track' THEN arg_max(properties, occurred_at) END
      FROM ${source} WHERE type IN ('load', 'click', 'track')
      GROUP BY subscription_id, app_id, visitor_id, account_id, date_trunc('hour', occurred_at), excluded, type,
        CASE WHEN type = 'track' THEN NULL ELSE url END, element_path, track_name
      ORDER BY 5`,
  ];
}

/** Rebuilds both rollups from every stored event (after a bulk import straight into `events`). */
export const rebuildRollups = [
  "DELETE FROM visit_hours",
  "DELETE FROM subject_hours",
  ...insertRollupsFrom("events"),
];
