import { Readable } from "node:stream";
import type { ClickHouseSettings } from "@clickhouse/client";
import type { MigrationReport, MigrationStatus } from "../../migration-status.js";
import { type EventQuery, QueryEngineMismatchError, QueryTimeoutError } from "../event-query.js";
import {
  type EventSink,
  LoadRefusedError,
  type SinkImport,
  type SinkLoad,
  type VisitorDeletion,
} from "../event-sink.js";
import type { ProfileMirror } from "../profile-mirror.js";
import type { CompiledQuery } from "../sql-dialect.js";
import { type ClickhouseConnection, connectClickhouse, versionOf } from "./clickhouse-connection.js";
import { clickhouseDialect } from "./clickhouse-dialect.js";
import { clickhouseMigrations, createMigrationsTable } from "./clickhouse-migrations.js";
import { clickhouseProfileMirror } from "./clickhouse-profile-mirror.js";
import { rebuildRollups } from "./clickhouse-rollups.js";
import { execute, selectRows } from "./clickhouse-statements.js";

export interface ClickhouseEventsOptions {
  /**
   * Which ingest log this server loads from (default "ingest"): servers sharing one ClickHouse database each
   * have their own log, numbered on its own, so checkpoints and deduplication tokens are per log.
   */
  readonly log?: string;
}

export interface ClickhouseEvents {
  readonly sink: EventSink;
  readonly query: EventQuery;
  readonly profileMirror: ProfileMirror;
  readonly connection: ClickhouseConnection;
}

/**
 * An error the engine answered with (its numeric code), as opposed to a connection lost on the way. By shape,
 * not class: the client and chdb each bring their own copy of ClickHouseError.
 */
function engineAnswered(error: unknown): error is Error {
  return error instanceof Error && /^\d+$/.test(String((error as { code?: unknown }).code));
}

/** ClickHouse's code for a query stopped by `max_execution_time`. */
const timeoutExceeded = 159;

/**
 * What compiled queries are written for (sql-dialect.ts): an outer join's missing side is null (not the type's
 * default), an aggregate of no rows is null (not 0 or an empty string), and JSON text keeps its slashes.
 */
const querySettings: ClickHouseSettings = {
  join_use_nulls: 1,
  aggregate_functions_null_for_empty: 1,
  output_format_json_escape_forward_slashes: 0,
};

/** How many visitor ids one DELETE names (they travel as a query parameter, in the request's URL). */
const deletionChunk = 1_000;

/**
 * Opens the ClickHouse event store (`CAIRN_EVENTS_URL=clickhouse://…`, or `chdb:` for the engine in this
 * process): its sink, its query runner and its profile mirror. Any number of servers may share one database.
 */
