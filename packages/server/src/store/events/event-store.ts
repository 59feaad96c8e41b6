import type { MigrationReport, MigrationStatus } from "../migration-status.js";
import type {
  EventFilter,
  ProfileKind,
  ProfilePatches,
  StoredAccount,
  StoredEvent,
  StoredVisitor,
} from "./stored-event.js";

export interface AppendOptions {
  /** Visitor, account and alias changes that come with these events, applied in the same transaction. */
  readonly profiles?: ProfilePatches;
  /** How far the acknowledgement log is loaded once this append commits (same transaction). */
  readonly logSequence?: number;
  /** Events as newline-delimited rows (event-rows.ts), loaded in bulk; with it, pass `[]` as `events`. */
  readonly rowsNdjson?: string;
}

/**
 * The append-mostly analytics store (DuckDB embedded, ClickHouse later). Writes come in batches;
 * `append` resolves only once the whole batch is durable, which is what ingest acknowledges on.
 */
export interface EventStore {
  readonly engine: "duckdb" | "clickhouse";
  migrate(): Promise<MigrationReport>;
  migrationStatus(): Promise<MigrationStatus[]>;
  append(events: readonly StoredEvent[], options?: AppendOptions): Promise<void>;
  /** The last acknowledgement-log sequence whose events are in this store (0 when none). */
  loadedLogSequence(): Promise<number>;
  visitor(subscriptionId: string, visitorId: string): Promise<StoredVisitor | null>;
  account(subscriptionId: string, accountId: string): Promise<StoredAccount | null>;
  /** Which of these visitor (or account) ids the subscription has (loaded ones: the log's tail is not seen). */
  knownIds(subscriptionId: string, kind: ProfileKind, ids: readonly string[]): Promise<Set<string>>;
  /** Anonymous ids that the agent reported as this visitor, oldest first. */
  aliasesOf(subscriptionId: string, visitorId: string): Promise<string[]>;
  /** Events of one subscription in the order they were received. */
  read(filter: EventFilter): Promise<StoredEvent[]>;
  count(filter: EventFilter): Promise<number>;
  close(): Promise<void>;
}
