import type { MigrationReport, MigrationStatus } from "../migration-status.js";
import type { EventFilter, StoredEvent } from "./stored-event.js";

/**
 * The append-mostly analytics store (DuckDB embedded, ClickHouse later). Writes come in batches;
 * `append` resolves only once the whole batch is durable, which is what ingest acknowledges on.
 */
export interface EventStore {
  readonly engine: "duckdb" | "clickhouse";
  migrate(): Promise<MigrationReport>;
  migrationStatus(): Promise<MigrationStatus[]>;
  append(events: readonly StoredEvent[]): Promise<void>;
  /** Events of one subscription in the order they were received. */
  read(filter: EventFilter): Promise<StoredEvent[]>;
  count(filter: EventFilter): Promise<number>;
  close(): Promise<void>;
}

/** Another process holds the embedded event store's file (DuckDB allows one writer process). */
export class EventStoreLockedError extends Error {
  constructor(file: string, detail: string) {
    super(
      `the event store ${file} is open in another process (${detail}); is \`cairn start\` running on this data folder?`,
    );
    this.name = "EventStoreLockedError";
  }
}
