import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
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
  // Under tsx (tests, benchmarks) the sources are .ts; built, they are .js beside this file.
  const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const pool = new Piscina<PrepareTask, PreparedBatch[]>({
    filename: fileURLToPath(new URL(`./prepare-worker.${extension}`, import.meta.url)),
    minThreads: threads,
    maxThreads: threads,
  });
  return {
    prepare: (contexts, inflated = []) => pool.run({ contexts, inflated: inflated.map(exactBytes) }),
    close: () => pool.destroy(),
  };
}
