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

/**
 * A pool whose connections never end the process when the server drops them: an idle one is reported on the
 * pool, and one checked out between two statements (inside a transaction) would otherwise emit an error nobody
 * listens to; its next statement fails instead, and the pool replaces it. Connects once, so a wrong URL or
 * password fails at open with the server's own message.
 */
export async function openPool(driver: typeof pg, url: string, max: number): Promise<pg.Pool> {
  const pool = new driver.Pool({ connectionString: url, max, types: typesOf(driver) });
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}

/** Opens the metadata store in a PostgreSQL database (`postgres://user:password@host:port/database`). */
export async function openPostgresStore(url: string): Promise<MetadataStore> {
  // Loaded here, not at start: a server on SQLite never reads the driver (scripts/bundle-cli.mjs leaves it out).
  const { default: driver } = await import("pg");
  const pool = await openPool(driver, url, 10);
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
