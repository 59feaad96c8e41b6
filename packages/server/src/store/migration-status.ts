/** One numbered, forward-only migration and whether this store has applied it. */
export interface MigrationStatus {
  readonly name: string;
  readonly appliedAt: string | null;
}

export interface MigrationReport {
  /** Names applied by this call, in order; empty when the store was up to date. */
  readonly applied: readonly string[];
}
