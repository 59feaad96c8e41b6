import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import type { Piscina } from "piscina";
import { serverModulePath } from "../platform/package-files.js";
import {
  type BeaconContext,
  type PreparedBatch,
  type PrepareTask,
  prepareEach,
  skippedBeacon,
} from "./prepare-batch.js";

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

export interface PreparePoolOptions {
  /** Worker threads (default: cores − 1, 1 to 4); 0 prepares on the calling thread, with no time limit. */
  readonly threads?: number;
  /** How long one task may run on a worker before the worker is stopped (default 5,000 ms). */
  readonly timeoutMs?: number;
  /** Told about a beacon skipped because preparing it alone outlasted the limit. */
  readonly onTimeout?: (beacon: BeaconContext) => void;
  /** A subscription's visitors marked "do not process" (access/privacy/do-not-process-cache.ts): their events are dropped. */
  readonly doNotProcess?: (subscriptionId: string) => readonly string[] | undefined;
}

export const defaultPrepareTimeoutMs = 5_000;

/**
 * inflateSync's result is a view on a larger output buffer (16 KB or more); a message to the worker copies a
 * view's whole buffer, so only the bytes themselves are sent.
 */
function exactBytes(bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes && bytes.byteLength !== bytes.buffer.byteLength ? bytes.slice() : bytes;
}

type Workers = Piscina<PrepareTask, PreparedBatch[]>;

/**
 * Runs one task under the time limit, counted from the moment the worker starts on it (it says so on a
 * channel of its own), not from the queue. Past the limit the task is aborted, which makes Piscina stop
 * that worker thread (a synchronous loop cannot be interrupted otherwise); the next task gets a new one.
 * Resolves with null when that happened.
 */
async function runWithin(
  workers: Workers,
  task: Omit<PrepareTask, "started">,
  timeoutMs: number,
): Promise<PreparedBatch[] | null> {
  const { port1: started, port2: startedInWorker } = new MessageChannel();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  started.once("message", () => {
    timer = setTimeout(() => abort.abort(), timeoutMs);
  });
  try {
    return await workers.run(
      { ...task, started: startedInWorker },
      { transferList: [startedInWorker], signal: abort.signal },
    );
  } catch (error) {
    if (abort.signal.aborted) return null;
    throw error;
  } finally {
    clearTimeout(timer);
    started.close();
  }
}

/**
 * Beacons are acknowledged as soon as their raw payload is in the ingest log; turning them into rows is
 * most of their CPU, and runs here, on a worker thread, so the event loop stays free for requests.
 * A chunk that outlasts the time limit is prepared again one beacon per task, so only a beacon that alone
 * outlasts it is skipped (a `prepare_timeout` drop): the load goes on past it, and a replay of the log
 * after a restart costs the limit once more instead of hanging a worker for good.
 */
export function createPreparePool(options: PreparePoolOptions = {}): PreparePool {
  const threads = options.threads ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const timeoutMs = options.timeoutMs ?? defaultPrepareTimeoutMs;
  /** The marked visitors of the subscriptions among `contexts`, as they are now. */
  function markedOf(contexts: readonly BeaconContext[]): Record<string, readonly string[]> {
    const marked: Record<string, readonly string[]> = {};
    if (!options.doNotProcess) return marked;
    for (const { subscriptionId } of contexts) {
      if (subscriptionId in marked) continue;
      const visitors = options.doNotProcess(subscriptionId);
      if (visitors && visitors.length > 0) marked[subscriptionId] = visitors;
    }
    return marked;
  }
  if (threads === 0) {
    return {
      prepare: async (contexts, inflated) => prepareEach(contexts, inflated, markedOf(contexts)),
      close: async () => {},
    };
  }
  // Piscina (and with it the worker threads) loads with the first beacons: an idle server never pays for it.
  let pool: Promise<Workers> | undefined;
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

  async function prepareOne(context: BeaconContext, inflated: Uint8Array | undefined) {
    const batches = await runWithin(
      await started(),
      { contexts: [context], inflated: [inflated], doNotProcess: markedOf([context]) },
      timeoutMs,
    );
    if (batches?.[0]) return batches[0];
    options.onTimeout?.(context);
    return skippedBeacon("prepare_timeout");
  }

  return {
    async prepare(contexts, inflated = []) {
      const exact = inflated.map(exactBytes);
      const batches =
        contexts.length === 1
          ? null
          : await runWithin(
              await started(),
              { contexts, inflated: exact, doNotProcess: markedOf(contexts) },
              timeoutMs,
            );
      return batches ?? Promise.all(contexts.map((context, index) => prepareOne(context, exact[index])));
    },
    close: async () => {
      if (pool) await (await pool).destroy();
    },
  };
}
