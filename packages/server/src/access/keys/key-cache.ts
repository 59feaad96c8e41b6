import type { Kysely } from "kysely";
import type { ApiKeysTable, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { type RevisionListener, watchRevision } from "../../store/metadata/revision-watcher.js";
import { setBounded } from "../bounded-map.js";

/** What a route learns about the caller once its key is accepted. */
export interface VerifiedKey {
  readonly id: string;
  readonly subscriptionId: string;
  readonly kind: ApiKeysTable["kind"];
  readonly scope: ApiKeysTable["scope"];
  readonly appId: string | null;
}

export type CachedKey = Pick<
  ApiKeysTable,
  "id" | "subscription_id" | "kind" | "scope" | "app_id" | "expires_at" | "revoked_at" | "exposed_at"
> & {
  exposed_key_policy: "notify" | "revoke";
  /** expires_at as ms since epoch (Infinity when it never expires), so each check is one comparison. */
  expiresAtMs: number;
  /** Built once when the row is cached: accepting a cached key allocates nothing. */
  verified: VerifiedKey;
};

export interface KeyCacheOptions {
  /** How often to look at the shared key revision; revocations reach this server within this time. */
  readonly pollMs?: number;
  /** Pushed changes (PostgreSQL's NOTIFY: MetadataStore.onRevision), so they apply at once; the poll stays. */
  readonly onRevision?: RevisionListener;
  /** Unknown hashes are remembered this long, so repeated bad keys cost no read. */
  readonly negativeTtlMs?: number;
  /** Keys found, and separately unknown hashes, remembered at most (each). */
  readonly maxEntries?: number;
}

export interface KeyCache {
  /** The key's row if it is in memory now; never reads the store. */
  peek(hash: string): CachedKey | undefined;
  /** The key's row (null when no key has this hash), from memory when possible. */
  lookup(hash: string, nowMs: number): Promise<CachedKey | null>;
  /** Forget everything, e.g. after this process changed a key. */
  clear(): void;
  /** Number of store reads so far (tests assert on it). */
  readonly reads: () => number;
  close(): void;
}

/**
 * In-process cache of keys by hash. Every server polls one shared counter that revoke and roll bump in
 * the same transaction; when it moves, the whole cache is dropped. Expiry is checked on every request
 * against the row, so it needs no invalidation.
 */
export function createKeyCache(db: Kysely<MetadataSchema>, options: KeyCacheOptions = {}): KeyCache {
  const pollMs = options.pollMs ?? 250;
  const negativeTtlMs = options.negativeTtlMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 50_000;
  const found = new Map<string, CachedKey>();
  const missing = new Map<string, number>();
  let reads = 0;

  function clear(): void {
    found.clear();
    missing.clear();
  }

  const watcher = watchRevision(db, "keys", pollMs, clear, options.onRevision);

  return {
    peek: (hash) => (watcher.ready() ? undefined : found.get(hash)),
    async lookup(hash, nowMs) {
      await watcher.ready();
      const hit = found.get(hash);
      if (hit) return hit;
      const missUntil = missing.get(hash);
      if (missUntil !== undefined && missUntil > nowMs) return null;
      reads += 1;
      const row = await db
        .selectFrom("api_keys")
        .innerJoin("subscriptions", "subscriptions.id", "api_keys.subscription_id")
        .select([
          "api_keys.id",
          "api_keys.subscription_id",
          "api_keys.kind",
          "api_keys.scope",
          "api_keys.app_id",
          "api_keys.expires_at",
          "api_keys.revoked_at",
          "api_keys.exposed_at",
          "subscriptions.exposed_key_policy",
        ])
        .where("api_keys.key_hash", "=", hash)
        .executeTakeFirst();
      if (!row) {
        setBounded(missing, hash, nowMs + negativeTtlMs, maxEntries);
        return null;
      }
      const key = {
        ...row,
        expiresAtMs: row.expires_at === null ? Number.POSITIVE_INFINITY : Date.parse(row.expires_at),
        verified: Object.freeze({
          id: row.id,
          subscriptionId: row.subscription_id,
          kind: row.kind,
          scope: row.scope,
          appId: row.app_id,
        }),
      };
      setBounded(found, hash, key, maxEntries);
      return key;
    },
    clear,
    reads: () => reads,
    close: () => watcher.close(),
  };
}
