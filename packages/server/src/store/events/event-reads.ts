import { eventColumns } from "./event-columns.js";
import type { EventQuery } from "./event-query.js";
import type { CompiledQuery, SqlDialect, SqlValue } from "./sql-dialect.js";
import type { EventFilter, StoredEvent } from "./stored-event.js";

function where(dialect: SqlDialect, filter: EventFilter): { sql: string; params: Record<string, SqlValue> } {
  const params: Record<string, SqlValue> = { subscription: filter.subscriptionId };
  let sql = `${dialect.ident("subscription_id")} = ${dialect.param("subscription")}`;
  if (filter.appId !== undefined) {
    sql += ` AND ${dialect.ident("app_id")} = ${dialect.param("app")}`;
    params.app = filter.appId;
  }
  return { sql, params };
}

/** Events of one subscription (and app) in the order they were received. */
export function compileReadEvents(dialect: SqlDialect, filter: EventFilter): CompiledQuery {
  const { sql, params } = where(dialect, filter);
  const columns = eventColumns
    .map(
      (c) =>
        `${c.time ? dialect.epochMs(dialect.ident(c.name)) : dialect.ident(c.name)} AS ${dialect.ident(c.field)}`,
    )
    .join(", ");
  const limit = filter.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.trunc(filter.limit))}`;
  return {
    engine: dialect.engine,
    sql: `SELECT ${columns} FROM events WHERE ${sql} ORDER BY received_at, event_id${limit}`,
    params,
  };
}

export function compileCountEvents(dialect: SqlDialect, filter: EventFilter): CompiledQuery {
  const { sql, params } = where(dialect, filter);
  return { engine: dialect.engine, sql: `SELECT count(*) AS n FROM events WHERE ${sql}`, params };
}

export function readEvents(query: EventQuery, filter: EventFilter): Promise<StoredEvent[]> {
  return query.run<StoredEvent>(compileReadEvents(query.dialect, filter));
}

export async function countEvents(query: EventQuery, filter: EventFilter): Promise<number> {
  const [row] = await query.run<{ n: number | bigint }>(compileCountEvents(query.dialect, filter));
  return Number(row?.n ?? 0);
}

/**
 * When the newest event of one app was received (any type, as stored): `last`, epoch ms, null without one. With
 * `since`, only events received from then on: events are stored in the order received, so an engine skips the
 * blocks of older ones by their min/max times instead of reading every event of the app.
 */
export function compileLastReceived(
  dialect: SqlDialect,
  filter: { subscriptionId: string; appId: string; since?: number },
): CompiledQuery {
  const { sql, params } = where(dialect, filter);
  const received = dialect.ident("received_at");
  // The bound is written as a literal, so the engine sees a constant it can prune blocks with.
  const since =
    filter.since === undefined
      ? ""
      : ` AND ${received} >= ${dialect.timestampOf(dialect.number(Math.floor(filter.since)))}`;
  return {
    engine: dialect.engine,
    sql: `SELECT ${dialect.epochMs(`max(${received})`)} AS ${dialect.ident("last")} FROM events WHERE ${sql}${since}`,
    params,
  };
}

export async function lastReceivedAt(
  query: EventQuery,
  filter: { subscriptionId: string; appId: string; since?: number },
): Promise<number | null> {
  const [row] = await query.run<{ last: number | null }>(compileLastReceived(query.dialect, filter));
  return row?.last === null || row?.last === undefined ? null : Number(row.last);
}