export async function openClickhouseEvents(
  url: string,
  options: ClickhouseEventsOptions = {},
): Promise<ClickhouseEvents> {
  const connection = await connectClickhouse(url);
  const { client } = connection;
  const log = options.log ?? "ingest";
  /** The newest sequence loaded from this server's log: read once, then kept (only this server loads it). */
  let loaded: number | null = null;
  // One load at a time, in order: the checkpoint only moves forward after the rows it covers are in.
  let writeChain: Promise<void> = Promise.resolve();
  function serially<T>(work: () => Promise<T>): Promise<T> {
    const done = writeChain.then(work);
    writeChain = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  async function loadedSequence(): Promise<number> {
    const [row] = await selectRows<{ sequence: number | null }>(
      client,
      "SELECT max(sequence) AS sequence FROM ingest_checkpoints WHERE log = {log:String}",
      { log },
    );
    return Number(row?.sequence ?? 0);
  }

  /**
   * The rows go in one insert whose deduplication token names this log and sequence: an insert repeated after
   * a crash or an unclear failure (the checkpoint not yet moved) is dropped by ClickHouse, from the rollups
   * too. Then the checkpoint moves.
   */
  async function loadBatch({ rows, sequence }: SinkLoad): Promise<void> {
    loaded ??= await loadedSequence();
    if (sequence <= loaded) return;
    const pieces = rows.filter((piece) => piece.byteLength > 0);
    if (pieces.length > 0) {
      await execute(client, "INSERT INTO events FORMAT JSONEachRow", {
        values: Readable.from(
          pieces.map((piece) => Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)),
          { objectMode: false },
        ),
        settings: {
          insert_deduplication_token: `${log}:${sequence}`,
          deduplicate_blocks_in_dependent_materialized_views: 1,
          async_insert: 0,
        },
      }).catch((error: unknown) => {
        // An answer that is an error (the rows did not parse): nothing was stored. A lost connection is unclear.
        throw engineAnswered(error) ? new LoadRefusedError(error) : error;
      });
    }
    await execute(client, "INSERT INTO ingest_checkpoints VALUES ({log:String}, {sequence:Float64})", {
      params: { log, sequence },
    });
    loaded = sequence;
  }

  /** One insert deduplicated by the import's token (the rollups' views too): a repeat stores nothing. */
  async function importBatch({ rows, token }: SinkImport): Promise<void> {
    const pieces = rows.filter((piece) => piece.byteLength > 0);
    if (pieces.length === 0) return;
    await execute(client, "INSERT INTO events FORMAT JSONEachRow", {
      values: Readable.from(
        pieces.map((piece) => Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)),
        { objectMode: false },
      ),
      settings: {
        insert_deduplication_token: `import:${token}`,
        deduplicate_blocks_in_dependent_materialized_views: 1,
        async_insert: 0,
      },
    });
  }

  async function deleteVisitors({ subscriptionId, visitorIds }: VisitorDeletion): Promise<number> {
    let deleted = 0;
    const ids = [...new Set(visitorIds)];
    for (let at = 0; at < ids.length; at += deletionChunk) {
      const params = { subscription: subscriptionId, ids: ids.slice(at, at + deletionChunk) };
      const where = "subscription_id = {subscription:String} AND visitor_id IN {ids:Array(String)}";
      const [row] = await selectRows<{ n: number }>(
        client,
        `SELECT count() AS n FROM events WHERE ${where}`,
        params,
      );
      deleted += Number(row?.n ?? 0);
      // The rollups go first: a deletion cut short leaves events that a repeat still finds and deletes.
      for (const table of ["visit_hours", "subject_hours", "events"])
        await execute(client, `DELETE FROM ${table} WHERE ${where}`, {
          params,
          settings: { lightweight_deletes_sync: "2" },
        });
    }
    return deleted;
  }

  async function migrationStatus(): Promise<MigrationStatus[]> {
    await execute(client, createMigrationsTable);
    const rows = await selectRows<{ name: string; applied_at: string }>(
      client,
      "SELECT name, formatDateTime(min(applied_at), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS applied_at FROM cairn_migrations GROUP BY name",
    );
    const applied = new Map(rows.map((row) => [row.name, row.applied_at.replace(/(\.\d{3})\d*Z$/, "$1Z")]));
    return clickhouseMigrations.map((m) => ({ name: m.name, appliedAt: applied.get(m.name) ?? null }));
  }

  async function migrate(): Promise<MigrationReport> {
    const status = await migrationStatus();
    const applied: string[] = [];
    for (const migration of clickhouseMigrations) {
      if (status.find((s) => s.name === migration.name)?.appliedAt) continue;
      for (const statement of migration.statements) await execute(client, statement);
      await execute(client, "INSERT INTO cairn_migrations VALUES ({name:String}, now64(3))", {
        params: { name: migration.name },
      });
      applied.push(migration.name);
    }
    return { applied };
  }

  const sink: EventSink = {
    engine: "clickhouse",
    exactReplay: true,
    migrate,
    migrationStatus,
    load: (batch) => serially(() => loadBatch(batch)),
    importRows: (batch) => serially(() => importBatch(batch)),
    loadedSequence,
    rebuildRollups: () =>
      serially(async () => {
        for (const statement of rebuildRollups) await execute(client, statement);
      }),
    deleteVisitors: (deletion) => serially(() => deleteVisitors(deletion)),
    async engineVersion() {
      const version = await versionOf(client);
      return `ClickHouse ${version} ${connection.transport === "http" ? "over HTTP" : "in this process (chdb)"}`;
    },
    async close() {
      await writeChain;
      await client.close();
    },
  };

  const query: EventQuery = {
    dialect: clickhouseDialect,
    async run<Row>(compiled: CompiledQuery, runOptions: { timeoutMs?: number } = {}): Promise<Row[]> {
      if (compiled.engine !== clickhouseDialect.engine)
        throw new QueryEngineMismatchError(compiled.engine, clickhouseDialect.engine);
      const { timeoutMs } = runOptions;
      if (timeoutMs === undefined)
        return selectRows<Row>(client, compiled.sql, { ...compiled.params }, querySettings);
      // The server stops the query at its budget; the abort covers a server that does not answer at all.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs + 1_000);
      try {
        return await selectRows<Row>(
          client,
          compiled.sql,
          { ...compiled.params },
          { ...querySettings, max_execution_time: timeoutMs / 1000, timeout_overflow_mode: "throw" },
          abort.signal,
        );
      } catch (error) {
        if (abort.signal.aborted || (error as { code?: string }).code === String(timeoutExceeded))
          throw new QueryTimeoutError(timeoutMs);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  const profileMirror = clickhouseProfileMirror(client);
  return { sink, query, profileMirror, connection };
}
