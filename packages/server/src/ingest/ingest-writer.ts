import type { AcknowledgeMode } from "../platform/config/config-schema.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { eventRowsNdjson } from "../store/events/event-rows.js";
import type { StoredEvent } from "../store/events/stored-event.js";
import type { CustomMetadataPatch, VisitorAlias } from "../store/profiles/profile-records.js";
import type { DropReason } from "./agent-event.js";
import { openIngestLog } from "./ingest-log.js";
import { createLoadLoop, type LoadStores } from "./load-loop.js";
import { createLoadWaiters } from "./load-waiters.js";
import { decodeRecord, type NewRecord, recordText } from "./log-records.js";
import type { BeaconContext } from "./prepare-batch.js";
import { createPreparePipeline } from "./prepare-pipeline.js";
import { createPreparePool, type PreparePool } from "./prepare-pool.js";
import { profilePatches } from "./profile-patches.js";

export interface IngestWriterOptions {
  /**
   * When `write` and `writeBeacon` resolve: `logged` (default) once the record is durable in the log; `stored`
   * once it is loaded into both stores (loads then run back to back while anyone waits).
   */
  readonly acknowledge?: AcknowledgeMode;
  /** Events moved into the event sink by one load, at most. */
  readonly maxLoadBatch?: number;
  /**
   * Loads start at most this often unless a full batch waits or a flush asks: fewer, larger DuckDB commits
   * cost less per event, and leave the CPU to the requests.
   */
  readonly loadIntervalMs?: number;
  /**
   * Past this many events acknowledged (or being logged) but not yet loaded, new writes are refused at once
   * (the caller answers 503 with Retry-After) instead of queueing without bound.
   */
  readonly maxPending?: number;
  readonly segmentBytes?: number;
  /** Told about a failed load (it is retried; the records stay in the log). */
  readonly onLoadError?: (error: unknown, attempt: number) => void;
  /** Told about a record a store refused on its own, several times; it goes to the rejected file. */
  readonly onRejected?: (file: string, events: number) => void;
  /** Events of logged beacons that failed validation when prepared for loading, by reason. */
  readonly onDrops?: (drops: Partial<Record<DropReason, number>>) => void;
  /** Where logged beacons are prepared (default: on this thread). The writer does not close it. */
  readonly prepare?: PreparePool;
}

export interface IngestWriter {
  /** Resolves once these events (and aliases) are durable in the acknowledgement log. */
  write(events: readonly StoredEvent[], aliases?: readonly VisitorAlias[]): Promise<void>;
  /**
   * A beacon, as received: logged raw (its jzb and context) and acknowledged; validation, enrichment and
   * serialisation happen when it is loaded, off the request. `count` is how many events its jzb holds;
   * `inflated`, the jzb already inflated by the caller, spares the loader a second inflate (it is kept in
   * memory only: the log holds the jzb, which a replay inflates).
   */
  writeBeacon(beacon: BeaconContext, count: number, inflated?: Uint8Array): Promise<void>;
  /**
   * Custom metadata set through the v1 API. Resolves once the change is durable in the log *and* loaded
   * into the profile store, so a read right after sees it; rejects if a store refuses it (it is then set
   * aside with the rejected records, as events are).
   */
  writeCustomMetadata(patches: readonly CustomMetadataPatch[]): Promise<void>;
  /** Resolves once everything acknowledged so far is in the stores (readable). */
  flush(): Promise<void>;
  /**
   * Resolves `true` once everything acknowledged before the call is in the stores (readable), or `false` after
   * `timeoutMs`, whichever comes first. Unlike `flush` it neither waits for writes still being logged nor hurries
   * the paced loads (they go on batching): cheap enough for a read that is polled.
   */
  loadedWithin(timeoutMs: number): Promise<boolean>;
  /** Events accepted but not yet loaded. */
  pending(): number;
  /** Events found in the log at start that had not reached both stores, and were loaded then. */
  readonly replayed: number;
  /** Finishes logging, tries to load what is left (it stays in the log for the next start if that fails). */
  close(options?: { loadTimeoutMs?: number }): Promise<void>;
}

/**
 * Ingest's write path. A request's events go to the acknowledgement log (group fsync) and the request is
 * answered; the load loop behind it moves everything logged into the event sink and the profile store, each
 * of which keeps its own checkpoint of the log, so a crash between the two neither loses nor doubles
 * anything. At start, every record past the lower checkpoint is loaded before anything else happens.
 */
