import { type SharedCounts, unsharedCounts } from "../platform/limits/shared-counts.js";
import { createRecentEntries } from "./recent-entries.js";

/** An attempt counted before it is evaluated: refunded if it turns out not to be a failure. */
export type CountedAttempt =
  | { readonly admitted: true; refund(): void }
  | { readonly admitted: false; readonly retryAfterSeconds: number };

/**
 * Counts failed attempts per key (a client address, a visitor) in fixed windows; past the limit, the key is
 * refused until its window ends. Counted in memory; with `shared`, failures counted on other servers are
 * added to the same windows (a quarter-second later).
 */
export interface FailureLimiter {
  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string, nowMs: number): number;
  recordFailure(key: string, nowMs: number): void;
  /**
   * Checks and counts in one step, before any await: an attempt whose outcome takes time (argon2) is counted
   * as a failure when it starts, so parallel attempts cannot all pass the check; `refund` takes it back.
   */
  countAttempt(key: string, nowMs: number): CountedAttempt;
}

export interface FailureLimiterOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Keys remembered at most (default 100,000); past it the least recently used go, locked-out ones last. */
  readonly capacity?: number;
  /** Shares the counts with the other servers, under a stream name no other limiter uses. */
  readonly shared?: { readonly counts: SharedCounts; readonly stream: string };
}

export const defaultFailureLimiterCapacity = 100_000;

interface FailureWindow {
  readonly startMs: number;
  failures: number;
}

export function createFailureLimiter(options: FailureLimiterOptions): FailureLimiter {
  const { maxFailures, windowMs } = options;
  const isOpen = (window: FailureWindow, nowMs: number) => nowMs - window.startMs < windowMs;
  const isLocked = (window: FailureWindow, nowMs: number) =>
    isOpen(window, nowMs) && window.failures >= maxFailures;
  // A flood from many addresses must not grow memory without bound, nor unlock the addresses locked out.
  const windows = createRecentEntries<FailureWindow>(
    options.capacity ?? defaultFailureLimiterCapacity,
    isLocked,
  );

  function waitOf(window: FailureWindow | undefined, nowMs: number): number {
    if (!window || !isLocked(window, nowMs)) return 0;
    return Math.max(1, Math.ceil((window.startMs + windowMs - nowMs) / 1000));
  }

  /** Adds failures to the key's open window, or opens a new one; answers the window counted in. */
  function add(key: string, failures: number, nowMs: number): FailureWindow {
    const window = windows.use(key);
    if (window && isOpen(window, nowMs)) {
      window.failures += failures;
      return window;
    }
    const opened = { startMs: nowMs, failures };
    windows.put(key, opened, nowMs);
    return opened;
  }

  const shared = options.shared ?? { counts: unsharedCounts, stream: "" };
  const send = shared.counts.stream(shared.stream, (key, delta, nowMs) => {
    if (delta > 0) add(key, delta, nowMs);
    else {
      const window = windows.use(key);
      if (window) window.failures = Math.max(0, window.failures + delta);
    }
  });

  function count(key: string, nowMs: number): FailureWindow {
    send(key, 1);
    return add(key, 1, nowMs);
  }

  return {
    retryAfterSeconds: (key, nowMs) => waitOf(windows.use(key), nowMs),
    recordFailure(key, nowMs) {
      count(key, nowMs);
    },
    countAttempt(key, nowMs) {
      const wait = waitOf(windows.use(key), nowMs);
      if (wait > 0) return { admitted: false, retryAfterSeconds: wait };
      const window = count(key, nowMs);
      let refunded = false;
      return {
        admitted: true,
        refund() {
          if (refunded) return;
          refunded = true;
          window.failures = Math.max(0, window.failures - 1);
          send(key, -1);
        },
      };
    },
  };
}
