import type { Kysely } from "kysely";
import type { MetadataSchema } from "./metadata-schema.js";

/** Subscribes `callback` to pushed changes of one `cache_revisions` counter; returns the unsubscribe function. */
export type RevisionListener = (name: string, callback: () => void) => () => void;

export interface RevisionWatcher {
  /** Resolved once the first reading is in; null afterwards, so hot paths can skip the await. */
  readonly ready: () => Promise<void> | null;
  close(): void;
}

/**
 * Polls one shared counter in `cache_revisions` and calls `onChange` whenever it moved since the last
 * reading, or when it cannot be read (a store hiccup must not leave stale entries trusted). Changes bump the
 * counter in their own transaction, so every server sees them within `pollMs`. When the store pushes changes
 * (`listen`: PostgreSQL's NOTIFY), the counter is read as soon as one commits, so `onChange` runs then, once;
 * the poll stays as the fallback for a dropped listening connection.
 */
export function watchRevision(
  db: Kysely<MetadataSchema>,
  name: string,
  pollMs: number,
  onChange: () => void,
  listen?: RevisionListener,
): RevisionWatcher {
  let revision: number | null = null;
  async function poll(): Promise<void> {
    const row = await db
      .selectFrom("cache_revisions")
      .select("revision")
      .where("name", "=", name)
      .executeTakeFirst();
    const current = row?.revision ?? 0;
    if (revision !== null && current !== revision) onChange();
    revision = current;
  }
  let first: Promise<void> | null = poll().finally(() => {
    first = null;
  });
  const timer = setInterval(() => {
    poll().catch(onChange);
  }, pollMs);
  timer.unref();
  // A pushed change is read like a poll, so the poll that follows finds nothing new and the cache reloads once.
  // A listener that reconnects pushes too: what changed while it was away shows in the revision.
  const stopListening = listen?.(name, () => {
    poll().catch(onChange);
  });
  return {
    ready: () => first,
    close() {
      clearInterval(timer);
      stopListening?.();
    },
  };
}
