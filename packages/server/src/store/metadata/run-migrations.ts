import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import type { MigrationReport, MigrationStatus } from "../migration-status.js";
import { metadataMigrations } from "./migrations/index.js";

const provider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    // Kysely's Migration type takes Kysely<any>; ours take Kysely<unknown>, which is what they use.
    return metadataMigrations as Record<string, Migration>;
  },
};

function migratorFor(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider,
    migrationTableName: "cairn_migrations",
    migrationLockTableName: "cairn_migrations_lock",
  });
}

export async function migrateMetadata(db: Kysely<unknown>): Promise<MigrationReport> {
  const { error, results } = await migratorFor(db).migrateToLatest();
  if (error) throw error;
  return { applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

export async function metadataMigrationStatus(db: Kysely<unknown>): Promise<MigrationStatus[]> {
  const migrations = await migratorFor(db).getMigrations();
  return migrations.map((m) => ({
    name: m.name,
    appliedAt: m.executedAt ? m.executedAt.toISOString() : null,
  }));
}
