import { appendFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { rowsBytes } from "../store/events/event-rows.js";
import { type EventSink, LoadRefusedError } from "../store/events/event-sink.js";
import type { ProfileStore } from "../store/profiles/profile-store.js";
import type { DropReason } from "./agent-event.js";
import { batchInFlight } from "./batch-in-flight.js";
import type { IngestLog } from "./ingest-log.js";
import type { LoadWaiters } from "./load-waiters.js";
import { type LoggedRecord, recordText } from "./log-records.js";
import type { PreparePipeline } from "./prepare-pipeline.js";
import { mergeProfilePatches } from "./profile-patches.js";

export interface LoadStores {
  readonly sink: EventSink;
  readonly profiles: ProfileStore;
}

export interface LoadLoopOptions {
  readonly maxLoadBatch: number;
  readonly loadIntervalMs: number;
  readonly onLoadError?: (error: unknown, attempt: number) => void;
  readonly onRejected?: (file: string, events: number) => void;
  readonly onDrops?: (drops: Partial<Record<DropReason, number>>) => void;
}

export interface LoadLoop {
  /** A record now durable in the log, in log order. */
  enqueue(record: LoggedRecord): void;
  /** Resolves once nothing is left to load (or loads were stopped); loads do not pace meanwhile. */
  loadEverything(): Promise<void>;
  /** Runs `work` with loads unpaced, for a caller that waits for a load. */
  unpaced<T>(work: () => Promise<T>): Promise<T>;
  /** Events logged and not loaded yet. */
  pending(): number;
  /** No load starts after the one running. */
  stop(): void;
}

/**
 * Moves logged records into both stores in large batches: `sink.load` the rows, then `profiles.apply` the
 * patches, each under the batch's last sequence. Each store is handed only the records past its own
 * checkpoint, so a replay or a retry never loads anything twice; the log is trimmed up to the lower of the
 * two. A record a store refuses alone, again and again, is set aside (kept in a file, never silently lost).
 */
export function createLoadLoop(
  stores: LoadStores,
  log: IngestLog,
  context: {
    readonly logDir: string;
    readonly pipeline: PreparePipeline;
    readonly waiters: LoadWaiters;
    readonly loaded: { sink: number; profiles: number };
    readonly options: LoadLoopOptions;
  },
): LoadLoop {
  const { logDir, pipeline, waiters, loaded, options } = context;
  const inFlight = stores.sink.exactReplay ? batchInFlight(logDir) : null;
  const toLoad: LoggedRecord[] = [];
  let toLoadCount = 0;
  let loading: Promise<void> | null = null;
  let stopLoading = false;
  let waitingForLoads = 0;
  let lastLoadAt = 0;
  /** Cuts the wait between loads short (a full batch); while a flush or close waits, loads do not pace. */
  const wake: { now: (() => void) | null } = { now: null };
  const hurry = () => wake.now?.();

  async function paced(): Promise<void> {
    const wait = lastLoadAt + options.loadIntervalMs - Date.now();
    if (wait <= 0 || toLoadCount >= options.maxLoadBatch || waitingForLoads > 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      wake.now = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake.now = null;
  }

  async function loadSink(rows: readonly Uint8Array[], sequence: number): Promise<void> {
    if (sequence <= loaded.sink) return;
    await stores.sink.load({ rows, sequence });
    loaded.sink = sequence;
  }

  async function applyProfiles(
    patches: Parameters<typeof mergeProfilePatches>[0],
    sequence: number,
  ): Promise<void> {
    if (sequence <= loaded.profiles) return;
    await stores.profiles.apply({ patches: mergeProfilePatches(patches), sequence });
    loaded.profiles = sequence;
  }

  async function load(records: readonly LoggedRecord[], sequence: number): Promise<void> {
    let parts: Awaited<ReturnType<PreparePipeline["preparedOf"]>>[];
    try {
      parts = await Promise.all(records.map((record) => pipeline.preparedOf(record, toLoad)));
    } catch (error) {
      pipeline.forget(records);
      throw error;
    }
    pipeline.prepareWaiting(toLoad);
    const past = (after: number) => parts.filter((_, i) => (records[i]?.sequence ?? 0) > after);
    await loadSink(
      past(loaded.sink).map((p) => (typeof p.rows === "string" ? rowsBytes(p.rows) : p.rows)),
      sequence,
    );
    await applyProfiles(
      past(loaded.profiles).map((p) => p.profiles),
      sequence,
    );
    for (const part of parts) {
      if ("drops" in part && Object.keys(part.drops).length > 0) options.onDrops?.(part.drops);
    }
  }

  async function setAside(record: LoggedRecord): Promise<void> {
    const file = path.join(logDir, "rejected.jsonl");
    const line = `{"sequence":${record.sequence},${recordText(record).slice(1)}\n`;
    await appendFile(file, line, { flush: true });
    await loadSink([], record.sequence);
    await applyProfiles([], record.sequence);
    options.onRejected?.(file, record.count);
    waiters.refuse(
      record.sequence,
      new Error(`the event store refused log record ${record.sequence}; it was set aside`),
    );
  }

  async function loadLoop(): Promise<void> {
    let failures = 0;
    while (toLoad.length > 0 && !stopLoading) {
      if (failures === 0) await paced();
      lastLoadAt = Date.now();
      let take = 0;
      let count = 0;
      const replaying = inFlight?.current() ?? null;
      if (replaying !== null && replaying > loaded.sink) {
        // The batch the sink may already hold: exactly it again, whatever the limits.
        while (take < toLoad.length && (toLoad[take]?.sequence ?? 0) <= replaying)
          count += toLoad[take++]?.count ?? 0;
      } else {
        // After a failure, records go one at a time, so one bad record cannot hold back the rest.
        const limit = failures > 0 ? 1 : toLoad.length;
        while (take < limit && (take === 0 || count + (toLoad[take]?.count ?? 0) <= options.maxLoadBatch)) {
          count += toLoad[take]?.count ?? 0;
          take++;
        }
      }
      const records = toLoad.slice(0, take);
      const last = records[records.length - 1];
      if (!last) break;
      try {
        if (failures >= 4 && take === 1 && replaying === null) await setAside(last);
        else {
          await inFlight?.begin(last.sequence);
          await load(records, last.sequence);
        }
        toLoad.splice(0, take);
        toLoadCount -= count;
        failures = 0;
        waiters.settle(last.sequence);
        await log.trim(Math.min(loaded.sink, loaded.profiles));
      } catch (error) {
        if (error instanceof LoadRefusedError) inFlight?.clear();
        failures++;
        options.onLoadError?.(error, failures);
        await sleep(Math.min(50 * 2 ** failures, 5_000));
      }
    }
    loading = null;
  }

  async function unpaced<T>(work: () => Promise<T>): Promise<T> {
    waitingForLoads++;
    try {
      return await work();
    } finally {
      waitingForLoads--;
    }
  }

  return {
    enqueue(record) {
      toLoad.push(record);
      toLoadCount += record.count;
      loading ??= loadLoop();
      if (toLoadCount >= options.maxLoadBatch || waitingForLoads > 0) hurry();
    },
    loadEverything: () =>
      unpaced(async () => {
        while (loading) {
          hurry();
          await loading;
        }
      }),
    unpaced,
    pending: () => toLoadCount,
    stop() {
      stopLoading = true;
    },
  };
}
