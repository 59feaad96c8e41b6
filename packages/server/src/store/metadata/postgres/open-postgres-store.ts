import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  type TransactionSettings,
} from "kysely";
import type pg from "pg";
import type { MetadataSchema } from "../metadata-schema.js";
import type { MetadataStore } from "../metadata-store.js";
import { metadataMigrationStatus, migrateMetadata } from "../run-migrations.js";
import { broadcastChannel, notifications as listenFor } from "./notifications.js";

/** The advisory lock every metadata transaction holds: one number, chosen once, that no other code takes. */
export const metadataWriteLock = 0x6361_6972; // "cair"

/**
 * Transactions take one database-wide lock when they begin, as SQLite's `begin immediate` does. The services
 * were written against SQLite, where a transaction that reads and then writes (the installation on first
 * start, the next feedback number, a segment's write lease) never has another writer come in between; with
 * this lock that holds on PostgreSQL too, for every server sharing the database. Metadata writes are few and
 * short, so they queue rather than race; reads outside transactions take no lock.
 */
class SerializedPostgresDriver extends PostgresDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    await super.beginTransaction(connection, settings);
    await connection.executeQuery(CompiledQuery.raw(`select pg_advisory_xact_lock(${metadataWriteLock})`));
  }
}

class SerializedPostgresDialect extends PostgresDialect {
  constructor(private readonly settings: PostgresDialectConfig) {
    super(settings);
  }
  override createDriver(): Driver {
    return new SerializedPostgresDriver(this.settings);
  }
}

const int8 = 20;

/**
 * COUNT, SUM and `bigint` columns arrive as strings from `pg` (they may exceed 2^53); SQLite gives numbers, and
 * MetadataSchema types them as numbers, so they are parsed here. A value past 2^53 would be a bug, not data
 * (metadata holds counts and epoch milliseconds), so it fails loudly rather than rounding.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`a bigint past 2^53 in the metadata store: ${text}`);
  return value;
}

/** Type parsers for a pool: int8 as a JavaScript number (the profile store's pool uses them too). */
export function typesOf(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) =>
      oid === int8 && format !== "binary"
        ? parseInt8
        : driver.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
  };
}

/** Opens the metadata store in a PostgreSQL database (`postgres://user:password@host:port/database`). */
export async function openPostgresStore(url: string): Promise<MetadataStore> {
  // Loaded here, not at start: a server on SQLite never reads the driver (scripts/bundle-cli.mjs leaves it out).
  const { default: driver } = await import("pg");
  const pool = new driver.Pool({ connectionString: url, max: 10, types: typesOf(driver) });
  // An idle connection the server closed (a restart, a failover) is reported here; without a listener it would
  // end the process. The pool drops that connection and the next query opens a new one.
  pool.on("error", () => {});
  try {
    // Fail at open, with the server's own message, rather than at the first request.
    await pool.query("select 1");
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = new Kysely<MetadataSchema>({ dialect: new SerializedPostgresDialect({ pool }) });
  const untyped = db as unknown as Kysely<unknown>;
  const notifications = listenFor(driver, url);
  return {
    engine: "postgres",
    db,
    onRevision: notifications.listen,
    broadcast: {
      // One statement for many messages; each is its own notification, delivered when it commits.
      publish: async (messages) => {
        await pool.query("select pg_notify($1, message) from unnest($2::text[]) as message", [
          broadcastChannel,
          messages,
        ]);
      },
      subscribe: notifications.subscribe,
    },
    migrate: () => migrateMetadata(untyped),
    migrationStatus: () => metadataMigrationStatus(untyped),
    async close() {
      await notifications.close();
      await db.destroy();
    },
  };
}
