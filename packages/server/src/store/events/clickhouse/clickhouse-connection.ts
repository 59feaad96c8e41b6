import {
  type ClickHouseClient,
  type ClickHouseClientConfigOptions,
  ClickHouseLogLevel,
  createClient,
} from "@clickhouse/client";
import { clickhouseDatabaseOf, redactUrl } from "../../../platform/config/store-url.js";
import {
  ChdbNotInstalledError,
  ClickhouseTooOldError,
  EventStoreRefusedError,
  EventStoreUnreachableError,
} from "../../../platform/errors/environment-errors.js";

/** The engine's own connection type, as `createClient({ connection })` takes it. */
type Connection = NonNullable<ClickHouseClientConfigOptions["connection"]>;

/** What `chdb/connection` exports that Cairn uses (chdb is not a dependency: it is installed apart, ~550 MB). */
interface ChdbConnectionModule {
  createChdbConnection(options: { path: string }): Connection;
}

export interface ClickhouseConnection {
  readonly client: ClickHouseClient;
  /** `http` for a ClickHouse server, `chdb` for the engine running in this process. */
  readonly transport: "http" | "chdb";
}

/**
 * Settings every statement runs with, on both transports, so the answers have one shape: 64-bit integers as
 * JSON numbers (not the quoted strings ClickHouse writes by default over HTTP), and a JSON object given for a
 * String column (`properties` in the rows) stored as its text.
 */
/** Failures are thrown to Cairn, which reports them its own way; the client's own console log stays off. */
const quiet = { log: { level: ClickHouseLogLevel.OFF } };

const sessionSettings = {
  output_format_json_quote_64bit_integers: 0,
  input_format_json_read_objects_as_strings: 1,
  date_time_output_format: "iso",
} as const;

/**
 * chdb applies a statement's settings with SET, which lasts for the rest of its session, where a server takes
 * them for one request: every statement in this process sends these, at their defaults unless it sets them
 * itself, so none carries over (a budget's max_execution_time, a load's deduplication token).
 */
const chdbStatementDefaults = {
  max_execution_time: 0,
  timeout_overflow_mode: "throw",
  join_use_nulls: 0,
  aggregate_functions_null_for_empty: 0,
  output_format_json_escape_forward_slashes: 1,
  insert_deduplication_token: "",
  deduplicate_blocks_in_dependent_materialized_views: 0,
  lightweight_deletes_sync: "2",
  async_insert: 0,
} as const;

function databaseOf(url: string): string {
  const named = clickhouseDatabaseOf(url);
  if ("problem" in named) throw new Error(`CAIRN_EVENTS_URL ${named.problem}`);
  return named.database;
}

/** A refused connection, an unknown host, a reset (Node's `E…` codes), not an answer that is an error (a wrong password). */
function nothingAnswered(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^E[A-Z_]+$/.test(code);
}

async function loadChdb(): Promise<ChdbConnectionModule> {
  // A specifier in a variable, so the type checker and the CLI bundle leave the optional package alone.
  const specifier = "chdb/connection";
  try {
    return (await import(specifier)) as ChdbConnectionModule;
  } catch (error) {
    throw new ChdbNotInstalledError(error);
  }
}

/** The oldest ClickHouse release this store's SQL is written for (its features: lightweight DELETE, ReplacingMergeTree's is_deleted, insert deduplication tokens). */
export const oldestSupportedClickhouse = "24.8";

export async function versionOf(client: ClickHouseClient): Promise<string> {
  const result = await client.query({ query: "SELECT version() AS version", format: "JSONEachRow" });
  const [row] = await result.json<{ version: string }>();
  return row?.version ?? "unknown";
}

function isSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const [oldMajor = 0, oldMinor = 0] = oldestSupportedClickhouse.split(".").map(Number);
  return major > oldMajor || (major === oldMajor && minor >= oldMinor);
}

function requireSupported(version: string, where: string): void {
  if (!isSupported(version)) throw new ClickhouseTooOldError(version, where, oldestSupportedClickhouse);
}

/**
 * Connects to ClickHouse by `CAIRN_EVENTS_URL`:
 * - `clickhouse://user:password@host:8123/database` (HTTP) or `clickhouses://…` (HTTPS): a ClickHouse server;
 * - `chdb:/path/to/folder?database=name`: the ClickHouse engine in this process, from the chdb package, for
 *   tests and benchmarks. The store's SQL is the same byte for byte: only the transport under
 *   `@clickhouse/client` differs.
 *
 * The database is created when missing.
 */
export async function connectClickhouse(url: string): Promise<ClickhouseConnection> {
  const where = redactUrl(url);
  if (url.startsWith("chdb:")) {
    const parsed = new URL(url);
    const folder = decodeURIComponent(parsed.pathname);
    if (folder.length === 0)
      throw new Error(`CAIRN_EVENTS_URL=${where} names no folder (chdb:/path/to/folder)`);
    const database = databaseOf(url);
    const { createChdbConnection } = await loadChdb();
    const client = createClient({
      ...quiet,
      connection: createChdbConnection({ path: folder }),
      clickhouse_settings: { ...sessionSettings, ...chdbStatementDefaults },
    });
    // chdb ignores the client's `database` option; a connection keeps its current database, so `USE` once.
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await client.command({ query: `USE ${database}` });
    return { client, transport: "chdb" };
  }
  const parsed = new URL(url.replace(/^clickhouse(s?):/i, "http$1:"));
  const database = databaseOf(url);
  const server = `${parsed.protocol}//${parsed.host}`;
  const credentials = {
    username: decodeURIComponent(parsed.username) || "default",
    password: decodeURIComponent(parsed.password),
  };
  // Asked before any setting is sent: an older server refuses the settings before it could say its version.
  const admin = createClient({ ...quiet, url: server, ...credentials, application: "cairn" });
  try {
    let version: string;
    try {
      version = await versionOf(admin);
    } catch (error) {
      if (nothingAnswered(error)) throw new EventStoreUnreachableError(where, error);
      // Anything else is the server's answer to `SELECT version()`: it refused the credentials or the user.
      throw new EventStoreRefusedError(where, error instanceof Error ? error : new Error(String(error)));
    }
    requireSupported(version, where);
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  } finally {
    await admin.close();
  }
  const client = createClient({
    ...quiet,
    url: server,
    ...credentials,
    database,
    application: "cairn",
    clickhouse_settings: sessionSettings,
  });
  return { client, transport: "http" };
}
