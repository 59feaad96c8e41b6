/**
 * A map of at most `capacity` entries kept in order of last use (a JavaScript Map iterates in insertion
 * order, so using an entry moves it to the end). When a new key arrives at capacity, the least recently used
 * entry goes, unless `keep` says it still matters (a locked-out address): such an entry is moved to the end
 * instead, at most `maxSpared` of them per arrival, after which the least recently used goes regardless, so
 * memory stays bounded and each arrival costs O(1).
 */
export interface RecentEntries<V> {
  /** The entry, now the most recently used. */
  use(key: string): V | undefined;
  /** Adds or replaces the entry as the most recently used, making room first if needed. */
  put(key: string, value: V, nowMs: number): void;
  readonly size: number;
}

export const maxSpared = 16;

export function createRecentEntries<V>(
  capacity: number,
  keep: (value: V, nowMs: number) => boolean,
): RecentEntries<V> {
  const entries = new Map<string, V>();

  function makeRoom(nowMs: number): void {
    let spared = 0;
    for (const [key, value] of entries) {
      entries.delete(key);
      if (spared >= maxSpared || !keep(value, nowMs)) return;
      entries.set(key, value);
      spared++;
    }
  }

  return {
    use(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    put(key, value, nowMs) {
      if (!entries.delete(key) && entries.size >= capacity) makeRoom(nowMs);
      entries.set(key, value);
    },
    get size() {
      return entries.size;
    },
  };
}
