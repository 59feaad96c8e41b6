import { CairnError } from "../../platform/errors/cairn-error.js";
import { addressBucket } from "../../platform/http/address-bucket.js";
import { type SharedCounts, unsharedCounts } from "../../platform/limits/shared-counts.js";
import { createFailureLimiter, defaultFailureLimiterCapacity } from "../failure-limiter.js";
import {
  type AccountBackoffOptions,
  createAccountBackoff,
  defaultAccountBackoff,
} from "./account-backoff.js";

/** Sign-in limits; production uses the defaults, tests tighten them. */
export interface SignInLimitOptions {
  /** Failed sign-ins (link or password) one client address may make per window (default 10). */
  readonly maxFailuresPerAddress: number;
  /** The address window (default 15 minutes). */
  readonly addressWindowMs: number;
  /** Addresses remembered at most (default 100,000): least recently used go first, locked-out ones last. */
  readonly addressCapacity: number;
  /** The per-account backoff of password sign-ins, whatever the address (account-backoff.ts). */
  readonly account: AccountBackoffOptions;
}

export const defaultSignInLimits: SignInLimitOptions = {
  maxFailuresPerAddress: 10,
  addressWindowMs: 15 * 60_000,
  addressCapacity: defaultFailureLimiterCapacity,
  account: defaultAccountBackoff,
};

export interface SignInAttempt {
  /** The credentials were right: the attempt is not a failure after all. */
  succeeded(): void;
}

export interface SignInLimits {
  /**
   * Call before checking credentials, with no await in between: refuses with 429 and Retry-After when the
   * address (or, for a password, the account) is locked out; otherwise counts the attempt as failed now, so
   * parallel guesses cannot all pass the check while argon2 runs, until `succeeded` takes it back.
   */
  begin(address: string, account: string | null, nowMs: number): SignInAttempt;
}

function limited(message: string, retryAfterSeconds: number): CairnError {
  return new CairnError("rate_limited", { message, headers: { "retry-after": String(retryAfterSeconds) } });
}

/** The account key: an email as sign-in looks it up (any email, known or not, so nothing is revealed). */
export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

/** With `shared`, the counts are the installation's, not this server's alone. */
export function createSignInLimits(
  options: Partial<SignInLimitOptions> = {},
  shared: SharedCounts = unsharedCounts,
): SignInLimits {
  const settings = { ...defaultSignInLimits, ...options };
  const addresses = createFailureLimiter({
    maxFailures: settings.maxFailuresPerAddress,
    windowMs: settings.addressWindowMs,
    capacity: settings.addressCapacity,
    shared: { counts: shared, stream: "sign-in-address" },
  });
  const accounts = createAccountBackoff(settings.account, shared);
  return {
    begin(address, account, nowMs) {
      // An IPv6 client is counted by its /64: it could otherwise try again from 2^64 addresses.
      const byAddress = addresses.countAttempt(addressBucket(address), nowMs);
      if (!byAddress.admitted)
        throw limited("Too many failed sign-in attempts from this address.", byAddress.retryAfterSeconds);
      if (account === null) return { succeeded: byAddress.refund };
      const byAccount = accounts.countAttempt(accountKey(account), nowMs);
      if (!byAccount.admitted) {
        byAddress.refund(); // refused unevaluated: not a failure of this address
        throw limited("Too many failed sign-in attempts for this account.", byAccount.retryAfterSeconds);
      }
      return {
        succeeded() {
          byAddress.refund();
          byAccount.refund();
        },
      };
    },
  };
}
