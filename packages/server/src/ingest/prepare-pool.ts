import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
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
  // Under tsx (tests, benchmarks) the sources are .ts; built, they are .js beside this file.
  const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const pool = new Piscina<readonly BeaconContext[], PreparedBatch[]>({
    filename: fileURLToPath(new URL(`./prepare-worker.${extension}`, import.meta.url)),
    // Threads start with the first beacons and stop after a minute without any: an idle server keeps no
    // second V8 isolate (about 10 MB of its idle memory), and a busy one keeps its threads.
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
  return {
    prepare: (contexts) => pool.run(contexts),
    close: () => pool.destroy(),
  };
}
