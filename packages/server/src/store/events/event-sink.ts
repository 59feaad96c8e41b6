import type { MigrationReport, MigrationStatus } from "../migration-status.js";
import type { EventEngine } from "./sql-dialect.js";

export interface SinkLoad {
  /**
   * Events as newline-delimited rows (event-rows.ts), UTF-8, in pieces loaded one after another; each piece
   * holds whole rows, each row ending in a newline (`rowsBytes`). No rows (or only empty pieces) only moves
   * the checkpoint. Bytes rather than text, so the rows a worker prepared reach the engine's file without
   * being decoded and encoded again on the event loop.
   */
  readonly rows: readonly Uint8Array[];
  /** The last ingest-log sequence these rows come from. */
  readonly sequence: number;
}

/** Events brought in by `cairn import`: rows as in `SinkLoad`, named by a token instead of a log sequence. */
export interface SinkImport {
  readonly rows: readonly Uint8Array[];
  /**
   * Names these rows for good (the export and its file): rows imported again under a token already imported
   * are not stored twice, so an import cut short can be run again. Never an ingest-log sequence: the
   * checkpoint does not move.
   */
  readonly token: string;
}

/** A load the engine answered with a refusal: it stored nothing of it, so its records may be loaded in other batches. */
export class LoadRefusedError extends Error {
  constructor(cause: Error) {
    super(`the event store refused the load: ${cause.message}`, { cause });
    this.name = "LoadRefusedError";
  }
}

/** Every event of some visitors of one subscription, to delete (bulk delete). */
export interface VisitorDeletion {
  readonly subscriptionId: string;
  readonly visitorIds: readonly string[];
}

/**
 * Where acknowledged events are loaded (DuckDB embedded, ClickHouse later). `load` resolves once the rows are
 * durable. It is idempotent per sequence, so a replay after a crash or a retry after an unclear failure
 * changes nothing: a sequence at or below `loadedSequence()` is skipped. DuckDB writes that checkpoint in the
 * same transaction as the rows; ClickHouse has no such transaction and will pass the sequence as the insert's
 * deduplication token (`insert_deduplication_token`) instead.
 */
export interface EventSink {
  readonly engine: EventEngine;
  /**
   * Whether a load is recognised as a repeat by its sequence alone (ClickHouse: the deduplication token)
   * rather than inside a transaction with the checkpoint (DuckDB). Such a sink must be given, after a crash or
   * an unclear failure, exactly the batch it may hold (same records, same last sequence) before any other:
   * the loader keeps the batch in flight beside its log (ingest/batch-in-flight.ts).
   */
  readonly exactReplay: boolean;
  migrate(): Promise<MigrationReport>;
  migrationStatus(): Promise<MigrationStatus[]>;
  load(batch: SinkLoad): Promise<void>;
  /**
   * Stores the rows with their rollups, once per token (DuckDB: the token committed in the same transaction as
   * the rows; ClickHouse: the insert's deduplication token). On the same write chain as loads.
   */
  importRows(batch: SinkImport): Promise<void>;
  /** The last ingest-log sequence whose rows are in this sink (0 when none). */
  loadedSequence(): Promise<number>;
  /**
   * Recomputes the rollups the aggregated sources read from every stored event (loads keep them up to date;
   * this is for events put in another way, such as a bulk import).
   */
  rebuildRollups(): Promise<void>;
  /**
   * Deletes every stored event of these visitors in that subscription, after every load queued before it (on
   * the same write chain, never interleaved with one). Idempotent: a repeat finds nothing more to delete.
   * Returns how many events it deleted.
   */
  deleteVisitors(deletion: VisitorDeletion): Promise<number>;
  /** The engine and its version, for `cairn doctor` ("DuckDB v1.4.1", "ClickHouse 26.7.2.1 over HTTP"). */
  engineVersion(): Promise<string>;
  /** Closes the engine, its EventQuery included. */
  close(): Promise<void>;
}
