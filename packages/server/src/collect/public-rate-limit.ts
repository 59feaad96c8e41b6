import { CairnError } from "../platform/errors/cairn-error.js";
import { addressBucket } from "../platform/http/address-bucket.js";
import type { CairnApp } from "../platform/http/cairn-app.js";
import { createTokenBuckets, type TokenBuckets } from "../platform/http/token-buckets.js";
import { type SharedCounts, unsharedCounts } from "../platform/limits/shared-counts.js";
import { collectorCorsHeaders } from "./cors.js";

/** Requests per second on the public-key endpoints, per app key and per client address; 0 turns one off. */
export interface PublicRateLimits {
  readonly perApp: number;
  readonly perAddress: number;
}

export const defaultPublicRateLimits: PublicRateLimits = { perApp: 5_000, perAddress: 100 };

/** Ten seconds' worth at once: a page load sends a burst of beacons, then little. */
const burstSeconds = 10;

/** Buckets that also spend what the other servers' clients took, and tell them what this one's took. */
function sharedBuckets(
  ratePerSecond: number,
  shared: SharedCounts,
  stream: string,
): ((key: string, nowMs: number) => number) | null {
  if (ratePerSecond <= 0) return null;
  const buckets: TokenBuckets = createTokenBuckets({ ratePerSecond, burst: ratePerSecond * burstSeconds });
  const send = shared.stream(stream, (key, count, nowMs) => buckets.spend(key, count, nowMs));
  return (key, nowMs) => {
    const wait = buckets.take(key, nowMs);
    if (wait === 0) send(key, 1);
    return wait;
  };
}

/**
 * Limits the routes of `app`'s context (beacons, guide.json, the feedback panel, /data/errorlog: what anyone
 * holding the public app key may call) per app key and per client address. Past either, 429 with Retry-After,
 * which the agents honour by sending again later.
 */
export function limitPublicRate(
  app: CairnApp,
  limits: PublicRateLimits,
  shared: SharedCounts = unsharedCounts,
): void {
  const perApp = sharedBuckets(limits.perApp, shared, "public-app");
  const perAddress = sharedBuckets(limits.perAddress, shared, "public-address");
  if (!perApp && !perAddress) return;
  // Callback style, not async: it runs on every beacon.
  app.addHook("onRequest", (request, reply, done) => {
    const now = Date.now();
    const appKey = (request.params as { appKey?: unknown }).appKey;
    const appWait = perApp && typeof appKey === "string" ? perApp(appKey, now) : 0;
    const addressWait = perAddress ? perAddress(addressBucket(request.ip), now) : 0;
    const wait = Math.max(appWait, addressWait);
    if (wait === 0) {
      done();
      return;
    }
    // The feedback panel reads the answer from another origin: the refusal carries the collector's CORS headers.
    reply.headers(collectorCorsHeaders);
    done(
      new CairnError("rate_limited", {
        message: `Too many requests ${addressWait > 0 ? "from this address" : "for this app"}.`,
        headers: { "retry-after": String(wait) },
      }),
    );
  });
}
