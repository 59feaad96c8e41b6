import { randomUUID } from "node:crypto";
import { open, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { EventStoreLockedError } from "../../../platform/errors/environment-errors.js";
import type { MigrationReport, MigrationStatus } from "../../migration-status.js";
import type { LegacyProfiles } from "../../profiles/legacy-profiles.js";
import { type EventQuery, QueryEngineMismatchError, QueryTimeoutError } from "../event-query.js";
import type { EventSink, SinkImport, SinkLoad, VisitorDeletion } from "../event-sink.js";
import type { ProfileMirror } from "../profile-mirror.js";
import { duckdbDialect } from "./duckdb-dialect.js";
import { duckdbMigrations } from "./duckdb-migrations.js";
import { duckdbProfileMirror } from "./duckdb-profile-mirror.js";
import { insertRollupsFrom, rebuildRollups } from "./event-rollups.js";
import { selectFromRowsFile } from "./insert-rows-file.js";
import { duckdbLegacyProfiles } from "./legacy-profiles.js";

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

async function checkpointOf(connection: DuckDBConnection): Promise<number> {
  const result = await connection.runAndReadAll(
    "SELECT sequence FROM ingest_checkpoints WHERE log = 'ingest'",
  );
  return Number(result.getRowObjectsJS()[0]?.sequence ?? 0);
}

export interface DuckdbEvents {
  readonly sink: EventSink;
  readonly query: EventQuery;
  /** The copy of the profile store's visitors and accounts that queries join onto events; closed with the sink. */
  readonly profileMirror: ProfileMirror;
  /** Profiles an older release kept here; moved to the profile store once at start. */
  readonly legacyProfiles: LegacyProfiles;
}

/** Opens (creating if needed) the embedded event store in one DuckDB file: its sink and its query runner. */
export async function openDuckdbEvents(file: string): Promise<DuckdbEvents> {
  const instance = await openInstance(file);
  const writer = await instance.connect();
  const reader = await instance.connect();
  // DuckDB writes through one connection; chaining keeps loads and profile-mirror writes from interleaving.
  let writeChain: Promise<void> = Promise.resolve();
  function serially<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const done = writeChain.then(() => work(writer));
    writeChain = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }
  // Rows to load are handed to DuckDB as a file it reads in parallel; derived from the ingest log, so never synced.
  const staging = file === ":memory:" ? path.join(tmpdir(), `cairn-${randomUUID()}`) : file;
  const rowsFile = `${staging}.rows.ndjson`;
  const deletionFile = `${staging}.delete.ndjson`;

  /**
   * The rows file is read straight into `events` inside the transaction that also moves the checkpoint, on
   * DuckDB's threads, while requests go on being served. A sequence already loaded is skipped whole.
   */
  async function writeRowsFile(pieces: Uint8Array[], bytes: number): Promise<void> {
    const handle = await open(rowsFile, "w");
    try {
      const { bytesWritten } = await handle.writev(pieces);
      if (bytesWritten !== bytes)
        throw new Error(`short write to ${rowsFile} (${bytesWritten} of ${bytes} bytes)`);
    } finally {
      await handle.close();
    }
  }

  /**
   * Reads `pieces` into the events and their hourly rollups in one transaction, unless `done` (read inside it)
   * says they already are; `record` marks them done in the same transaction.
   */
  async function loadOnce(
    pieces: readonly Uint8Array[],
    done: () => Promise<boolean>,
    record: () => Promise<void>,
  ): Promise<void> {
    const nonEmpty = pieces.filter((piece) => piece.byteLength > 0);
    const bytes = nonEmpty.reduce((sum, piece) => sum + piece.byteLength, 0);
    try {
      if (bytes > 0) await writeRowsFile(nonEmpty, bytes);
      await writer.run("BEGIN TRANSACTION");
      try {
        if (await done()) {
          await writer.run("ROLLBACK");
          return;
        }
        if (bytes > 0) {
          // Read once into a temporary table, then into the events and their hourly rollups.
          await writer.run(`CREATE OR REPLACE TEMP TABLE loading AS ${selectFromRowsFile(rowsFile)}`);
          await writer.run("INSERT INTO events SELECT * FROM loading");
          for (const sql of insertRollupsFrom("loading")) await writer.run(sql);
          await writer.run("DROP TABLE loading");
        }
        await record();
        await writer.run("COMMIT");
      } catch (error) {
        await writer.run("ROLLBACK");
        throw error;
      }
    } finally {
      if (bytes > 0) await rm(rowsFile, { force: true });
    }
  }

  async function loadBatch({ rows, sequence }: SinkLoad): Promise<void> {
    await loadOnce(
      rows,
      async () => sequence <= (await checkpointOf(writer)),
      async () => {
        await writer.run(
          "INSERT INTO ingest_checkpoints VALUES ('ingest', $sequence) ON CONFLICT (log) DO UPDATE SET sequence = EXCLUDED.sequence",
          { sequence },
        );
      },
    );
  }

  /**
   * As a load, with the token in `imported_batches` (made on the first import: only imported stores have it)
   * in the transaction instead of the checkpoint.
   */
  async function importBatch({ rows, token }: SinkImport): Promise<void> {
    await writer.run(
      "CREATE TABLE IF NOT EXISTS imported_batches (token VARCHAR PRIMARY KEY, imported_at TIMESTAMP)",
    );
    await loadOnce(
      rows,
      async () =>
        (await writer.runAndReadAll("SELECT 1 FROM imported_batches WHERE token = $token", { token }))
          .currentRowCount > 0,
      async () => {
        await writer.run("INSERT INTO imported_batches VALUES ($token, now())", { token });
      },
    );
  }

  /** The visitors' ids go to DuckDB as a file it reads, as rows do: a bulk delete may name 100,000 of them. */
  async function deleteVisitors({ subscriptionId, visitorIds }: VisitorDeletion): Promise<number> {
    if (visitorIds.length === 0) return 0;
    await writeFile(deletionFile, `${visitorIds.map((id) => JSON.stringify({ id })).join("\n")}\n`);
    // The events and their rollups go in one transaction, so the aggregated sources never count what is gone.
    await writer.run("BEGIN TRANSACTION");
    try {
      await writer.run(
        `CREATE OR REPLACE TEMP TABLE deleting AS
         SELECT DISTINCT id FROM read_json($file, format = 'newline_delimited', columns = {'id': 'VARCHAR'})`,
        { file: deletionFile },
      );
      const result = await writer.run(
        `DELETE FROM events USING deleting r WHERE events.subscription_id = $subscription AND events.visitor_id = r.id`,
        { subscription: subscriptionId },
      );
      for (const table of ["visit_hours", "subject_hours"])
        await writer.run(
          `DELETE FROM ${table} USING deleting r WHERE ${table}.subscription_id = $subscription AND ${table}.visitor_id = r.id`,
          { subscription: subscriptionId },
        );
      await writer.run("DROP TABLE deleting");
      await writer.run("COMMIT");
      return result.rowsChanged;
    } catch (error) {
      await writer.run("ROLLBACK");
      throw error;
    } finally {
      await rm(deletionFile, { force: true });
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

  const sink: EventSink = {
    engine: "duckdb",
    exactReplay: false,
    migrate,
    migrationStatus,
    load: (batch) => serially(() => loadBatch(batch)),
    importRows: (batch) => serially(() => importBatch(batch)),
    loadedSequence: () => checkpointOf(reader),
    rebuildRollups: () =>
      serially(async (connection) => {
        await connection.run("BEGIN TRANSACTION");
        try {
          for (const sql of rebuildRollups) await connection.run(sql);
          await connection.run("COMMIT");
        } catch (error) {
          await connection.run("ROLLBACK");
          throw error;
        }
      }),
    deleteVisitors: (deletion) => serially(() => deleteVisitors(deletion)),
    async engineVersion() {
      const result = await reader.runAndReadAll("SELECT version() AS version");
      return `DuckDB ${String(result.getRowObjectsJS()[0]?.version)}`;
    },
    async close() {
      await writeChain;
      writer.closeSync();
      reader.closeSync();
      instance.closeSync();
    },
  };

  const query: EventQuery = {
    dialect: duckdbDialect,
    async run<Row>(
      compiled: Parameters<EventQuery["run"]>[0],
      options: { timeoutMs?: number } = {},
    ): Promise<Row[]> {
      if (compiled.engine !== duckdbDialect.engine) {
        throw new QueryEngineMismatchError(compiled.engine, duckdbDialect.engine);
      }
      if (options.timeoutMs === undefined) {
        const result = await reader.runAndReadAll(compiled.sql, { ...compiled.params });
        return result.getRowObjectsJS() as Row[];
      }
      // A query with a budget gets its own connection, so cancelling it interrupts nothing else.
      const connection = await instance.connect();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        connection.interrupt();
      }, options.timeoutMs);
      try {
        const result = await connection.runAndReadAll(compiled.sql, { ...compiled.params });
        return result.getRowObjectsJS() as Row[];
      } catch (error) {
        if (timedOut) throw new QueryTimeoutError(options.timeoutMs);
        throw error;
      } finally {
        clearTimeout(timer);
        connection.closeSync();
      }
    },
  };

  const profileMirror = duckdbProfileMirror({ serially, stagingFile: `${staging}.profiles` });
  return { sink, query, profileMirror, legacyProfiles: duckdbLegacyProfiles(writer) };
}
