import type { LoggedRecord, PreparedEvents } from "./log-records.js";
import type { BeaconContext, PreparedBatch } from "./prepare-batch.js";
import type { PreparePool } from "./prepare-pool.js";

// 250 beacons (about 2,000 events) per message to the pool. At 2,000 beacons the server spent about 15% more
// CPU per beacon under collector load (bench/RESULTS.md), likely because a chunk's results then live long
// enough to be promoted out of V8's young generation, on the worker and again on the event loop.
const prepareChunk = 250;

export interface PreparePipeline {
  /** Starts preparing every logged beacon among `waiting` that is not being prepared yet. */
  prepareWaiting(waiting: readonly LoggedRecord[]): void;
  /** The record's rows and patches, once prepared (at once for records logged prepared). */
  preparedOf(record: LoggedRecord, waiting: readonly LoggedRecord[]): Promise<PreparedEvents | PreparedBatch>;
  /** Drops what was started for these records, so a retry prepares them again. */
  forget(records: readonly LoggedRecord[]): void;
}

/**
 * Logged beacons are prepared on the pool in chunks: everything waiting that is not being prepared yet goes
 * out at once. The loader starts the next chunks before it commits its own, so preparing overlaps with the
 * stores' commits.
 */
export function createPreparePipeline(pool: PreparePool): PreparePipeline {
  const preparing = new WeakMap<LoggedRecord, Promise<PreparedBatch>>();

  function prepareWaiting(records: readonly LoggedRecord[]): void {
    const waiting: Array<{ record: LoggedRecord; beacon: BeaconContext; inflated: Uint8Array | undefined }> =
      [];
    for (const record of records) {
      if ("beacon" in record && !preparing.has(record))
        waiting.push({ record, beacon: record.beacon, inflated: record.inflated });
    }
    // Several chunks rather than one huge one: a long replay stays pipelined and its memory bounded.
    for (let start = 0; start < waiting.length; start += prepareChunk) {
      const slice = waiting.slice(start, start + prepareChunk);
      const chunk = pool.prepare(
        slice.map((w) => w.beacon),
        slice.map((w) => w.inflated),
      );
      chunk.catch(() => {}); // awaited by the load; a failure there is retried
      slice.forEach(({ record }, index) => {
        const one = chunk.then((all) => all[index] as PreparedBatch);
        one.catch(() => {});
        preparing.set(record, one);
      });
    }
  }

  return {
    prepareWaiting,
    preparedOf(record, waiting) {
      if ("prepared" in record) return Promise.resolve(record.prepared);
      if (!preparing.has(record)) prepareWaiting(waiting);
      return preparing.get(record) ?? Promise.reject(new Error("beacon was not queued for preparing"));
    },
    forget(records) {
      for (const record of records) preparing.delete(record);
    },
  };
}
