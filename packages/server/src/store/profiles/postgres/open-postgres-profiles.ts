import type pg from "pg";
import { openPool } from "../../metadata/postgres/open-postgres-store.js";
import type { MigrationStatus } from "../../migration-status.js";
import { type GuideStateRow, guideStatesFromRows } from "../guide-step-states.js";
import { type ChangedRow, profileChangesOf } from "../profile-changes.js";
import type { ProfilePatches, RemovedProfile, StoredAccount, StoredVisitor } from "../profile-records.js";
import type { ProfileChanges, ProfileSnapshot, ProfileStore, ProfileStoreOptions } from "../profile-store.js";
import type { ProfileRestore } from "../profile-transfer.js";
import { postgresProfileMigrations } from "./postgres-profile-migrations.js";
import { profileSql as sql } from "./postgres-profile-statements.js";
import { aliasesAfter, guideStepStatesAfter, profileTransferSql } from "./postgres-profile-transfer.js";

/**
 * The advisory lock every profile write transaction (`apply`, `importSnapshot`, `remove`) takes as it begins:
 * its own number, not the metadata store's `metadataWriteLock`, so a loader's batch never queues behind
 * metadata writes nor they behind it.
 *
 * Why writes are serialized: the mirror pages with `changesSince(cursor)`, which is only safe if change numbers
 * become visible in order. A sequence would not give that: two transactions may take 7 and 8 and commit 8
 * first, and a reader in between would move its cursor to 8 and never see 7. Here the counter is a row moved
 * only under this lock, held until commit (PostgreSQL makes a commit visible before it releases the
 * transaction's locks), so the next writer takes higher numbers only after the lower ones are visible, on any
 * server. `changesSince` reads its three lists in one REPEATABLE READ snapshot.
 */
export const profileWriteLock = 0x6361_6970; // "caip"
/** Held while migrating, so servers starting at once apply each migration once. */
const profileMigrationLock = 0x6361_696d; // "caim"

/** Times as the DuckDB layout kept them (microseconds, read back as whole milliseconds), as on SQLite. */
const storedMs = (ms: number): number => Math.floor(Math.round(ms * 1000) / 1000);

/** A stored visitor as the parameters of `importVisitor` and `restoreVisitor`, with its change number. */
const storedVisitorParams = (v: StoredVisitor, change: number) => [
  v.subscriptionId,
  v.visitorId,
  v.firstVisit,
  v.lastVisit,
  v.lastAppId,
  v.lastAccountId,
  v.lastUserAgent,
  v.lastBrowserName,
  v.lastBrowserVersion,
  v.lastOperatingSystem,
  v.lastServerName,
  JSON.stringify(v.agentMetadata),
  JSON.stringify(v.customMetadata),
  v.updatedAt,
  change,
];

/** A stored account as the parameters of `importAccount` and `restoreAccount`. */
const storedAccountParams = (a: StoredAccount, change: number) => [
  a.subscriptionId,
  a.accountId,
  a.firstVisit,
  a.lastVisit,
  JSON.stringify(a.agentMetadata),
  JSON.stringify(a.customMetadata),
  a.updatedAt,
  change,
];

/** Consecutive runs of `items`, in order, none holding one key twice or more than `max` items. */
function keyedRuns<T>(items: readonly T[], key: (item: T) => string, max = 5_000): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let keys = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (keys.has(k) || run.length >= max) {
      runs.push(run);
      run = [];
      keys = new Set();
    }
    run.push(item);
    keys.add(k);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Opens the profile store in a PostgreSQL database (the metadata store's: its tables are prefixed
 * `profile_`), so every server sharing the database sees the same visitors, accounts, aliases and guide step
 * states. Same semantics as the SQLite store: `apply` is one transaction, skipped when its sequence is at or
 * below this log's checkpoint. Metadata groups are `jsonb`: text with a NUL character (`\u0000`), which
 * PostgreSQL refuses in `jsonb` and `text`, fails the batch here where SQLite would store it.
 */
