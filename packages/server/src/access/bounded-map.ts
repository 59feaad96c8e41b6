/**
 * Sets `key` in a map of at most `max` entries, making room by dropping the oldest entry (a Map iterates in
 * insertion order). Caches use one map for keys found and another for keys not found, so a flood of unknown
 * keys pushes out only other unknown keys, never the valid ones being served.
 */
export function setBounded<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  if (!map.has(key) && map.size >= max) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}
