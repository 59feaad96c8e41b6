import type { MigrationReport, MigrationStatus } from "../migration-status.js";
import type { GuideStates, GuideStatesQuery } from "./guide-step-states.js";
import type {
  ProfileKind,
  ProfilePatches,
  RemovedProfile,
  StoredAccount,
  StoredVisitor,
  VisitorAlias,
} from "./profile-records.js";
import type {
  AliasKey,
  GuideStepStateKey,
  ProfileRestore,
  StoredGuideStepState,
} from "./profile-transfer.js";

export interface ProfileApply {
  readonly patches: ProfilePatches;
  /** The last ingest-log sequence these patches come from. */
  readonly sequence: number;
}

/** Stored records as they are, copied from an older layout (profiles in the event store). */
export interface ProfileSnapshot {
  readonly visitors: readonly StoredVisitor[];
  readonly accounts: readonly StoredAccount[];
  readonly aliases: readonly VisitorAlias[];
}

/** What `changesSince` answers: records written after the cursor asked for, and the cursor to ask with next. */
export interface ProfileChanges {
  readonly visitors: StoredVisitor[];
  readonly accounts: StoredAccount[];
  /**
   * Records removed after the cursor (their tombstones). A key removed and written again appears in both lists,
   * the write with the higher change number: apply removals before writes.
   */
  readonly removed: RemovedProfile[];
  /** The highest change returned, or the cursor asked for when none: every change up to it is returned. */
  readonly cursor: number;
}

export interface ProfileStoreOptions {
  /**
   * Which ingest log the checkpoint follows (default "ingest"). Servers that share one profile store (one
   * metadata file or database) each have their own log, numbered on its own.
   */
  readonly log?: string;
}

/**
 * Visitors, accounts, visitor aliases, their metadata groups (agent and custom) and their guide step states
 * (guide-step-states.ts): a row store with point
 * reads by primary key, apart from the columnar event store (where a visitor read was a scan, ~1.2 ms CPU).
 * SQLite embedded (its own file beside the metadata store's); the server engine will be PostgreSQL, in the
 * metadata store's database. `apply` is idempotent per sequence: its checkpoint commits in the same
 * transaction as the patches, and a sequence at or below `loadedSequence()` is skipped.
 *
 * Every write of a visitor or account gives the record the next number of one change counter, shared by both
 * kinds (and by removals: a removal records a tombstone under the next number), so
 * copies elsewhere (the event engine's profile mirror) follow the store with `changesSince`. The counter moves
 * under the transaction's write lock, so numbers are committed in order and a reader never sees a higher
 * number before a lower one is committed.
 */
export interface ProfileStore {
  readonly engine: "sqlite" | "postgres";
  migrate(): Promise<MigrationReport>;
  migrationStatus(): Promise<MigrationStatus[]>;
  apply(batch: ProfileApply): Promise<void>;
  /** The last ingest-log sequence whose patches are applied here (0 when none). */
  loadedSequence(): Promise<number>;
  /**
   * For a log that was known by another name: when this store's log has no checkpoint and `formerLog` has one,
   * the checkpoint moves to this log (once; never over a checkpoint of its own). Returns whether it moved.
   */
  adoptCheckpoint(formerLog: string): Promise<boolean>;
  visitor(subscriptionId: string, visitorId: string): Promise<StoredVisitor | null>;
  account(subscriptionId: string, accountId: string): Promise<StoredAccount | null>;
  /** Anonymous ids that the agent reported as this visitor, oldest first. */
  aliasesOf(subscriptionId: string, visitorId: string): Promise<string[]>;
  /**
   * Every guide step state of the visitor in one app, its anonymous aliases' included (per step the newest
   * state, dismissals added up), without those older than a reset that covers them; and the newest of them
   * as the agent's `lastGuideStepSeen` (null when none). One indexed read.
   */
  guideStatesOf(query: GuideStatesQuery): Promise<GuideStates>;
  /** Which of these visitor (or account) ids the subscription has (applied ones: the log's tail is not seen). */
  knownIds(subscriptionId: string, kind: ProfileKind, ids: readonly string[]): Promise<Set<string>>;
  /**
   * Adds the records as given, keeping any already stored under the same key (written by this layout, so
   * newer), and sets the checkpoint to `sequence`.
   */
  importSnapshot(snapshot: ProfileSnapshot, sequence: number): Promise<void>;
  /**
   * Visitors and accounts written after `cursor`, oldest change first, at most `limit` of each kind; `cursor`
   * in the answer is the highest change returned (or the input when none). Every change at or below the
   * answer's cursor is in the answer (of the kind that filled its limit first, the rest waits for the next
   * call), so paging with it never skips one. A record written again since appears once, with its latest
   * values.
   */
  changesSince(cursor: number, limit: number): Promise<ProfileChanges>;
  /**
   * Removes visitors (with their aliases and guide step states) or accounts of one subscription (bulk delete); each record removed
   * leaves a tombstone under the next change number. Ids not stored are skipped, so a repeat changes nothing.
   * Returns how many were removed.
   */
  remove(subscriptionId: string, kind: ProfileKind, ids: readonly string[]): Promise<number>;
  /** Every alias, in key order (subscription, anonymous id), `limit` at a time after `after` (export). */
  aliasesAfter(after: AliasKey | null, limit: number): Promise<VisitorAlias[]>;
  /** Every guide step state, in key order, `limit` at a time after `after` (export). */
  guideStepStatesAfter(after: GuideStepStateKey | null, limit: number): Promise<StoredGuideStepState[]>;
  /**
   * Writes the records as given (import), each replacing what is stored under its key, so writing the same
   * records again changes nothing and a later copy of a record wins over an earlier one. Each visitor or
   * account written takes the next change number, so the profile mirror copies it. One transaction.
   */
  restore(records: ProfileRestore): Promise<void>;
  close(): Promise<void>;
}
