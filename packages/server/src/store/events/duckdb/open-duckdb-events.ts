import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { EventStoreLockedError } from "../../../platform/errors/environment-errors.js";
import type { MigrationReport, MigrationStatus } from "../../migration-status.js";
import type { AppendOptions, EventStore } from "../event-store.js";
import type { EventFilter, StoredEvent } from "../stored-event.js";
import { customMetadataStaging, readKnownIds, stageCustomMetadata } from "./custom-metadata-upserts.js";
import { duckdbMigrations } from "./duckdb-migrations.js";
import { eventColumns, insertFromRowsFile, selectEventColumns } from "./event-columns.js";
import {
  clearStaging,
  createStaging,
  profileStagingTables,
  readAccount,
  readAliases,
  readVisitor,
  stageProfiles,
} from "./profile-upserts.js";

const stagingTables = [...profileStagingTables, customMetadataStaging];

async function stageEvents(connection: DuckDBConnection, events: readonly StoredEvent[]): Promise<void> {
  const appender = await connection.createAppender("events_staging", "main", "temp");
  try {
    for (const event of events) {
      for (const column of eventColumns) column.append(appender, event);
      appender.endRow();
    }
  } catch (error) {
    appender.clear();
    throw error;
  } finally {
    appender.closeSync();
  }
}

/**
 * DuckDB checkpoints (moves the write-ahead log into the file, compressing row groups) once the log passes
 * this size. At its default of 16 MB a busy collector checkpoints every fraction of a second, compressing
 * the same partly filled row groups again each time: measured, about 15% of the server's CPU under load. The
 * cost is a longer log to replay after a crash (a clean shutdown checkpoints).
 */
const checkpointThreshold = "128MB";

/**
 * DuckDB's worker threads: one per core but one, which stays for Node's event loop (requests, acknowledgements).
 * At DuckDB's default of one per core, the collector under load spent about 10% more CPU per beacon on two
 * cores (bench/RESULTS.md), its loads competing with the requests they follow.
 */
const duckdbThreads = String(Math.max(1, availableParallelism() - 1));

async function openInstance(file: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(file, {
      checkpoint_threshold: checkpointThreshold,
      threads: duckdbThreads,
    });
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
  // Rows to load are handed to DuckDB as a file it reads in parallel; derived from the ingest log, so never synced.
  const rowsFile =
    file === ":memory:" ? path.join(tmpdir(), `cairn-rows-${randomUUID()}.ndjson`) : `${file}.rows.ndjson`;

  /**
   * Rows text (the loader's path) is written to a file that DuckDB reads straight into `events`, inside the
   * transaction. Events given as objects go through the appender, which is synchronous: appending into the
   * on-disk table would sync the write-ahead log on the event loop, so they are appended into an in-memory
   * staging table (no log, no sync) and moved by INSERT … SELECT. Either way the events, the profile upserts
   * and the log checkpoint commit together, on DuckDB's threads, while requests go on being served.
   */
  async function appendBatch(
    connection: DuckDBConnection,
    events: readonly StoredEvent[],
    options: AppendOptions,
  ): Promise<void> {
    if (!stagingReady) {
      await connection.run("CREATE OR REPLACE TEMP TABLE events_staging AS SELECT * FROM events LIMIT 0");
      await createStaging(connection, stagingTables);
      stagingReady = true;
    }
    const rows = options.rowsNdjson ?? "";
    const staged = rows.length === 0 && events.length > 0;
    try {
      if (rows.length > 0) await writeFile(rowsFile, rows);
      else if (staged) await stageEvents(connection, events);
      const profileStatements = options.profiles ? await stageProfiles(connection, options.profiles) : [];
      profileStatements.push(
        ...(await stageCustomMetadata(connection, options.profiles?.customMetadata ?? [])),
      );
      await connection.run("BEGIN TRANSACTION");
      try {
        if (rows.length > 0) await connection.run(insertFromRowsFile(rowsFile));
        else if (staged) await connection.run("INSERT INTO events SELECT * FROM events_staging");
        for (const statement of profileStatements) await connection.run(statement);
        if (options.logSequence !== undefined) {
          await connection.run(
            "INSERT INTO ingest_checkpoints VALUES ('ingest', $sequence) ON CONFLICT (log) DO UPDATE SET sequence = EXCLUDED.sequence",
            { sequence: options.logSequence },
          );
        }
        await connection.run("COMMIT");
      } catch (error) {
        await connection.run("ROLLBACK");
        throw error;
      }
    } finally {
      // A half-staged batch must not be committed by a later one.
      if (rows.length > 0) await rm(rowsFile, { force: true });
      if (staged) await connection.run("DELETE FROM events_staging");
      await clearStaging(connection, stagingTables);
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
    append(events, options = {}) {
      const nothing = events.length === 0 && !options.rowsNdjson;
      if (nothing && options.logSequence === undefined && !options.profiles) return Promise.resolve();
      const done = writeChain.then(() => appendBatch(writer, events, options));
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
    async loadedLogSequence() {
      const result = await reader.runAndReadAll(
        "SELECT sequence FROM ingest_checkpoints WHERE log = 'ingest'",
      );
      return Number(result.getRowObjectsJS()[0]?.sequence ?? 0);
    },
    visitor: (subscriptionId, visitorId) => readVisitor(reader, subscriptionId, visitorId),
    account: (subscriptionId, accountId) => readAccount(reader, subscriptionId, accountId),
    aliasesOf: (subscriptionId, visitorId) => readAliases(reader, subscriptionId, visitorId),
    knownIds: (subscriptionId, kind, ids) => readKnownIds(reader, subscriptionId, kind, ids),
    async close() {
      await writeChain;
      writer.closeSync();
      reader.closeSync();
      instance.closeSync();
    },
  };
}
