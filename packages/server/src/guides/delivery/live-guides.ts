import type { Kysely } from "kysely";
import { taggingRevisionName } from "../../query/tagging/shared/tagging-revision.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { type RevisionListener, watchRevision } from "../../store/metadata/revision-watcher.js";
import { shaped } from "../guide-rows.js";
import type { PendoGuide } from "../guide-shape.js";
import { type SerializedGuide, serializeGuide } from "./delivered-guide.js";
import { guidesRevisionName } from "./guides-revision.js";

/** A guide that can be delivered (staged or public), with what eligibility needs read once. */
export interface LiveGuide {
  readonly guide: PendoGuide;
  /** What guide.json sends of it, serialized once. */
  readonly serialized: SerializedGuide;
  readonly stagedVisitors: ReadonlySet<string>;
  readonly startsAt: number | null;
  readonly endsAt: number | null;
}

/** Each app's live guides, kept in memory and dropped on every server when a guide or a page changes. */
export interface LiveGuidesCache {
  /** The app's staged and public guides, highest priority first: loaded on first use, then from memory. */
  guidesOf(appId: string): Promise<readonly LiveGuide[]>;
  close(): void;
}

export interface LiveGuidesCacheOptions {
  /** How often the shared revisions are polled, so changes reach every server within it (default 250 ms). */
  readonly pollMs?: number;
  /** Pushed changes (PostgreSQL's NOTIFY: MetadataStore.onRevision), so they apply at once; the poll stays. */
  readonly onRevision?: RevisionListener;
}

async function loadLiveGuides(db: Kysely<MetadataSchema>, appId: string): Promise<LiveGuide[]> {
  const rows = await db
    .selectFrom("guides")
    .selectAll()
    .where("app_id", "=", appId)
    .where("state", "in", ["staged", "public"])
    .orderBy("priority", "desc")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return (await shaped(db, rows)).map((guide) => ({
    guide,
    serialized: serializeGuide(guide),
    stagedVisitors: new Set(guide.state === "staged" ? guide.stagedVisitorIds : []),
    startsAt: guide.showsAfter,
    endsAt: guide.expiresAfter,
  }));
}

/**
 * guide.json reads this on every request. A guide change bumps the `guides` revision, a page change the
 * `tagging` one (a page's rules are its guides' `regexUrlRule`); every cache polls both and forgets its
 * entries when either moves, so a change applies everywhere within `pollMs`.
 */
export function createLiveGuidesCache(
  db: Kysely<MetadataSchema>,
  options: LiveGuidesCacheOptions = {},
): LiveGuidesCache {
  const pollMs = options.pollMs ?? 250;
  const entries = new Map<string, Promise<readonly LiveGuide[]>>();
  // A load in flight when a change lands is dropped with the rest: the next request loads afresh.
  const changed = () => entries.clear();
  const watchers = [guidesRevisionName, taggingRevisionName].map((name) =>
    watchRevision(db, name, pollMs, changed, options.onRevision),
  );

  return {
    async guidesOf(appId) {
      const cached = entries.get(appId);
      if (cached) return cached;
      for (const watcher of watchers) await watcher.ready();
      const loading = loadLiveGuides(db, appId);
      entries.set(appId, loading);
      loading.catch(() => {
        if (entries.get(appId) === loading) entries.delete(appId);
      });
      return loading;
    },
    close() {
      for (const watcher of watchers) watcher.close();
    },
  };
}
