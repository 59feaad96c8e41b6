import type { Kysely } from "kysely";
import type { MigrationReport, MigrationStatus } from "../migration-status.js";
import type { MetadataSchema } from "./metadata-schema.js";

/**
 * Subscriptions, apps, users, keys, settings: the small, relational, transactional data.
 * Every engine (SQLite embedded, PostgreSQL later) gives the same Kysely surface, so the code that uses
 * it is written once; the conformance suite runs against each engine.
 */
export interface MetadataStore {
  readonly engine: "sqlite" | "postgres";
  readonly db: Kysely<MetadataSchema>;
  migrate(): Promise<MigrationReport>;
  migrationStatus(): Promise<MigrationStatus[]>;
  close(): Promise<void>;
}
