import { type SharedCounts, unsharedCounts } from "../platform/limits/shared-counts.js";

/**
 * Beacons logged recently, by app and payload hash. The agent re-sends a batch whose answer it did not see
 * (`rt=1, 2, …` over about two minutes, or at the next page load after an unload); the copy is answered as
 * the first was but stored once. Bounded: the oldest keys go first. After a restart a copy is stored again,
 * with the same batch key, so reads can still count it once. With `shared`, the keys the other servers claim
 * are remembered here too (a quarter-second later), so a copy sent to another server is stored once as well.
 */
export interface RecentBatches {
  /** True if the key was new (and is now remembered), false if it was seen. */
  claim(key: string): boolean;
  /** Forget a key whose beacon could not be logged, so its re-send is accepted. */
  release(key: string): void;
}

export function createRecentBatches(
  maxEntries = 200_000,
  shared: SharedCounts = unsharedCounts,
): RecentBatches {
  const seen = new Set<string>();
  function remember(key: string): void {
    seen.add(key);
    if (seen.size > maxEntries) {
      const oldest = seen.values().next();
      if (!oldest.done) seen.delete(oldest.value);
    }
  }
  const send =
    maxEntries > 0
      ? shared.stream("recent-batches", (key, delta) => (delta > 0 ? remember(key) : seen.delete(key)))
      : () => {};
  return {
    claim(key) {
      if (maxEntries <= 0) return true;
      if (seen.has(key)) return false;
      remember(key);
      send(key, 1);
      return true;
    },
    release(key) {
      if (seen.delete(key)) send(key, -1);
    },
  };
}
