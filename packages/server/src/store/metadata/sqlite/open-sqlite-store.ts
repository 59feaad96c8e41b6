import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { MetadataSchema } from "../metadata-schema.js";
import type { MetadataStore } from "../metadata-store.js";
import { metadataMigrationStatus, migrateMetadata } from "../run-migrations.js";

/** Opens (creating if needed) the embedded metadata store in one SQLite file. */
export function openSqliteStore(file: string): MetadataStore {
  const database = new Database(file);
  // WAL lets `cairn` CLI commands read and write while `cairn start` runs on the same file;
  // synchronous=FULL makes every acknowledged change survive a power cut, not only a crash.
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = FULL");
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  const db = new Kysely<MetadataSchema>({ dialect: new SqliteDialect({ database }) });
  const untyped = db as unknown as Kysely<unknown>;
  return {
    engine: "sqlite",
    db,
    migrate: () => migrateMetadata(untyped),
    migrationStatus: () => metadataMigrationStatus(untyped),
    close: () => db.destroy(),
  };
}
