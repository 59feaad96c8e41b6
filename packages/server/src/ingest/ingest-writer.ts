import { appendFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CairnError } from "../platform/errors/cairn-error.js";
import {
  concatRows,
  eventRowsNdjson,
  rowsAsJsonArray,
  rowsFromParsedArray,
} from "../store/events/event-rows.js";
import type { EventStore } from "../store/events/event-store.js";
import type {
  CustomMetadataPatch,
  ProfilePatches,
  StoredEvent,
  VisitorAlias,
} from "../store/events/stored-event.js";
import type { DropReason } from "./agent-event.js";
import { type LogRecord, openIngestLog } from "./ingest-log.js";
import type { BeaconContext, PreparedBatch } from "./prepare-batch.js";
import { createPreparePool, type PreparePool } from "./prepare-pool.js";
import { mergeProfilePatches, profilePatches } from "./profile-patches.js";

export interface IngestWriterOptions {
  /** Events moved into the event store by one append, at most. */
  readonly maxLoadBatch?: number;
  /**
   * Loads start at most this often unless a full batch waits or a flush asks: fewer, larger DuckDB commits
   * cost less per event, and leave the CPU to the requests.
   */
  readonly loadIntervalMs?: number;
  /**
   * Past this many events acknowledged (or being logged) but not yet in the event store, new writes are
   * refused at once (the caller answers 503 with Retry-After) instead of queueing without bound.
   */
  readonly maxPending?: number;
  readonly segmentBytes?: number;
  /** Told about a failed load into the event store (it is retried; the events stay in the log). */
  readonly onLoadError?: (error: unknown, attempt: number) => void;
  /** Told about a record the event store refused on its own, several times; it goes to the rejected file. */
  readonly onRejected?: (file: string, events: number) => void;
  /** Events of logged beacons that failed validation when prepared for loading, by reason. */
  readonly onDrops?: (drops: Partial<Record<DropReason, number>>) => void;
  /** Where logged beacons are prepared (default: on this thread). The writer does not close it. */
  readonly prepare?: PreparePool;
}

/** Events ready for the log: newline-delimited event rows, how many, and the visitor/account changes they make. */
export interface PreparedEvents {
  readonly rows: string;
  readonly count: number;
  readonly profiles: ProfilePatches;
}

export interface IngestWriter {
  /** Resolves once these events (and aliases) are durable in the acknowledgement log. */
  write(events: readonly StoredEvent[], aliases?: readonly VisitorAlias[]): Promise<void>;
  /**
   * A beacon, as received: logged raw (its jzb and context) and acknowledged; validation, enrichment and
   * serialisation happen when it is loaded, off the request. `count` is how many events its jzb holds.
   */
  writeBeacon(beacon: BeaconContext, count: number): Promise<void>;
  /**
   * Custom metadata set through the v1 API. Resolves once the change is durable in the log *and* loaded
   * into the event store, so a read right after sees it; rejects if the store refuses it (it is then set
   * aside with the rejected records, as events are).
   */
  writeCustomMetadata(patches: readonly CustomMetadataPatch[]): Promise<void>;
  /** Resolves once everything acknowledged so far is in the event store (readable). */
  flush(): Promise<void>;
  /** Events accepted but not yet in the event store. */
  pending(): number;
  /** Events found in the log at start that had not reached the event store, and were loaded then. */
  readonly replayed: number;
  /** Finishes logging, tries to load what is left (it stays in the log for the next start if that fails). */
  close(options?: { loadTimeoutMs?: number }): Promise<void>;
}

/** A record to log: a raw beacon, or events prepared by the caller. */
type NewRecord =
  | { readonly count: number; readonly beacon: BeaconContext }
  | { readonly count: number; readonly prepared: PreparedEvents };
type Pending = NewRecord & { readonly sequence: number };

/**
 * Log records are `{"b":<beacon context>,"n":<events>}` or `{"p":<profile patches>,"e":<event rows>}`; the
 * v1 API's custom metadata is the latter with `p.customMetadata` and no rows (`"e":[]`).
 */
function recordText(pending: NewRecord): string {
  return "beacon" in pending
    ? `{"b":${JSON.stringify(pending.beacon)},"n":${pending.count}}`
    : `{"p":${JSON.stringify(pending.prepared.profiles)},"e":${rowsAsJsonArray(pending.prepared.rows)}}`;
}

function decode(record: LogRecord): Pending {
  const payload = JSON.parse(record.payload.toString("utf8")) as
    | { b: BeaconContext; n: number }
    | { p: ProfilePatches; e: unknown[] };
  if ("b" in payload) return { sequence: record.sequence, count: payload.n, beacon: payload.b };
  const prepared = { rows: rowsFromParsedArray(payload.e), count: payload.e.length, profiles: payload.p };
  return { sequence: record.sequence, count: prepared.count, prepared };
}

