import type { Kysely } from "kysely";
import type { Broadcast } from "../../platform/limits/shared-counts.js";
import type { MigrationReport, MigrationStatus } from "../migration-status.js";
import type { MetadataSchema } from "./metadata-schema.js";
import type { RevisionListener } from "./revision-watcher.js";

/**
 * Subscriptions, apps, users, keys, settings: the small, relational, transactional data.
 * Every engine (SQLite embedded, PostgreSQL later) gives the same Kysely surface, so the code that uses
 * it is written once; the conformance suite runs against each engine.
 */
export interface MetadataStore {
  readonly engine: "sqlite" | "postgres";
  readonly db: Kysely<MetadataSchema>;
  /**
   * Calls `callback` as soon as the named `cache_revisions` counter moves, on any server, and returns the
   * function that stops it. PostgreSQL pushes it (LISTEN/NOTIFY); SQLite has none, and the watchers poll.
   */
  readonly onRevision?: RevisionListener;
  /** Messages to every server sharing the store (PostgreSQL NOTIFY); SQLite, with one server, has none. */
  readonly broadcast?: Broadcast;
  migrate(): Promise<MigrationReport>;
  migrationStatus(): Promise<MigrationStatus[]>;
  close(): Promise<void>;
}
