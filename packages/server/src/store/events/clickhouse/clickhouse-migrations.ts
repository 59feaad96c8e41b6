import { createRollupTables, createRollupViews } from "./clickhouse-rollups.js";

const time = "DateTime64(3, 'UTC')";

/**
 * Insert deduplication remembers this many recent blocks per table: a load retried or replayed after a crash
 * (same token) within them is dropped. Every server's loads count, so it is set well above how many loads all
 * servers make while one restarts.
 */
const dedupWindow = "non_replicated_deduplication_window = 10000";

/**
 * Numbered and forward-only: append new ones, never edit or reorder applied ones. ClickHouse has no
 * transactions and takes one statement per request, so a migration is a list of statements, each safe to run
 * again (IF NOT EXISTS): one cut short, or run by two servers starting at once, completes on the next run.
 */
export const clickhouseMigrations: ReadonlyArray<{ name: string; statements: readonly string[] }> = [
  {
    // Ordered for the aggregation queries (a subscription's app, then time); a month per partition.
    name: "0001-events",
    statements: [
      `CREATE TABLE IF NOT EXISTS events (
        event_id          String,
        subscription_id   LowCardinality(String),
        app_id            LowCardinality(String),
        type              LowCardinality(String),
        visitor_id        String,
        account_id        Nullable(String),
        occurred_at       ${time},
        received_at       ${time},
        url               Nullable(String),
        title             Nullable(String),
        element_path      Nullable(String),
        track_name        Nullable(String),
        ip                Nullable(String),
        user_agent        Nullable(String),
        is_bot            Bool,
        excluded          Bool,
        batch_key         Nullable(String),
        properties        String,
        unsigned_identity Bool DEFAULT false
      ) ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at)
        ORDER BY (subscription_id, app_id, toStartOfHour(occurred_at), visitor_id)
        SETTINGS ${dedupWindow}`,
      // Each server's ingest log is numbered on its own; the newest sequence loaded per log wins.
      `CREATE TABLE IF NOT EXISTS ingest_checkpoints (log String, sequence Float64)
        ENGINE = ReplacingMergeTree(sequence) ORDER BY log`,
    ],
  },
  {
    name: "0002-event-rollups",
    statements: [...createRollupTables, ...createRollupViews],
  },
  {
    // The profile store's visitors and accounts (profile-mirror.ts), one row per key as of the newest
    // `version`; a removed record is a row with is_deleted = 1. Readers use FINAL.
    name: "0003-profile-mirror",
    statements: [
      `CREATE TABLE IF NOT EXISTS visitor_profiles (
        subscription_id       LowCardinality(String),
        visitor_id            String,
        first_visit           Nullable(Float64),
        last_visit            Nullable(Float64),
        last_updated          Float64,
        last_app_id           Nullable(String),
        last_account_id       Nullable(String),
        last_user_agent       Nullable(String),
        last_browser_name     Nullable(String),
        last_browser_version  Nullable(String),
        last_operating_system Nullable(String),
        last_server_name      Nullable(String),
        agent_metadata        String,
        custom_metadata       String,
        version               UInt64,
        is_deleted            UInt8
      ) ENGINE = ReplacingMergeTree(version, is_deleted) ORDER BY (subscription_id, visitor_id)`,
      `CREATE TABLE IF NOT EXISTS account_profiles (
        subscription_id LowCardinality(String),
        account_id      String,
        first_visit     Nullable(Float64),
        last_visit      Nullable(Float64),
        last_updated    Float64,
        agent_metadata  String,
        custom_metadata String,
        version         UInt64,
        is_deleted      UInt8
      ) ENGINE = ReplacingMergeTree(version, is_deleted) ORDER BY (subscription_id, account_id)`,
      `CREATE TABLE IF NOT EXISTS profile_mirror_cursor (source String, cursor Float64)
        ENGINE = ReplacingMergeTree(cursor) ORDER BY source`,
    ],
  },
];

export const createMigrationsTable = `CREATE TABLE IF NOT EXISTS cairn_migrations (name String, applied_at ${time})
  ENGINE = ReplacingMergeTree ORDER BY name`;
