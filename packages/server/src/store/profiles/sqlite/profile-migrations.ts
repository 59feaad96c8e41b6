/** Numbered and forward-only: append new ones, never edit or reorder applied ones. Times are epoch milliseconds. */
export const sqliteProfileMigrations: ReadonlyArray<{ name: string; sql: string }> = [
  {
    name: "0001-profiles",
    sql: `
      CREATE TABLE profile_checkpoints (log TEXT PRIMARY KEY, sequence REAL NOT NULL) WITHOUT ROWID;
      CREATE TABLE visitors (
        subscription_id       TEXT NOT NULL,
        visitor_id            TEXT NOT NULL,
        first_visit           INTEGER,
        last_visit            INTEGER,
        last_app_id           TEXT,
        last_account_id       TEXT,
        last_user_agent       TEXT,
        last_browser_name     TEXT,
        last_browser_version  TEXT,
        last_operating_system TEXT,
        last_server_name      TEXT,
        agent_metadata        TEXT NOT NULL,
        custom_metadata       TEXT NOT NULL,
        updated_at            INTEGER NOT NULL,
        PRIMARY KEY (subscription_id, visitor_id)
      ) WITHOUT ROWID;
      CREATE TABLE accounts (
        subscription_id TEXT NOT NULL,
        account_id      TEXT NOT NULL,
        first_visit     INTEGER,
        last_visit      INTEGER,
        agent_metadata  TEXT NOT NULL,
        custom_metadata TEXT NOT NULL,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (subscription_id, account_id)
      ) WITHOUT ROWID;
      CREATE TABLE visitor_aliases (
        subscription_id TEXT NOT NULL,
        anonymous_id    TEXT NOT NULL,
        visitor_id      TEXT NOT NULL,
        aliased_at      INTEGER NOT NULL,
        PRIMARY KEY (subscription_id, anonymous_id)
      ) WITHOUT ROWID;
      CREATE INDEX visitor_aliases_by_visitor ON visitor_aliases (subscription_id, visitor_id, aliased_at);`,
  },
];
