import { availableParallelism } from "node:os";
import type { Piscina } from "piscina";
import { serverModulePath } from "../platform/package-files.js";
import { type BeaconContext, type PreparedBatch, prepareEach } from "./prepare-batch.js";

export interface PreparePool {
  /** Decodes, validates and serialises logged beacons, one result per beacon, in order. */
  prepare(contexts: readonly BeaconContext[]): Promise<PreparedBatch[]>;
  close(): Promise<void>;
}

/**
 * Beacons are acknowledged as soon as their raw payload is in the ingest log; turning them into rows is
 * most of their CPU, and runs here, on a worker thread, so the event loop stays free for requests.
 * `threads: 0` prepares on the calling thread.
 */
export function createPreparePool(options: { threads?: number } = {}): PreparePool {
  const threads = options.threads ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  if (threads === 0) {
    return { prepare: async (contexts) => prepareEach(contexts), close: async () => {} };
  }
  // Piscina (and with it the worker threads) loads with the first beacons: an idle server never pays for it.
  let pool: Promise<Piscina<readonly BeaconContext[], PreparedBatch[]>> | undefined;
  const started = () =>
    (pool ??= import("piscina").then(
      ({ Piscina }) =>
        new Piscina<readonly BeaconContext[], PreparedBatch[]>({
          filename: serverModulePath("ingest/prepare-worker"),
          // Threads stop after a minute without beacons: an idle server keeps no second V8 isolate (about
          // 10 MB of its idle memory), and a busy one keeps its threads.
          minThreads: 0,
          maxThreads: threads,
          idleTimeout: 60_000,
        }),
    ));
  return {
    prepare: async (contexts) => (await started()).run(contexts),
    close: async () => {
      if (pool) await (await pool).destroy();
    },
  };
}
