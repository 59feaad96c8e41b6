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
  {
    // Change tracking, for copies that follow the store (the event engine's profile mirror): every write of a
    // record sets its change_seq to the next number of one counter shared by both kinds (a row, so the number
    // moves under the writer's lock). Existing records are numbered by when they were written, visitors first.
    name: "0002-change-tracking",
    sql: `
      CREATE TABLE profile_change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
      ALTER TABLE visitors ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE accounts ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      UPDATE visitors SET change_seq = numbered.n
        FROM (SELECT subscription_id, visitor_id,
                row_number() OVER (ORDER BY updated_at, subscription_id, visitor_id) AS n FROM visitors) AS numbered
        WHERE numbered.subscription_id = visitors.subscription_id AND numbered.visitor_id = visitors.visitor_id;
      UPDATE accounts SET change_seq = (SELECT count(*) FROM visitors) + numbered.n
        FROM (SELECT subscription_id, account_id,
                row_number() OVER (ORDER BY updated_at, subscription_id, account_id) AS n FROM accounts) AS numbered
        WHERE numbered.subscription_id = accounts.subscription_id AND numbered.account_id = accounts.account_id;
      INSERT INTO profile_change_counter VALUES (1, (SELECT count(*) FROM visitors) + (SELECT count(*) FROM accounts));
      CREATE INDEX visitors_by_change ON visitors (change_seq);
      CREATE INDEX accounts_by_change ON accounts (change_seq);`,
  },
  {
    // Removals (bulk delete): a removed visitor or account leaves a tombstone under the next change number, so
    // copies that follow the change feed remove it too. One per key: removing it again moves the tombstone.
    name: "0003-tombstones",
    sql: `
      CREATE TABLE profile_tombstones (
        kind            TEXT NOT NULL,
        subscription_id TEXT NOT NULL,
        id              TEXT NOT NULL,
        change_seq      INTEGER NOT NULL,
        PRIMARY KEY (kind, subscription_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX profile_tombstones_by_change ON profile_tombstones (change_seq);`,
  },
  {
    // Guide step state per visitor (agent-wire.md §7.4), written from guide events by ingest. The key's prefix
    // (subscription, app, visitor) is what guide.json reads. state_sequence/state_ordinal place the event that
    // set the state (log sequence, then position in that load): ties of browser time go to the later event.
    name: "0004-guide-step-states",
    sql: `
      CREATE TABLE guide_step_states (
        subscription_id     TEXT NOT NULL,
        app_id              TEXT NOT NULL,
        visitor_id          TEXT NOT NULL,
        guide_id            TEXT NOT NULL,
        step_id             TEXT NOT NULL,
        state               TEXT NOT NULL,
        last_seen_at        INTEGER NOT NULL,
        seen_reason         TEXT,
        destination_step_id TEXT,
        dismiss_count       INTEGER NOT NULL,
        snooze_end_time     INTEGER,
        state_sequence      INTEGER NOT NULL,
        state_ordinal       INTEGER NOT NULL,
        updated_sequence    INTEGER NOT NULL,
        PRIMARY KEY (subscription_id, app_id, visitor_id, guide_id, step_id)
      ) WITHOUT ROWID;`,
  },
];