export async function openPostgresProfiles(
  url: string,
  options: ProfileStoreOptions = {},
): Promise<ProfileStore> {
  const log = options.log ?? "ingest";
  // Loaded here, not at start: a server on SQLite never reads the driver (scripts/bundle-cli.mjs leaves it out).
  const { default: driver } = await import("pg");
  const pool = await openPool(driver, url, 5);

  async function inTransaction<T>(
    begin: string,
    lock: number | null,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query(begin);
      if (lock !== null) await client.query("SELECT pg_advisory_xact_lock($1)", [lock]);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  const writing = <T>(work: (client: pg.PoolClient) => Promise<T>) =>
    inTransaction("BEGIN", profileWriteLock, work);

  async function loaded(client: pg.Pool | pg.PoolClient): Promise<number> {
    const { rows } = await client.query<{ sequence: number }>(sql.checkpoint, [log]);
    return rows[0]?.sequence ?? 0;
  }

  /** Change numbers for one write transaction: read once, one per record written, saved once at the end. */
  async function changeNumbers(client: pg.PoolClient) {
    const { rows } = await client.query<{ seq: number }>(sql.changeCounter);
    const first = rows[0]?.seq ?? 0;
    let last = first;
    return {
      next: () => ++last,
      save: async () => {
        if (last !== first) await client.query(sql.setChangeCounter, [last]);
      },
    };
  }

  async function migrationStatus(): Promise<MigrationStatus[]> {
    // Before the first migrate the table is not there: every migration is pending.
    const { rows } = await pool
      .query<{ name: string; applied_at: string }>(
        "SELECT name, applied_at FROM profile_migrations WHERE to_regclass('profile_migrations') IS NOT NULL",
      )
      .catch(() => ({ rows: [] as Array<{ name: string; applied_at: string }> }));
    const applied = new Map(rows.map((row) => [row.name, row.applied_at]));
    return postgresProfileMigrations.map((m) => ({ name: m.name, appliedAt: applied.get(m.name) ?? null }));
  }

  /**
   * Visitors and accounts go many to a statement (unnest of arrays): one statement per record cost a round trip
   * each. A statement may not touch one key twice, so a batch is cut before a key it already holds.
   */
  async function apply(client: pg.PoolClient, patches: ProfilePatches, sequence: number): Promise<void> {
    if (sequence <= (await loaded(client))) return;
    const now = Date.now();
    const changes = await changeNumbers(client);
    for (const run of keyedRuns(patches.visitors, (v) => `${v.subscriptionId}\u0000${v.visitorId}`)) {
      await client.query(sql.upsertVisitors, [
        run.map((v) => v.subscriptionId),
        run.map((v) => v.visitorId),
        run.map((v) => storedMs(v.firstVisit)),
        run.map((v) => storedMs(v.lastVisit)),
        run.map((v) => v.lastAppId),
        run.map((v) => v.lastAccountId),
        run.map((v) => v.lastUserAgent),
        run.map((v) => v.lastBrowserName),
        run.map((v) => v.lastBrowserVersion),
        run.map((v) => v.lastOperatingSystem),
        run.map((v) => v.lastServerName),
        run.map((v) => v.agentMetadata),
        now,
        run.map(() => changes.next()),
      ]);
    }
    for (const run of keyedRuns(patches.accounts, (a) => `${a.subscriptionId}\u0000${a.accountId}`)) {
      await client.query(sql.upsertAccounts, [
        run.map((a) => a.subscriptionId),
        run.map((a) => a.accountId),
        run.map((a) => storedMs(a.firstVisit)),
        run.map((a) => storedMs(a.lastVisit)),
        run.map((a) => a.agentMetadata),
        now,
        run.map(() => changes.next()),
      ]);
    }
    // Within a batch too, the earliest claim on an anonymous id wins.
    const aliases = [...patches.aliases].sort((x, y) => x.aliasedAt - y.aliasedAt);
    for (const alias of aliases) {
      await client.query(sql.insertAlias, [
        alias.subscriptionId,
        alias.anonymousId,
        alias.visitorId,
        storedMs(alias.aliasedAt),
      ]);
    }
    for (const p of patches.customMetadata ?? []) {
      await client.query(sql.upsertCustom[p.kind], [
        p.subscriptionId,
        p.id,
        JSON.stringify(p.values),
        now,
        changes.next(),
      ]);
    }
    // In event order: the ordinal breaks ties of browser time between events of one load.
    for (const [ordinal, g] of (patches.guideStates ?? []).entries()) {
      await client.query(sql.upsertGuideState, [
        g.subscriptionId,
        g.appId,
        g.visitorId,
        g.guideId,
        g.stepId,
        g.state,
        storedMs(g.at),
        g.seenReason,
        g.destinationStepId,
        g.dismissals,
        g.snoozeEndTime === null ? null : storedMs(g.snoozeEndTime),
        sequence,
        ordinal,
      ]);
    }
    await changes.save();
    await client.query(sql.setCheckpoint, [log, sequence]);
  }

  async function importSnapshot(client: pg.PoolClient, snapshot: ProfileSnapshot, sequence: number) {
    const changes = await changeNumbers(client);
    // A record already stored is kept, and keeps its change number; a number taken for it is a harmless gap.
    for (const v of snapshot.visitors) {
      await client.query(sql.importVisitor, storedVisitorParams(v, changes.next()));
    }
    for (const a of snapshot.accounts) {
      await client.query(sql.importAccount, storedAccountParams(a, changes.next()));
    }
    for (const alias of snapshot.aliases) {
      await client.query(sql.importAlias, [
        alias.subscriptionId,
        alias.anonymousId,
        alias.visitorId,
        alias.aliasedAt,
      ]);
    }
    await changes.save();
    await client.query(sql.setCheckpoint, [log, sequence]);
  }

  async function changesSince(client: pg.PoolClient, cursor: number, limit: number): Promise<ProfileChanges> {
    const rows = async <Row extends ChangedRow>(text: string) =>
      (await client.query<Row>(text, [cursor, limit])).rows;
    const lists = {
      visitors: await rows<ChangedRow>(sql.visitorsChangedSince),
      accounts: await rows<ChangedRow>(sql.accountsChangedSince),
      removed: await rows<RemovedProfile & ChangedRow>(sql.removedSince),
    };
    return profileChangesOf(lists, cursor, limit, (row) => row);
  }

  async function restore(client: pg.PoolClient, records: ProfileRestore): Promise<void> {
    const t = profileTransferSql;
    const changes = await changeNumbers(client);
    for (const v of records.visitors ?? []) {
      await client.query(t.restoreVisitor, storedVisitorParams(v, changes.next()));
    }
    for (const a of records.accounts ?? []) {
      await client.query(t.restoreAccount, storedAccountParams(a, changes.next()));
    }
    for (const alias of records.aliases ?? [])
      await client.query(t.restoreAlias, [
        alias.subscriptionId,
        alias.anonymousId,
        alias.visitorId,
        alias.aliasedAt,
      ]);
    for (const g of records.guideStates ?? [])
      await client.query(t.restoreGuideState, [
        g.subscriptionId,
        g.appId,
        g.visitorId,
        g.guideId,
        g.stepId,
        g.state,
        g.lastSeenAt,
        g.seenReason,
        g.destinationStepId,
        g.dismissCount,
        g.snoozeEndTime,
        g.stateSequence,
        g.stateOrdinal,
        g.updatedSequence,
      ]);
    await changes.save();
  }

  const one = async <Row>(text: string, values: unknown[]): Promise<Row | null> =>
    (await pool.query(text, values)).rows[0] ?? null;

  return {
    engine: "postgres",
    async migrate() {
      return inTransaction("BEGIN", profileMigrationLock, async (client) => {
        // Created under the lock, so servers starting at once do not race to create it.
        await client.query(
          "CREATE TABLE IF NOT EXISTS profile_migrations (name text PRIMARY KEY, applied_at text NOT NULL)",
        );
        const { rows } = await client.query<{ name: string }>("SELECT name FROM profile_migrations");
        const done = new Set(rows.map((row) => row.name));
        const applied: string[] = [];
        for (const migration of postgresProfileMigrations) {
          if (done.has(migration.name)) continue;
          await client.query(migration.sql);
          await client.query("INSERT INTO profile_migrations VALUES ($1, $2)", [
            migration.name,
            new Date().toISOString(),
          ]);
          applied.push(migration.name);
        }
        return { applied };
      });
    },
    migrationStatus,
    apply: ({ patches, sequence }) => writing((client) => apply(client, patches, sequence)),
    loadedSequence: () => loaded(pool),
    adoptCheckpoint: (formerLog) =>
      writing(async (client) => {
        if (formerLog === log) return false;
        const { rows } = await client.query(sql.checkpoint, [log]);
        if (rows.length > 0) return false;
        const moved = await client.query("UPDATE profile_checkpoints SET log = $1 WHERE log = $2", [
          log,
          formerLog,
        ]);
        return (moved.rowCount ?? 0) > 0;
      }),
    visitor: (subscriptionId, visitorId) => one<StoredVisitor>(sql.visitor, [subscriptionId, visitorId]),
    account: (subscriptionId, accountId) => one<StoredAccount>(sql.account, [subscriptionId, accountId]),
    async aliasesOf(subscriptionId, visitorId) {
      const { rows } = await pool.query<{ anonymous_id: string }>(sql.aliasesOf, [subscriptionId, visitorId]);
      return rows.map((row) => row.anonymous_id);
    },
    async guideStatesOf(query) {
      const { subscriptionId, appId, visitorId } = query;
      const { rows } = await pool.query<GuideStateRow>(sql.guideStatesOf, [subscriptionId, appId, visitorId]);
      return guideStatesFromRows(rows, query);
    },
    async knownIds(subscriptionId, kind, ids) {
      if (ids.length === 0) return new Set();
      const { rows } = await pool.query<{ id: string }>(sql.knownIds[kind], [subscriptionId, [...ids]]);
      return new Set(rows.map((row) => row.id));
    },
    importSnapshot: (snapshot, sequence) => writing((client) => importSnapshot(client, snapshot, sequence)),
    async changesSince(cursor, limit) {
      if (!Number.isInteger(limit) || limit < 1)
        throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}`);
      // One snapshot for the three lists, as SQLite's read transaction.
      return inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", null, (client) =>
        changesSince(client, cursor, limit),
      );
    },
    remove: (subscriptionId, kind, ids) =>
      writing(async (client) => {
        const changes = await changeNumbers(client);
        let removed = 0;
        for (const id of new Set(ids)) {
          if (kind === "visitor") {
            await client.query(sql.deleteAliases, [subscriptionId, id]);
            await client.query(sql.deleteGuideStates, [subscriptionId, id]);
          }
          if ((await client.query(sql.deleteRecord[kind], [subscriptionId, id])).rowCount === 0) continue;
          await client.query(sql.setTombstone, [kind, subscriptionId, id, changes.next()]);
          removed++;
        }
        await changes.save();
        return removed;
      }),
    aliasesAfter: (after, limit) => aliasesAfter(pool, after, limit),
    guideStepStatesAfter: (after, limit) => guideStepStatesAfter(pool, after, limit),
    restore: (records) => writing((client) => restore(client, records)),
    async close() {
      await pool.end();
    },
  };
}