/**
 * Ingest's write path. A request's events go to the acknowledgement log (group fsync) and the request is
 * answered; a loader behind it moves everything logged into the event store in large appends, each of which
 * records how far the log is loaded in the same transaction, so a crash between the two neither loses nor
 * doubles anything. At start, what the log holds past that point is loaded before anything else happens.
 */
export async function openIngestWriter(
  store: EventStore,
  logDir: string,
  options: IngestWriterOptions = {},
): Promise<IngestWriter> {
  const maxLoadBatch = options.maxLoadBatch ?? 20_000;
  const loadIntervalMs = options.loadIntervalMs ?? 250;
  const maxPending = options.maxPending ?? 250_000;
  const pool = options.prepare ?? createPreparePool({ threads: 0 });
  const { log, unloaded } = await openIngestLog(logDir, await store.loadedLogSequence(), {
    segmentBytes: options.segmentBytes,
  });

  const toLoad: Pending[] = unloaded.map(decode);
  let toLoadCount = toLoad.reduce((sum, p) => sum + p.count, 0);
  let loggingCount = 0;
  const logging = new Set<Promise<unknown>>();
  let loading: Promise<void> | null = null;
  let stopLoading = false;
  /** Log sequences a caller waits to see loaded (read-your-writes), and how to tell it. */
  const loadWaiters = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let loadedThrough = 0;

  function settleLoaded(through: number): void {
    loadedThrough = through;
    for (const [sequence, waiter] of loadWaiters) {
      if (sequence > through) continue;
      loadWaiters.delete(sequence);
      waiter.resolve();
    }
  }

  /** A record the store refused alone, again and again, is set aside (kept, never silently lost). */
  async function reject(record: Pending): Promise<void> {
    const file = path.join(logDir, "rejected.jsonl");
    const line = `{"sequence":${record.sequence},${recordText(record).slice(1)}\n`;
    await appendFile(file, line, { flush: true });
    await store.append([], { logSequence: record.sequence });
    options.onRejected?.(file, record.count);
    const waiter = loadWaiters.get(record.sequence);
    loadWaiters.delete(record.sequence);
    waiter?.reject(new Error(`the event store refused log record ${record.sequence}; it was set aside`));
  }

  /** Cuts the wait between loads short (a full batch); while a flush or close waits, loads do not pace. */
  const wake: { now: (() => void) | null } = { now: null };
  const hurry = () => wake.now?.();
  let waitingForLoads = 0;

  async function loadEverything(): Promise<void> {
    waitingForLoads++;
    try {
      while (loading) {
        hurry();
        await loading;
      }
    } finally {
      waitingForLoads--;
    }
  }
  let lastLoadAt = 0;

  async function paced(): Promise<void> {
    const wait = lastLoadAt + loadIntervalMs - Date.now();
    if (wait <= 0 || toLoadCount >= maxLoadBatch || waitingForLoads > 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      wake.now = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake.now = null;
  }

  /**
   * Logged beacons are prepared on the pool in chunks: everything waiting that is not being prepared yet
   * goes in one chunk. A load starts the next chunk before it commits its own, so preparing overlaps with
   * the event store's commit.
   */
  const preparing = new WeakMap<Pending, Promise<PreparedBatch>>();
  // 250 beacons (about 2,000 events) per message to the pool. At 2,000 beacons the server spent about 15% more
  // CPU per beacon under collector load (bench/RESULTS.md), likely because a chunk's results then live long
  // enough to be promoted out of V8's young generation, on the worker and again on the event loop.
  const prepareChunk = 250;
  function prepareWaiting(): void {
    const waiting: Array<{ record: Pending; beacon: BeaconContext }> = [];
    for (const record of toLoad) {
      if ("beacon" in record && !preparing.has(record)) waiting.push({ record, beacon: record.beacon });
    }
    // Several chunks rather than one huge one: a long replay stays pipelined and its memory bounded.
    for (let start = 0; start < waiting.length; start += prepareChunk) {
      const slice = waiting.slice(start, start + prepareChunk);
      const chunk = pool.prepare(slice.map((w) => w.beacon));
      chunk.catch(() => {}); // awaited by the load; a failure there is retried
      slice.forEach(({ record }, index) => {
        const one = chunk.then((all) => all[index] as PreparedBatch);
        one.catch(() => {});
        preparing.set(record, one);
      });
    }
  }
  function preparedOf(record: Pending): Promise<PreparedEvents | PreparedBatch> {
    if ("prepared" in record) return Promise.resolve(record.prepared);
    if (!preparing.has(record)) prepareWaiting();
    return preparing.get(record) ?? Promise.reject(new Error("beacon was not queued for preparing"));
  }

  /** One append: the records' prepared rows and profile patches, with the log position they reach. */
  async function load(records: readonly Pending[], logSequence: number): Promise<void> {
    let parts: Array<PreparedEvents | PreparedBatch>;
    try {
      parts = await Promise.all(records.map(preparedOf));
    } catch (error) {
      for (const record of records) preparing.delete(record);
      throw error;
    }
    prepareWaiting();
    await store.append([], {
      rowsNdjson: concatRows(parts.map((p) => p.rows)),
      profiles: mergeProfilePatches(parts.map((p) => p.profiles)),
      logSequence,
    });
    for (const part of parts) {
      if ("drops" in part && Object.keys(part.drops).length > 0) options.onDrops?.(part.drops);
    }
  }

  async function loadLoop(): Promise<void> {
    let failures = 0;
    while (toLoad.length > 0 && !stopLoading) {
      if (failures === 0) await paced();
      lastLoadAt = Date.now();
      // After a failure, records go one at a time, so one bad record cannot hold back the rest.
      let take = 0;
      let count = 0;
      const limit = failures > 0 ? 1 : toLoad.length;
      while (take < limit && (take === 0 || count + (toLoad[take]?.count ?? 0) <= maxLoadBatch)) {
        count += toLoad[take]?.count ?? 0;
        take++;
      }
      const records = toLoad.slice(0, take);
      const last = records[records.length - 1];
      if (!last) break;
      try {
        if (failures >= 4 && take === 1) await reject(last);
        else await load(records, last.sequence);
        toLoad.splice(0, take);
        toLoadCount -= count;
        failures = 0;
        settleLoaded(last.sequence);
        await log.trim(last.sequence);
      } catch (error) {
        failures++;
        options.onLoadError?.(error, failures);
        await sleep(Math.min(50 * 2 ** failures, 5_000));
      }
    }
    loading = null;
  }

  function scheduleLoad(): void {
    loading ??= loadLoop();
  }

  /** Resolves with the record's log sequence once it is durable in the log. */
  function writeRecord(record: NewRecord): Promise<number> {
    const { count } = record;
    if (loggingCount + toLoadCount + count > maxPending) {
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
        // Appends resolve in sequence order, so the load queue stays in log order.
        toLoad.push({ ...record, sequence });
        toLoadCount += count;
        scheduleLoad();
        if (toLoadCount >= maxLoadBatch) hurry();
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

  const replayed = toLoadCount;
  if (toLoad.length > 0) {
    scheduleLoad();
    await loadEverything();
  }

  return {
    replayed,
    write(events, aliases = []) {
      if (events.length === 0 && aliases.length === 0) return Promise.resolve();
      const profiles = profilePatches(events, aliases);
      return writeRecord({
        count: events.length,
        prepared: { rows: eventRowsNdjson(events), count: events.length, profiles },
      }).then(() => {});
    },
    writeBeacon: (beacon, count) => writeRecord({ count, beacon }).then(() => {}),
    async writeCustomMetadata(patches) {
      if (patches.length === 0) return;
      const profiles = { visitors: [], accounts: [], aliases: [], customMetadata: patches };
      // The caller waits for the load, so loads do not pace while it does.
      waitingForLoads++;
      try {
        const sequence = await writeRecord({ count: 0, prepared: { rows: "", count: 0, profiles } });
        if (sequence <= loadedThrough) return;
        await new Promise<void>((resolve, reject) => {
          loadWaiters.set(sequence, { resolve, reject });
          hurry();
        });
      } finally {
        waitingForLoads--;
      }
    },
    async flush() {
      await Promise.allSettled([...logging]);
      await loadEverything();
    },
    pending: () => loggingCount + toLoadCount,
    async close(closeOptions = {}) {
      await Promise.allSettled([...logging]);
      // What cannot be loaded in time stays in the log and is loaded at the next start.
      const timer = setTimeout(() => {
        stopLoading = true;
      }, closeOptions.loadTimeoutMs ?? 10_000);
      await loadEverything();
      clearTimeout(timer);
      stopLoading = true;
      // Durable in the log, loaded at the next start; the caller is told the server stopped first.
      for (const waiter of loadWaiters.values()) waiter.reject(new CairnError("shutting_down"));
      loadWaiters.clear();
      await log.close();
    },
  };
}
