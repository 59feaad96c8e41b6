import { type SharedCounts, unsharedCounts } from "../../platform/limits/shared-counts.js";
import type { CountedAttempt } from "../failure-limiter.js";
import { createRecentEntries } from "../recent-entries.js";

/**
 * Per-account backoff for password sign-in, whatever the address: guesses spread over many addresses still
 * slow down. The first `freeFailures` failures cost nothing; each one after locks the account for
 * `baseDelayMs` doubled per further failure, at most `maxDelayMs`. A success, or `forgetAfterMs` without a
 * failure, starts over.
 */
export interface AccountBackoffOptions {
  readonly freeFailures: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly forgetAfterMs: number;
  /** Accounts remembered at most; past it the least recently used go, locked ones last. */
  readonly capacity: number;
}

/** 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes; forgotten after an hour without a failure. */
export const defaultAccountBackoff: AccountBackoffOptions = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  capacity: 100_000,
};

export interface AccountBackoff {
  /** Refused while the account is locked; otherwise counted as a failure now, `refund` on success. */
  countAttempt(account: string, nowMs: number): CountedAttempt;
}

interface AccountFailures {
  failures: number;
  lastFailureMs: number;
  lockedUntilMs: number;
}

/** How long the account is locked after its `failures`-th failure in a row. */
export function accountDelayMs(failures: number, options: AccountBackoffOptions): number {
  const over = failures - options.freeFailures;
  if (over <= 0) return 0;
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(over - 1, 52));
}

/**
 * With `shared`, failures on other servers count here too, and a success there starts the account over here.
 * A success is sent on a stream of its own: its attempt's count and refund cancel out before they are sent.
 */
export function createAccountBackoff(
  options: AccountBackoffOptions = defaultAccountBackoff,
  shared: SharedCounts = unsharedCounts,
): AccountBackoff {
  const isCurrent = (entry: AccountFailures, nowMs: number) =>
    nowMs - entry.lastFailureMs < options.forgetAfterMs;
  const accounts = createRecentEntries<AccountFailures>(
    options.capacity,
    (entry, nowMs) => isCurrent(entry, nowMs) && entry.failures >= options.freeFailures,
  );

  /** The account's current entry, a fresh one if it had none or it was forgotten. */
  function current(account: string, nowMs: number): AccountFailures {
    const entry = accounts.use(account);
    if (entry && isCurrent(entry, nowMs)) return entry;
    const fresh = { failures: 0, lastFailureMs: nowMs, lockedUntilMs: 0 };
    accounts.put(account, fresh, nowMs);
    return fresh;
  }

  function fail(entry: AccountFailures, failures: number, nowMs: number): void {
    entry.failures += failures;
    entry.lastFailureMs = nowMs;
    const delay = accountDelayMs(entry.failures, options);
    entry.lockedUntilMs = Math.max(entry.lockedUntilMs, delay > 0 ? nowMs + delay : 0);
  }

  function startOver(entry: AccountFailures): void {
    entry.failures = 0;
    entry.lockedUntilMs = 0;
  }

  const sendFailures = shared.stream("sign-in-account", (account, delta, nowMs) => {
    const entry = delta > 0 ? current(account, nowMs) : accounts.use(account);
    if (entry && delta > 0) fail(entry, delta, nowMs);
    else if (entry) entry.failures = Math.max(0, entry.failures + delta);
  });
  const sendSuccess = shared.stream("sign-in-account-success", (account) => {
    const entry = accounts.use(account);
    if (entry) startOver(entry);
  });

  return {
    countAttempt(account, nowMs) {
      const entry = accounts.use(account);
      if (entry && nowMs < entry.lockedUntilMs) {
        return { admitted: false, retryAfterSeconds: Math.ceil((entry.lockedUntilMs - nowMs) / 1000) };
      }
      const counted = current(account, nowMs);
      fail(counted, 1, nowMs);
      sendFailures(account, 1);
      let refunded = false;
      return {
        admitted: true,
        // A success proves the password: the account starts over.
        refund() {
          if (refunded) return;
          refunded = true;
          startOver(counted);
          sendFailures(account, -1);
          sendSuccess(account, 1);
        },
      };
    },
  };
}
