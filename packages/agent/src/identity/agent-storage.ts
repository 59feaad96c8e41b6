/** A key-value store that forgets: Web Storage when allowed, memory otherwise (disablePersistence). */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function memoryStore(): KeyValueStore {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}

/** Web Storage wrapped so that a browser refusing it (privacy modes, quota) degrades to memory. */
export function webStore(getStorage: () => Storage): KeyValueStore {
  const fallback = memoryStore();
  const attempt = <T>(action: (storage: Storage) => T, otherwise: () => T): T => {
    try {
      return action(getStorage());
    } catch {
      return otherwise();
    }
  };
  return {
    get: (key) =>
      attempt(
        (s) => s.getItem(key),
        () => fallback.get(key),
      ),
    set: (key, value) =>
      attempt(
        (s) => s.setItem(key, value),
        () => fallback.set(key, value),
      ),
    remove: (key) =>
      attempt(
        (s) => s.removeItem(key),
        () => fallback.remove(key),
      ),
  };
}

/** 100 days, Pendo's default `identityStorageLifetime`. */
export const identityLifetimeMs = 100 * 24 * 3600 * 1000;

/** Names of Pendo's identity keys (`_pendo_<name>.<apiKey>`), removed when persistence is disabled. */
export const identityKeyNames = ["visitorId", "accountId", "oldVisitorId", "meta"] as const;
export type IdentityKeyName = (typeof identityKeyNames)[number];

/** Pendo's identity storage: `_pendo_<name>.<apiKey>` = `{"ttl": <expiry ms>, "value": …}` (agent-wire.md §6). */
export interface IdentityStore {
  get(name: IdentityKeyName): string | undefined;
  set(name: IdentityKeyName, value: string): void;
  remove(name: IdentityKeyName): void;
}

export function identityStore(store: KeyValueStore, apiKey: string, now: () => number): IdentityStore {
  const key = (name: string): string => `_pendo_${name}.${apiKey}`;
  const remove = (name: IdentityKeyName): void => store.remove(key(name));
  return {
    get(name) {
      const raw = store.get(key(name));
      if (raw === null) return undefined;
      try {
        const entry = JSON.parse(raw) as { ttl?: unknown; value?: unknown };
        if (typeof entry.ttl === "number" && entry.ttl > now() && entry.value !== undefined) {
          return String(entry.value);
        }
      } catch {
        // Not ours or corrupted: treated as absent, and removed below.
      }
      remove(name);
      return undefined;
    },
    set(name, value) {
      store.set(key(name), JSON.stringify({ ttl: now() + identityLifetimeMs, value }));
    },
    remove,
  };
}
