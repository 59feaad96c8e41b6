import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { type RevisionListener, watchRevision } from "../../store/metadata/revision-watcher.js";
import { compileExcludeRules, type ExcludeMatcher } from "./exclude-rules.js";
import { excludeRevisionName, listExcludeRules } from "./exclude-service.js";

/** Each subscription's compiled Exclude List, kept in memory and dropped on every server when it changes. */
export interface ExcludeListCache {
  /**
   * The subscription's matcher: loaded and compiled on first use, then answered from memory (no store
   * access) until a change anywhere moves the `exclude` revision. Rejects only when the store cannot be read.
   */
  matcherFor(subscriptionId: string): Promise<ExcludeMatcher>;
  /** The matcher if it is loaded and current, without waiting; null means call matcherFor. */
  cachedMatcher(subscriptionId: string): ExcludeMatcher | null;
  /** Stops polling; matchers already handed out keep working. */
  close(): void;
}

/** Options for createExcludeListCache. */
export interface ExcludeListCacheOptions {
  /** How often the shared revision is polled, so changes reach every server within it (default 250 ms). */
  readonly pollMs?: number;
  /** Pushed changes (PostgreSQL's NOTIFY: MetadataStore.onRevision), so they apply at once; the poll stays. */
  readonly onRevision?: RevisionListener;
}

/**
 * The collector asks this, for each event, whether the event's subscription excludes it. A change (from any
 * server or the CLI) bumps the `exclude` row of `cache_revisions` in its own transaction; every cache polls
 * that row and forgets its matchers when it moves, so the change applies everywhere within `pollMs`.
 *
 * @example
 * const excludeList = createExcludeListCache(metadata.db);
 * const matcher = excludeList.cachedMatcher(subscriptionId) ?? (await excludeList.matcherFor(subscriptionId));
 * const excluded = matcher.isExcluded({ ip: request.ip, visitorId, accountId, url });
 */
export function createExcludeListCache(
  db: Kysely<MetadataSchema>,
  options: ExcludeListCacheOptions = {},
): ExcludeListCache {
  const pollMs = options.pollMs ?? 250;
  const matchers = new Map<string, ExcludeMatcher>();
  const loading = new Map<string, Promise<ExcludeMatcher>>();
  // A load that started before a change must not store what it read: it may predate the change.
  let generation = 0;
  const watcher = watchRevision(
    db,
    excludeRevisionName,
    pollMs,
    function excludeListChanged() {
      generation++;
      matchers.clear();
      loading.clear();
    },
    options.onRevision,
  );

  async function load(subscriptionId: string): Promise<ExcludeMatcher> {
    const ready = watcher.ready();
    if (ready) await ready;
    const startedAt = generation;
    const matcher = compileExcludeRules(await listExcludeRules(db, subscriptionId));
    if (generation === startedAt) matchers.set(subscriptionId, matcher);
    return matcher;
  }

  return {
    matcherFor(subscriptionId) {
      const cached = matchers.get(subscriptionId);
      if (cached) return Promise.resolve(cached);
      let pending = loading.get(subscriptionId);
      if (!pending) {
        const startedAt = generation;
        pending = load(subscriptionId).finally(function forgetLoad() {
          if (generation === startedAt) loading.delete(subscriptionId);
        });
        loading.set(subscriptionId, pending);
      }
      return pending;
    },
    cachedMatcher: (subscriptionId) => matchers.get(subscriptionId) ?? null,
    close: () => watcher.close(),
  };
}
