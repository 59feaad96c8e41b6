import { maxGetLength } from "./batch-packing.js";

/** Sends one request; resolves true on a 2xx answer, false on any other answer or a network error. */
export type Transport = (url: string, body: string | null) => Promise<boolean>;

export interface SendQueueDeps {
  /** `<dataHost>/data/<beacon>/<apiKey>`, read at each attempt so a changed host applies to retries too. */
  readonly endpoint: () => string;
  readonly version: () => string;
  /** Appended after the payload parameters, e.g. `&type=track`; read at each attempt. */
  readonly extraParams: () => string;
  readonly transport: Transport;
  readonly now: () => number;
  readonly setTimer: (callback: () => void, ms: number) => unknown;
  readonly clearTimer: (timer: unknown) => void;
  /** Pendo gives up on a batch after 100 failures. */
  readonly maxFailures?: number;
}

interface QueuedBatch {
  readonly jzb: string;
  failures: number;
  inFlight: boolean;
}

export interface SendQueue {
  add(jzb: string): void;
  /** Resolves once the queue is empty or waiting for a retry. */
  settled(): Promise<void>;
  /** Page hide/unload: send every waiting batch at once (keepalive), not one after another. */
  drain(): void;
  size(): number;
  stop(): void;
}

/** 1, 2, 4 … 64 seconds after the 1st, 2nd, 3rd … failure. */
export function retryDelayMs(failures: number): number {
  return Math.min(64, 2 ** (failures - 1)) * 1000;
}

/** The query string of one attempt, in the order Pendo's agent writes it: `v, ct, jzb|s`, then extras, `rt`. */
export function beaconQuery(
  jzb: string,
  version: string,
  clientTime: number,
  extra: string,
  failures: number,
): string {
  const payload = jzb.length <= maxGetLength ? `jzb=${jzb}` : `s=${jzb.length}`;
  return `?v=${version}&ct=${clientTime}&${payload}${extra}${failures > 0 ? `&rt=${failures}` : ""}`;
}

/**
 * One request in flight per queue; a failed batch stays at the head and is retried with backoff and
 * `rt=<n>` until it succeeds or `maxFailures` is reached (agent-wire.md §4).
 */
export function createSendQueue(deps: SendQueueDeps): SendQueue {
  const batches: QueuedBatch[] = [];
  const maxFailures = deps.maxFailures ?? 100;
  let retryTimer: unknown;
  let waiters: Array<() => void> = [];
  let stopped = false;

  function wake(): void {
    const current = waiters;
    waiters = [];
    for (const resolve of current) resolve();
  }

  function idle(): boolean {
    return batches.length === 0 || retryTimer !== undefined || stopped;
  }

  function attempt(batch: QueuedBatch): void {
    batch.inFlight = true;
    const url =
      deps.endpoint() +
      beaconQuery(batch.jzb, deps.version(), deps.now(), deps.extraParams(), batch.failures);
    const body = batch.jzb.length > maxGetLength ? JSON.stringify({ events: batch.jzb }) : null;
    deps
      .transport(url, body)
      .catch(() => false)
      .then((ok) => {
        batch.inFlight = false;
        if (ok || ++batch.failures >= maxFailures) {
          batches.splice(batches.indexOf(batch), 1);
        } else if (retryTimer === undefined && !stopped) {
          retryTimer = deps.setTimer(() => {
            retryTimer = undefined;
            pump();
          }, retryDelayMs(batch.failures));
        }
        pump();
      });
  }

  function pump(): void {
    if (!stopped && retryTimer === undefined && batches[0] && !batches.some((b) => b.inFlight)) {
      attempt(batches[0]);
    }
    if (idle()) wake();
  }

  return {
    add(jzb) {
      batches.push({ jzb, failures: 0, inFlight: false });
      pump();
    },
    settled() {
      return idle() ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
    drain() {
      if (stopped) return;
      if (retryTimer !== undefined) deps.clearTimer(retryTimer);
      retryTimer = undefined;
      for (const batch of batches) if (!batch.inFlight) attempt(batch);
    },
    size: () => batches.length,
    stop() {
      stopped = true;
      if (retryTimer !== undefined) deps.clearTimer(retryTimer);
      retryTimer = undefined;
      wake();
    },
  };
}

/**
 * fetch with keepalive, so a request started while the page goes away still arrives. Browsers cap
 * keepalive bodies at 64 KiB in total, so the largest POSTs go without it.
 */
export const fetchTransport: Transport = (url, body) =>
  fetch(url, {
    method: body === null ? "GET" : "POST",
    mode: "cors",
    credentials: "omit",
    keepalive: body === null || body.length < 60000,
    ...(body === null ? {} : { body, headers: { "Content-Type": "application/json" } }),
  }).then((response) => response.ok);
