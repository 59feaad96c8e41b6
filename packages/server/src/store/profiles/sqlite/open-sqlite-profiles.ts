import Database from "better-sqlite3";
import type { MigrationStatus } from "../../migration-status.js";
import { type GuideStateRow, guideStatesFromRows } from "../guide-step-states.js";
import { type ChangedRow, profileChangesOf } from "../profile-changes.js";
import type {
  ProfileKind,
  ProfilePatches,
  RemovedProfile,
  StoredAccount,
  StoredVisitor,
  VisitorAlias,
} from "../profile-records.js";
import type { ProfileChanges, ProfileSnapshot, ProfileStore, ProfileStoreOptions } from "../profile-store.js";
import type { ProfileRestore, StoredGuideStepState } from "../profile-transfer.js";
import { sqliteProfileMigrations } from "./profile-migrations.js";
import { type ProfileStatements, prepareProfileStatements } from "./profile-statements.js";
import {
  type ProfileTransferStatements,
  prepareProfileTransferStatements,
} from "./profile-transfer-statements.js";

/** Times as the DuckDB layout kept them (microseconds, read back as whole milliseconds). */
const storedMs = (ms: number): number => Math.floor(Math.round(ms * 1000) / 1000);

type JsonRow = { agentMetadata: string; customMetadata: string };

/** A stored row with its two metadata groups parsed from their JSON text. */
function parsed<Stored>(row: unknown): Stored | null {
  if (row === undefined) return null;
  const { agentMetadata, customMetadata } = row as JsonRow;
  return {
    ...(row as object),
    agentMetadata: JSON.parse(agentMetadata) as unknown,
    customMetadata: JSON.parse(customMetadata) as unknown,
  } as Stored;
}

/**
 * Opens (creating if needed) the embedded profile store in its own SQLite file. Its own file, not the metadata
 * store's: the loader writes profiles under collector load, and those writes must never hold the write lock
 * that `cairn` CLI commands in other processes need on the metadata database. better-sqlite3 is synchronous,
 * so one `apply` is one transaction of prepared upserts for a whole loader batch.
 */
