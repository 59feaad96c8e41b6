import { addressBucket } from "../platform/http/address-bucket.js";

/**
 * Counts failed key attempts per client address (an IPv6 address by its /64) in fixed windows; past the limit, the address is refused
 * until its window ends. In-process: each server limits on its own.
 */
export interface FailureLimiter {
  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string, nowMs: number): number;
  recordFailure(address: string, nowMs: number): void;
}

export function createFailureLimiter(options: { maxFailures: number; windowMs: number }): FailureLimiter {
  const windows = new Map<string, { startMs: number; failures: number }>();
  const maxTracked = 100_000;

  return {
    retryAfterSeconds(address, nowMs) {
      const window = windows.get(addressBucket(address));
      if (!window || nowMs - window.startMs >= options.windowMs) return 0;
      if (window.failures < options.maxFailures) return 0;
      return Math.max(1, Math.ceil((window.startMs + options.windowMs - nowMs) / 1000));
    },
    recordFailure(client, nowMs) {
      const address = addressBucket(client);
      const window = windows.get(address);
      if (window && nowMs - window.startMs < options.windowMs) {
        window.failures += 1;
        return;
      }
      // A flood from many addresses must not grow memory without bound: start over, forgetting old windows.
      if (windows.size >= maxTracked) windows.clear();
      windows.set(address, { startMs: nowMs, failures: 1 });
    },
  };
}
