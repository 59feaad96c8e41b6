import Database from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";
import type { MetadataSchema } from "../metadata-schema.js";
import type { MetadataStore } from "../metadata-store.js";
import { metadataMigrationStatus, migrateMetadata } from "../run-migrations.js";

/**
 * Transactions take the write lock when they begin. SQLite's default (deferred) begins read-only and
 * upgrades at the first write; if another process wrote in between, the upgrade fails at once with
 * SQLITE_BUSY, without waiting on busy_timeout. Several servers and the CLI share this file, so that happened.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/** Opens (creating if needed) the embedded metadata store in one SQLite file. */
export function openSqliteStore(file: string): MetadataStore {
  const database = new Database(file);
  // WAL lets `cairn` CLI commands read and write while `cairn start` runs on the same file;
  // synchronous=FULL makes every acknowledged change survive a power cut, not only a crash.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  const db = new Kysely<MetadataSchema>({ dialect: new ImmediateSqliteDialect({ database }) });
  const untyped = db as unknown as Kysely<unknown>;
  return {
    engine: "sqlite",
    db,
    migrate: () => migrateMetadata(untyped),
    migrationStatus: () => metadataMigrationStatus(untyped),
    close: () => db.destroy(),
  };
}
