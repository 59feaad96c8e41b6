import { availableParallelism } from "node:os";
import type { Piscina } from "piscina";
import { serverModulePath } from "../platform/package-files.js";
import { type BeaconContext, type PreparedBatch, type PrepareTask, prepareEach } from "./prepare-batch.js";

export interface PreparePool {
  /**
   * Decodes, validates and serialises logged beacons, one result per beacon, in order. `inflated[i]`, when
   * given, is `contexts[i].jzb` already inflated.
   */
  prepare(
    contexts: readonly BeaconContext[],
    inflated?: readonly (Uint8Array | undefined)[],
  ): Promise<PreparedBatch[]>;
  close(): Promise<void>;
}

/**
 * inflateSync's result is a view on a larger output buffer (16 KB or more); a message to the worker copies a
 * view's whole buffer, so only the bytes themselves are sent.
 */
function exactBytes(bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes && bytes.byteLength !== bytes.buffer.byteLength ? bytes.slice() : bytes;
}

/**
 * Beacons are acknowledged as soon as their raw payload is in the ingest log; turning them into rows is
 * most of their CPU, and runs here, on a worker thread, so the event loop stays free for requests.
 * `threads: 0` prepares on the calling thread.
 */
export function createPreparePool(options: { threads?: number } = {}): PreparePool {
  const threads = options.threads ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  if (threads === 0) {
    return { prepare: async (contexts, inflated) => prepareEach(contexts, inflated), close: async () => {} };
  }
  // Piscina (and with it the worker threads) loads with the first beacons: an idle server never pays for it.
  let pool: Promise<Piscina<PrepareTask, PreparedBatch[]>> | undefined;
  const started = () =>
    (pool ??= import("piscina").then(
      ({ Piscina }) =>
        new Piscina<PrepareTask, PreparedBatch[]>({
          filename: serverModulePath("ingest/prepare-worker"),
          // Threads stop after a minute without beacons: an idle server keeps no second V8 isolate (about
          // 10 MB of its idle memory), and a busy one keeps its threads.
          minThreads: 0,
          maxThreads: threads,
          idleTimeout: 60_000,
        }),
    ));
  return {
    prepare: async (contexts, inflated = []) =>
      (await started()).run({ contexts, inflated: inflated.map(exactBytes) }),
    close: async () => {
      if (pool) await (await pool).destroy();
    },
  };
}
