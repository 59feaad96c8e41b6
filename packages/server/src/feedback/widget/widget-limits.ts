import { createFailureLimiter, type FailureLimiter } from "../../access/failure-limiter.js";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { addressBucket } from "../../platform/http/address-bucket.js";
import { type SharedCounts, unsharedCounts } from "../../platform/limits/shared-counts.js";

/** How many ideas and votes the in-app panel may send per hour, per visitor and per client address. */
export interface WidgetLimits {
  readonly ideasPerVisitor: number;
  readonly ideasPerAddress: number;
  readonly votesPerVisitor: number;
  readonly votesPerAddress: number;
  /** How long an app's list of public ideas is kept before it is read again (ms). */
  readonly listCacheMs: number;
}

export const defaultWidgetLimits: WidgetLimits = {
  ideasPerVisitor: 10,
  ideasPerAddress: 30,
  votesPerVisitor: 100,
  votesPerAddress: 300,
  listCacheMs: 3_000,
};

const hourMs = 60 * 60_000;

export interface WidgetLimiter {
  /** Counts one request of the kind, or refuses it with 429 and Retry-After once either limit is reached. */
  take(kind: "idea" | "vote", appId: string, visitorId: string, address: string): void;
}

export function createWidgetLimiter(
  limits: WidgetLimits = defaultWidgetLimits,
  shared: SharedCounts = unsharedCounts,
): WidgetLimiter {
  // The failure limiter counts any attempt in fixed windows; here every accepted request is one.
  const windows = (max: number, stream: string) =>
    createFailureLimiter({ maxFailures: max, windowMs: hourMs, shared: { counts: shared, stream } });
  const byKind: Record<"idea" | "vote", { visitor: FailureLimiter; address: FailureLimiter }> = {
    idea: {
      visitor: windows(limits.ideasPerVisitor, "widget-idea-visitor"),
      address: windows(limits.ideasPerAddress, "widget-idea-address"),
    },
    vote: {
      visitor: windows(limits.votesPerVisitor, "widget-vote-visitor"),
      address: windows(limits.votesPerAddress, "widget-vote-address"),
    },
  };
  return {
    take(kind, appId, visitorId, address) {
      const { visitor, address: perAddress } = byKind[kind];
      const visitorKey = `${appId}\n${visitorId}`;
      const now = Date.now();
      const visitorWait = visitor.retryAfterSeconds(visitorKey, now);
      const client = addressBucket(address);
      const wait = Math.max(visitorWait, perAddress.retryAfterSeconds(client, now));
      if (wait > 0) {
        const what = kind === "idea" ? "ideas" : "votes";
        throw new CairnError("rate_limited", {
          message: `Too many ${what} from this ${visitorWait > 0 ? "visitor" : "address"} in the last hour.`,
          headers: { "retry-after": String(wait) },
        });
      }
      visitor.recordFailure(visitorKey, now);
      perAddress.recordFailure(client, now);
    },
  };
}
