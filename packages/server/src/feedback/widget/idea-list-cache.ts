import { setBounded } from "../../access/bounded-map.js";
import type { Idea } from "../ideas/idea-service.js";

/**
 * The panel's list of an app's public ideas, kept per app for a few seconds: every page that opens the panel
 * asks for it, and anyone holding the public app key can ask as often as they like. A vote or an idea sent
 * through the panel drops its app's copy, so the sender sees it at once; other changes show within `ttlMs`.
 */
export interface IdeaListCache {
  get(appId: string, load: () => Promise<readonly Idea[]>): Promise<readonly Idea[]>;
  forget(appId: string): void;
}

export function createIdeaListCache(ttlMs: number, maxApps = 10_000): IdeaListCache {
  const lists = new Map<string, { untilMs: number; ideas: Promise<readonly Idea[]> }>();
  return {
    get(appId, load) {
      const now = Date.now();
      const kept = lists.get(appId);
      if (kept && kept.untilMs > now) return kept.ideas;
      const ideas = load();
      // A failed load is not kept: the next request tries again.
      ideas.catch(() => lists.delete(appId));
      setBounded(lists, appId, { untilMs: now + ttlMs, ideas }, maxApps);
      return ideas;
    },
    forget(appId) {
      lists.delete(appId);
    },
  };
}