export function openSqliteProfiles(file: string, options: ProfileStoreOptions = {}): ProfileStore {
  const log = options.log ?? "ingest";
  const db = new Database(file);
  // WAL: readers (the CLI, doctor) never wait on the loader. FULL: a commit survives a power cut, since the
  // loader deletes ingest-log segments once this store's checkpoint covers them.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  db.exec("CREATE TABLE IF NOT EXISTS cairn_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  // Prepared on first use: the tables exist only once `migrate` ran.
  let statements: ProfileStatements | null = null;
  const prepared = () => {
    statements ??= prepareProfileStatements(db);
    return statements;
  };
  let transferStatements: ProfileTransferStatements | null = null;
  const transfer = () => {
    transferStatements ??= prepareProfileTransferStatements(db);
    return transferStatements;
  };
  const loaded = (): number => Number(prepared().checkpoint.get(log) ?? 0);

  function migrationStatus(): MigrationStatus[] {
    const rows = db.prepare("SELECT name, applied_at FROM cairn_migrations").all() as Array<{
      name: string;
      applied_at: string;
    }>;
    const applied = new Map(rows.map((row) => [row.name, row.applied_at]));
    return sqliteProfileMigrations.map((m) => ({ name: m.name, appliedAt: applied.get(m.name) ?? null }));
  }

  /**
   * Change numbers for one transaction's writes: read from the counter row once, one per record written,
   * written back once at the end (only when something was written). Called inside the write transaction.
   */
  function changeNumbers(s: ProfileStatements) {
    const first = Number(s.changeCounter.get());
    let last = first;
    return {
      next: () => ++last,
      save: () => {
        if (last !== first) s.setChangeCounter.run(last);
      },
    };
  }

  const apply = db.transaction((patches: ProfilePatches, sequence: number) => {
    if (sequence <= loaded()) return;
    const s = prepared();
    const now = Date.now();
    const changes = changeNumbers(s);
    for (const v of patches.visitors) {
      s.upsertVisitor.run({
        ...v,
        firstVisit: storedMs(v.firstVisit),
        lastVisit: storedMs(v.lastVisit),
        now,
        changeSeq: changes.next(),
      });
    }
    for (const a of patches.accounts) {
      s.upsertAccount.run({
        ...a,
        firstVisit: storedMs(a.firstVisit),
        lastVisit: storedMs(a.lastVisit),
        now,
        changeSeq: changes.next(),
      });
    }
    // Within a batch too, the earliest claim on an anonymous id wins.
    const aliases = [...patches.aliases].sort((x, y) => x.aliasedAt - y.aliasedAt);
    for (const alias of aliases) s.insertAlias.run({ ...alias, aliasedAt: storedMs(alias.aliasedAt) });
    for (const p of patches.customMetadata ?? []) {
      s.upsertCustom[p.kind].run({
        subscriptionId: p.subscriptionId,
        id: p.id,
        patch: JSON.stringify(p.values),
        now,
        changeSeq: changes.next(),
      });
    }
    // In event order: the ordinal breaks ties of browser time between events of one load.
    (patches.guideStates ?? []).forEach((g, ordinal) => {
      s.upsertGuideState.run({
        ...g,
        at: storedMs(g.at),
        snoozeEndTime: g.snoozeEndTime === null ? null : storedMs(g.snoozeEndTime),
        sequence,
        ordinal,
      });
    });
    changes.save();
    s.setCheckpoint.run(log, sequence);
  });

  const importSnapshot = db.transaction((snapshot: ProfileSnapshot, sequence: number) => {
    const s = prepared();
    const changes = changeNumbers(s);
    const json = (row: { agentMetadata: unknown; customMetadata: unknown }) => ({
      agentMetadata: JSON.stringify(row.agentMetadata),
      customMetadata: JSON.stringify(row.customMetadata),
    });
    // A record already stored is kept, and keeps its change number; a number taken for it is a harmless gap.
    for (const v of snapshot.visitors) s.importVisitor.run({ ...v, ...json(v), changeSeq: changes.next() });
    for (const a of snapshot.accounts) s.importAccount.run({ ...a, ...json(a), changeSeq: changes.next() });
    for (const alias of snapshot.aliases) s.importAlias.run(alias);
    changes.save();
    s.setCheckpoint.run(log, sequence);
  });

  // One read transaction: every list is read from the same snapshot, so no write committed between the reads
  // can put one list's change past another's that the answer's cursor would then step over.
  const changesSince = db.transaction((cursor: number, limit: number): ProfileChanges => {
    const s = prepared();
    const lists = {
      visitors: s.visitorsChangedSince.all(cursor, limit) as (JsonRow & ChangedRow)[],
      accounts: s.accountsChangedSince.all(cursor, limit) as (JsonRow & ChangedRow)[],
      removed: s.removedSince.all(cursor, limit) as (RemovedProfile & ChangedRow)[],
    };
    return profileChangesOf(lists, cursor, limit, (row) => parsed(row));
  });

  const remove = db.transaction(
    (subscriptionId: string, kind: ProfileKind, ids: readonly string[]): number => {
      const s = prepared();
      const changes = changeNumbers(s);
      let removed = 0;
      for (const id of new Set(ids)) {
        if (kind === "visitor") {
          s.deleteAliases.run(subscriptionId, id, id);
          s.deleteGuideStates.run(subscriptionId, id);
        }
        if (s.deleteRecord[kind].run(subscriptionId, id).changes === 0) continue;
        s.setTombstone.run({ kind, subscriptionId, id, changeSeq: changes.next() });
        removed++;
      }
      changes.save();
      return removed;
    },
  );

  const restore = db.transaction((records: ProfileRestore) => {
    const s = prepared();
    const t = transfer();
    const changes = changeNumbers(s);
    const json = (row: { agentMetadata: unknown; customMetadata: unknown }) => ({
      agentMetadata: JSON.stringify(row.agentMetadata),
      customMetadata: JSON.stringify(row.customMetadata),
    });
    for (const v of records.visitors ?? [])
      t.restoreVisitor.run({ ...v, ...json(v), changeSeq: changes.next() });
    for (const a of records.accounts ?? [])
      t.restoreAccount.run({ ...a, ...json(a), changeSeq: changes.next() });
    for (const alias of records.aliases ?? []) t.restoreAlias.run(alias);
    for (const g of records.guideStates ?? []) t.restoreGuideState.run(g);
    changes.save();
  });

  return {
    engine: "sqlite",
    async migrate() {
      const done = new Set(
        migrationStatus()
          .filter((m) => m.appliedAt)
          .map((m) => m.name),
      );
      const applied: string[] = [];
      for (const migration of sqliteProfileMigrations) {
        if (done.has(migration.name)) continue;
        db.transaction(() => {
          db.exec(migration.sql);
          db.prepare("INSERT INTO cairn_migrations VALUES (?, ?)").run(
            migration.name,
            new Date().toISOString(),
          );
        }).immediate();
        applied.push(migration.name);
      }
      return { applied };
    },
    migrationStatus: async () => migrationStatus(),
    async apply({ patches, sequence }) {
      apply.immediate(patches, sequence);
    },
    loadedSequence: async () => loaded(),
    async adoptCheckpoint(formerLog) {
      if (formerLog === log) return false;
      return db
        .transaction(() => {
          if (prepared().checkpoint.get(log) !== undefined) return false;
          return (
            db.prepare("UPDATE profile_checkpoints SET log = ? WHERE log = ?").run(log, formerLog).changes > 0
          );
        })
        .immediate();
    },
    visitor: async (subscriptionId, visitorId) =>
      parsed<StoredVisitor>(prepared().visitor.get(subscriptionId, visitorId)),
    account: async (subscriptionId, accountId) =>
      parsed<StoredAccount>(prepared().account.get(subscriptionId, accountId)),
    aliasesOf: async (subscriptionId, visitorId) =>
      prepared().aliasesOf.all(subscriptionId, visitorId) as string[],
    async guideStatesOf(query) {
      const { subscriptionId, appId, visitorId } = query;
      const rows = prepared().guideStatesOf.all({ subscriptionId, appId, visitorId }) as GuideStateRow[];
      return guideStatesFromRows(rows, query);
    },
    async knownIds(subscriptionId, kind, ids) {
      if (ids.length === 0) return new Set();
      return new Set(prepared().knownIds[kind].all(subscriptionId, JSON.stringify(ids)) as string[]);
    },
    async importSnapshot(snapshot, sequence) {
      importSnapshot.immediate(snapshot, sequence);
    },
    async changesSince(cursor, limit) {
      if (!Number.isInteger(limit) || limit < 1)
        throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}`);
      return changesSince(cursor, limit);
    },
    async remove(subscriptionId, kind, ids) {
      return remove.immediate(subscriptionId, kind, ids);
    },
    async aliasesAfter(after, limit) {
      const t = transfer();
      return (
        after
          ? t.aliasesAfter.all({
              subscriptionId: after.subscriptionId,
              anonymousId: after.anonymousId,
              limit,
            })
          : t.firstAliases.all({ limit })
      ) as VisitorAlias[];
    },
    async guideStepStatesAfter(after, limit) {
      const t = transfer();
      return (
        after
          ? t.guideStatesAfter.all({
              subscriptionId: after.subscriptionId,
              appId: after.appId,
              visitorId: after.visitorId,
              guideId: after.guideId,
              stepId: after.stepId,
              limit,
            })
          : t.firstGuideStates.all({ limit })
      ) as StoredGuideStepState[];
    },
    async restore(records) {
      restore.immediate(records);
    },
    async close() {
      db.close();
    },
  };
}