export async function openIngestWriter(
  stores: LoadStores,
  logDir: string,
  options: IngestWriterOptions = {},
): Promise<IngestWriter> {
  const maxLoadBatch = options.maxLoadBatch ?? 20_000;
  const maxPending = options.maxPending ?? 250_000;
  const loaded = {
    sink: await stores.sink.loadedSequence(),
    profiles: await stores.profiles.loadedSequence(),
  };
  const { log, unloaded } = await openIngestLog(logDir, Math.min(loaded.sink, loaded.profiles), {
    segmentBytes: options.segmentBytes,
  });
  const waiters = createLoadWaiters();
  const loader = createLoadLoop(stores, log, {
    logDir,
    pipeline: createPreparePipeline(options.prepare ?? createPreparePool({ threads: 0 })),
    waiters,
    loaded,
    options: { ...options, maxLoadBatch, loadIntervalMs: options.loadIntervalMs ?? 250 },
  });
  let loggingCount = 0;
  /** The last sequence acknowledged: what a read that wants every acknowledged event waits for. */
  let lastLogged = 0;
  const logging = new Set<Promise<unknown>>();

  /** Resolves with the record's log sequence once it is durable in the log. */
  function writeRecord(record: NewRecord): Promise<number> {
    const { count } = record;
    if (loggingCount + loader.pending() + count > maxPending) {
      return Promise.reject(
        new CairnError("overloaded", {
          message: "The server is writing a backlog of events and takes no more for a moment.",
          headers: { "retry-after": "1" },
        }),
      );
    }
    loggingCount += count;
    const logged = log.append(Buffer.from(recordText(record))).then(
      (sequence) => {
        loggingCount -= count;
        lastLogged = Math.max(lastLogged, sequence);
        // Appends resolve in sequence order, so the load queue stays in log order.
        loader.enqueue({ ...record, sequence });
        return sequence;
      },
      (error: unknown) => {
        loggingCount -= count;
        throw error;
      },
    );
    logging.add(logged);
    void logged.then(
      () => logging.delete(logged),
      () => logging.delete(logged),
    );
    return logged;
  }

  /** Resolves when the record may be acknowledged, as `options.acknowledge` says. */
  async function acknowledged(record: NewRecord): Promise<void> {
    if (options.acknowledge !== "stored") {
      await writeRecord(record);
      return;
    }
    await loader.unpaced(async () => waiters.wait(await writeRecord(record)));
  }

  for (const record of unloaded) loader.enqueue(decodeRecord(record));
  const replayed = loader.pending();
  await loader.loadEverything();

  return {
    replayed,
    write(events, aliases = []) {
      if (events.length === 0 && aliases.length === 0) return Promise.resolve();
      const profiles = profilePatches(events, aliases);
      return acknowledged({
        count: events.length,
        prepared: { rows: eventRowsNdjson(events), count: events.length, profiles },
      });
    },
    writeBeacon: (beacon, count, inflated) =>
      acknowledged(inflated ? { count, beacon, inflated } : { count, beacon }),
    async writeCustomMetadata(patches) {
      if (patches.length === 0) return;
      const profiles = { visitors: [], accounts: [], aliases: [], customMetadata: patches };
      // The caller waits for the load, so loads do not pace while it does.
      await loader.unpaced(async () => {
        const sequence = await writeRecord({ count: 0, prepared: { rows: "", count: 0, profiles } });
        await waiters.wait(sequence);
      });
    },
    async flush() {
      await Promise.allSettled([...logging]);
      await loader.loadEverything();
    },
    async loadedWithin(timeoutMs) {
      // A record set aside (or a writer stopping) rejects its waiters: nothing more will load for it either way.
      const loaded = waiters.wait(lastLogged).then(
        () => true,
        () => true,
      );
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(resolve, timeoutMs, false);
      });
      try {
        return await Promise.race([loaded, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    pending: () => loggingCount + loader.pending(),
    async close(closeOptions = {}) {
      await Promise.allSettled([...logging]);
      // What cannot be loaded in time stays in the log and is loaded at the next start.
      const timer = setTimeout(() => loader.stop(), closeOptions.loadTimeoutMs ?? 10_000);
      await loader.loadEverything();
      clearTimeout(timer);
      loader.stop();
      // Durable in the log, loaded at the next start; the caller is told the server stopped first.
      waiters.stopAll();
      await log.close();
    },
  };
}
