import { createRollupTables, insertRollupsFrom } from "./event-rollups.js";

/** Numbered and forward-only: append new ones, never edit or reorder applied ones. */
export const duckdbMigrations: ReadonlyArray<{ name: string; sql: string }> = [
  {
    name: "0001-events",
    sql: `
      CREATE TABLE events (
        event_id        VARCHAR   NOT NULL,
        subscription_id VARCHAR   NOT NULL,
        app_id          VARCHAR   NOT NULL,
        type            VARCHAR   NOT NULL,
        visitor_id      VARCHAR   NOT NULL,
        account_id      VARCHAR,
        occurred_at     TIMESTAMP NOT NULL,
        received_at     TIMESTAMP NOT NULL,
        url             VARCHAR,
        title           VARCHAR,
        element_path    VARCHAR,
        track_name      VARCHAR,
        ip              VARCHAR,
        user_agent      VARCHAR,
        is_bot          BOOLEAN   NOT NULL,
        excluded        BOOLEAN   NOT NULL,
        batch_key       VARCHAR,
        properties      VARCHAR   NOT NULL
      );`,
  },
  {
    // Visitors and accounts live beside the events, so rollups and metadata filters can join them in one query.
    name: "0002-ingest-checkpoints-and-profiles",
    sql: `
      CREATE TABLE ingest_checkpoints (log VARCHAR PRIMARY KEY, sequence DOUBLE NOT NULL);
      CREATE TABLE visitors (
        subscription_id       VARCHAR   NOT NULL,
        visitor_id            VARCHAR   NOT NULL,
        first_visit           TIMESTAMP NOT NULL,
        last_visit            TIMESTAMP NOT NULL,
        last_app_id           VARCHAR   NOT NULL,
        last_account_id       VARCHAR,
        last_user_agent       VARCHAR,
        last_browser_name     VARCHAR,
        last_browser_version  VARCHAR,
        last_operating_system VARCHAR,
        last_server_name      VARCHAR,
        agent_metadata        VARCHAR   NOT NULL,
        custom_metadata       VARCHAR   NOT NULL,
        updated_at            TIMESTAMP NOT NULL,
        PRIMARY KEY (subscription_id, visitor_id)
      );
      CREATE TABLE accounts (
        subscription_id VARCHAR   NOT NULL,
        account_id      VARCHAR   NOT NULL,
        first_visit     TIMESTAMP NOT NULL,
        last_visit      TIMESTAMP NOT NULL,
        agent_metadata  VARCHAR   NOT NULL,
        custom_metadata VARCHAR   NOT NULL,
        updated_at      TIMESTAMP NOT NULL,
        PRIMARY KEY (subscription_id, account_id)
      );
      CREATE TABLE visitor_aliases (
        subscription_id VARCHAR   NOT NULL,
        anonymous_id    VARCHAR   NOT NULL,
        visitor_id      VARCHAR   NOT NULL,
        aliased_at      TIMESTAMP NOT NULL,
        PRIMARY KEY (subscription_id, anonymous_id)
      );`,
  },
  {
    // The v1 API creates visitors and accounts (`?create=true`) that have not visited yet.
    name: "0003-profiles-without-visits",
    sql: `
      ALTER TABLE visitors ALTER COLUMN first_visit DROP NOT NULL;
      ALTER TABLE visitors ALTER COLUMN last_visit DROP NOT NULL;
      ALTER TABLE visitors ALTER COLUMN last_app_id DROP NOT NULL;
      ALTER TABLE accounts ALTER COLUMN first_visit DROP NOT NULL;
      ALTER TABLE accounts ALTER COLUMN last_visit DROP NOT NULL;`,
  },
  {
    // The profile store's visitors and accounts, copied here for analytic queries that join them onto events
    // (profile-mirror.ts): kept up to date lazily, by the profile store's change cursor, before such a query.
    // The query compiler is written against these names. Times are epoch ms, metadata groups JSON object text.
    name: "0004-profile-mirror",
    sql: `
      CREATE TABLE visitor_profiles (
        subscription_id       VARCHAR NOT NULL,
        visitor_id            VARCHAR NOT NULL,
        first_visit           DOUBLE,
        last_visit            DOUBLE,
        last_updated          DOUBLE  NOT NULL,
        last_app_id           VARCHAR,
        last_account_id       VARCHAR,
        last_user_agent       VARCHAR,
        last_browser_name     VARCHAR,
        last_browser_version  VARCHAR,
        last_operating_system VARCHAR,
        last_server_name      VARCHAR,
        agent_metadata        VARCHAR NOT NULL,
        custom_metadata       VARCHAR NOT NULL,
        PRIMARY KEY (subscription_id, visitor_id)
      );
      CREATE TABLE account_profiles (
        subscription_id VARCHAR NOT NULL,
        account_id      VARCHAR NOT NULL,
        first_visit     DOUBLE,
        last_visit      DOUBLE,
        last_updated    DOUBLE  NOT NULL,
        agent_metadata  VARCHAR NOT NULL,
        custom_metadata VARCHAR NOT NULL,
        PRIMARY KEY (subscription_id, account_id)
      );
      CREATE TABLE profile_mirror_cursor (source VARCHAR PRIMARY KEY, cursor DOUBLE NOT NULL);`,
  },
  {
    // Hourly rollups for the aggregated sources (event-rollups.ts), filled from the events already stored.
    name: "0005-event-rollups",
    sql: [createRollupTables, ...insertRollupsFrom("events")].join(";\n"),
  },
  {
    // An identified visitor's event that came without the signed identity its app requires, stored because the
    // app says `flag` (ingest/agent-event.ts). Last in the table, as event-columns.ts lists it.
    name: "0006-unsigned-identity",
    sql: "ALTER TABLE events ADD COLUMN unsigned_identity BOOLEAN DEFAULT false",
  },
];
