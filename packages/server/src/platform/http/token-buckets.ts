/**
 * Token buckets by key: each key may spend `burst` requests at once and earns `ratePerSecond` back. At most
 * `capacity` keys are kept; the least recently used goes first, so a flood of new keys (random app keys, many
 * addresses) forgets idle keys, never a key being limited right now.
 */
export interface TokenBuckets {
  /** Takes one token: 0 when the request may go ahead, else the seconds until a token is back. */
  take(key: string, nowMs: number): number;
  /** Spends `count` tokens the key used elsewhere (another server), down to a debt of one burst. */
  spend(key: string, count: number, nowMs: number): void;
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

  /** The key's tokens now, its bucket taken out of the map (to be set again as the most recent). */
  function refill(key: string, nowMs: number): number {
    const bucket = buckets.get(key);
    if (bucket) {
      buckets.delete(key);
      return Math.min(burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * ratePerSecond);
    }
    if (buckets.size >= capacity) {
      const oldest = buckets.keys().next().value;
      if (oldest !== undefined) buckets.delete(oldest);
    }
    return burst;
  }

  return {
    spend(key, count, nowMs) {
      buckets.set(key, { tokens: Math.max(-burst, refill(key, nowMs) - count), atMs: nowMs });
    },
    take(key, nowMs) {
      const tokens = refill(key, nowMs);
      if (tokens < 1) {
        buckets.set(key, { tokens, atMs: nowMs });
        return Math.max(1, Math.ceil((1 - tokens) / ratePerSecond));
      }
      buckets.set(key, { tokens: tokens - 1, atMs: nowMs });
      return 0;
    },
  };
}
