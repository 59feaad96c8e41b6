import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { MigrationReport, MigrationStatus } from "../../migration-status.js";
import { type EventStore, EventStoreLockedError } from "../event-store.js";
import type { EventFilter, StoredEvent } from "../stored-event.js";
import { duckdbMigrations } from "./duckdb-migrations.js";
import { eventColumns, selectEventColumns } from "./event-columns.js";

async function openInstance(file: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const lock = /Conflicting lock is held in (.*)/.exec(message);
    if (lock) throw new EventStoreLockedError(file, `held by ${lock[1]?.trim()}`);
    throw error;
  }
}

function filterSql(filter: EventFilter): { where: string; values: Record<string, string> } {
  const values: Record<string, string> = { subscription: filter.subscriptionId };
  let where = "subscription_id = $subscription";
  if (filter.appId !== undefined) {
    where += " AND app_id = $app";
    values.app = filter.appId;
  }
  return { where, values };
}

/** Opens (creating if needed) the embedded event store in one DuckDB file. */
export async function openDuckdbStore(file: string): Promise<EventStore> {
  const instance = await openInstance(file);
  const writer = await instance.connect();
  const reader = await instance.connect();
  // DuckDB appends through one connection; chaining keeps batches from interleaving.
  let writeChain: Promise<void> = Promise.resolve();

  let stagingReady = false;

  /**
   * The appender is synchronous, and committing into the on-disk table syncs the write-ahead log: done
   * through the appender, that fsync would stop the event loop for every batch. So rows are appended into
   * an in-memory staging table (no log, no sync), then moved by one INSERT … SELECT, which DuckDB runs and
   * commits on its own thread while requests go on being served.
   */
  async function appendBatch(connection: DuckDBConnection, events: readonly StoredEvent[]): Promise<void> {
    if (!stagingReady) {
      await connection.run("CREATE OR REPLACE TEMP TABLE events_staging AS SELECT * FROM events LIMIT 0");
      stagingReady = true;
    }
    const appender = await connection.createAppender("events_staging", "main", "temp");
    try {
      for (const event of events) {
        for (const column of eventColumns) column.append(appender, event);
        appender.endRow();
      }
      appender.closeSync();
    } catch (error) {
      // A half-built batch must not be committed by a later flush.
      appender.clear();
      appender.closeSync();
      await connection.run("DELETE FROM events_staging");
      throw error;
    }
    try {
      await connection.run("INSERT INTO events SELECT * FROM events_staging");
    } finally {
      await connection.run("DELETE FROM events_staging");
    }
  }

  async function migrationStatus(): Promise<MigrationStatus[]> {
    await writer.run(
      "CREATE TABLE IF NOT EXISTS cairn_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)",
    );
    const result = await reader.runAndReadAll(
      "SELECT name, strftime(applied_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS applied_at FROM cairn_migrations",
    );
    const applied = new Map(
      result.getRowObjectsJS().map((row) => [String(row.name), String(row.applied_at)]),
    );
    return duckdbMigrations.map((m) => ({ name: m.name, appliedAt: applied.get(m.name) ?? null }));
  }

  async function migrate(): Promise<MigrationReport> {
    const status = await migrationStatus();
    const applied: string[] = [];
    for (const migration of duckdbMigrations) {
      if (status.find((s) => s.name === migration.name)?.appliedAt) continue;
      await writer.run("BEGIN TRANSACTION");
      try {
        await writer.run(migration.sql);
        await writer.run("INSERT INTO cairn_migrations VALUES ($name, now())", { name: migration.name });
        await writer.run("COMMIT");
      } catch (error) {
        await writer.run("ROLLBACK");
        throw error;
      }
      applied.push(migration.name);
    }
    return { applied };
  }

  return {
    engine: "duckdb",
    migrate,
    migrationStatus,
    append(events) {
      if (events.length === 0) return Promise.resolve();
      const done = writeChain.then(() => appendBatch(writer, events));
      writeChain = done.catch(() => {});
      return done;
    },
    async read(filter) {
      const { where, values } = filterSql(filter);
      const limit = filter.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.trunc(filter.limit))}`;
      const result = await reader.runAndReadAll(
        `SELECT ${selectEventColumns} FROM events WHERE ${where} ORDER BY received_at, event_id${limit}`,
        values,
      );
      return result.getRowObjectsJS() as unknown as StoredEvent[];
    },
    async count(filter) {
      const { where, values } = filterSql(filter);
      const result = await reader.runAndReadAll(
        `SELECT count(*)::DOUBLE AS n FROM events WHERE ${where}`,
        values,
      );
      return Number(result.getRowObjectsJS()[0]?.n ?? 0);
    },
    async close() {
      await writeChain;
      writer.closeSync();
      reader.closeSync();
      instance.closeSync();
    },
  };
}
