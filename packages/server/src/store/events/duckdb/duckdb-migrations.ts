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
];
