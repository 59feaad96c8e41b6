/**
 * Token buckets by key: each key may spend `burst` requests at once and earns `ratePerSecond` back. At most
 * `capacity` keys are kept; the least recently used goes first, so a flood of new keys (random app keys, many
 * addresses) forgets idle keys, never a key being limited right now.
 */
export interface TokenBuckets {
  /** Takes one token: 0 when the request may go ahead, else the seconds until a token is back. */
  take(key: string, nowMs: number): number;
}

export function createTokenBuckets(options: {
  ratePerSecond: number;
  burst: number;
  capacity?: number;
}): TokenBuckets {
  const { ratePerSecond, burst } = options;
  const capacity = options.capacity ?? 100_000;
  // Insertion order is recency: a key is deleted and set again on each use, so the first key is the oldest.
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  return {
    take(key, nowMs) {
      const bucket = buckets.get(key);
      let tokens = burst;
      if (bucket) {
        buckets.delete(key);
        tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * ratePerSecond);
      } else if (buckets.size >= capacity) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      if (tokens < 1) {
        buckets.set(key, { tokens, atMs: nowMs });
        return Math.max(1, Math.ceil((1 - tokens) / ratePerSecond));
      }
      buckets.set(key, { tokens: tokens - 1, atMs: nowMs });
      return 0;
    },
  };
}
