/**
 * The PostgreSQL profile store's migrations: numbered and forward-only, named as the SQLite store's so both
 * report the same list. They live in the metadata database, so every table (and the migration table itself,
 * `profile_migrations`) is prefixed `profile_`: the metadata store's runner (`cairn_migrations`) never sees
 * them. Times are epoch milliseconds (`bigint`, read back as numbers); metadata groups are `jsonb`.
 */
export const postgresProfileMigrations: ReadonlyArray<{ name: string; sql: string }> = [
  {
    // profile_merge_patch is SQLite's json_patch (RFC 7396): objects merge key by key, a null removes the key,
    // anything else replaces. jsonb's `||` merges one level only and keeps nulls.
    name: "0001-profiles",
    sql: `
      CREATE FUNCTION profile_merge_patch(target jsonb, patch jsonb) RETURNS jsonb
        LANGUAGE plpgsql IMMUTABLE AS $$
      DECLARE
        merged jsonb;
        k text;
        v jsonb;
      BEGIN
        IF patch IS NULL OR jsonb_typeof(patch) <> 'object' THEN RETURN patch; END IF;
        merged := CASE WHEN jsonb_typeof(target) = 'object' THEN target ELSE '{}'::jsonb END;
        FOR k, v IN SELECT key, value FROM jsonb_each(patch) LOOP
          IF jsonb_typeof(v) = 'null' THEN merged := merged - k;
          ELSE merged := jsonb_set(merged, ARRAY[k], profile_merge_patch(merged -> k, v));
          END IF;
        END LOOP;
        RETURN merged;
      END $$;
      CREATE TABLE profile_checkpoints (log text PRIMARY KEY, sequence double precision NOT NULL);
      CREATE TABLE profile_visitors (
        subscription_id       text NOT NULL,
        visitor_id            text NOT NULL,
        first_visit           bigint,
        last_visit            bigint,
        last_app_id           text,
        last_account_id       text,
        last_user_agent       text,
        last_browser_name     text,
        last_browser_version  text,
        last_operating_system text,
        last_server_name      text,
        agent_metadata        jsonb NOT NULL,
        custom_metadata       jsonb NOT NULL,
        updated_at            bigint NOT NULL,
        PRIMARY KEY (subscription_id, visitor_id)
      );
      CREATE TABLE profile_accounts (
        subscription_id text NOT NULL,
        account_id      text NOT NULL,
        first_visit     bigint,
        last_visit      bigint,
        agent_metadata  jsonb NOT NULL,
        custom_metadata jsonb NOT NULL,
        updated_at      bigint NOT NULL,
        PRIMARY KEY (subscription_id, account_id)
      );
      CREATE TABLE profile_visitor_aliases (
        subscription_id text NOT NULL,
        anonymous_id    text NOT NULL,
        visitor_id      text NOT NULL,
        aliased_at      bigint NOT NULL,
        PRIMARY KEY (subscription_id, anonymous_id)
      );
      CREATE INDEX profile_visitor_aliases_by_visitor
        ON profile_visitor_aliases (subscription_id, visitor_id, aliased_at);`,
  },
  {
    // One counter row shared by both kinds, moved only by writers holding the profile write lock (see
    // open-postgres-profiles.ts), so change numbers commit in order.
    name: "0002-change-tracking",
    sql: `
      CREATE TABLE profile_change_counter (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL);
      INSERT INTO profile_change_counter VALUES (1, 0);
      ALTER TABLE profile_visitors ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
      ALTER TABLE profile_accounts ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
      CREATE INDEX profile_visitors_by_change ON profile_visitors (change_seq);
      CREATE INDEX profile_accounts_by_change ON profile_accounts (change_seq);`,
  },
  {
    name: "0003-tombstones",
    sql: `
      CREATE TABLE profile_tombstones (
        kind            text NOT NULL,
        subscription_id text NOT NULL,
        id              text NOT NULL,
        change_seq      bigint NOT NULL,
        PRIMARY KEY (kind, subscription_id, id)
      );
      CREATE INDEX profile_tombstones_by_change ON profile_tombstones (change_seq);`,
  },
  {
    name: "0004-guide-step-states",
    sql: `
      CREATE TABLE profile_guide_step_states (
        subscription_id     text NOT NULL,
        app_id              text NOT NULL,
        visitor_id          text NOT NULL,
        guide_id            text NOT NULL,
        step_id             text NOT NULL,
        state               text NOT NULL,
        last_seen_at        bigint NOT NULL,
        seen_reason         text,
        destination_step_id text,
        dismiss_count       integer NOT NULL,
        snooze_end_time     bigint,
        state_sequence      double precision NOT NULL,
        state_ordinal       integer NOT NULL,
        updated_sequence    double precision NOT NULL,
        PRIMARY KEY (subscription_id, app_id, visitor_id, guide_id, step_id)
      );`,
  },
];
