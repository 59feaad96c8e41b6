import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { type RevisionListener, watchRevision } from "../../store/metadata/revision-watcher.js";
import { setBounded } from "../bounded-map.js";
import { type AppKeyResolution, type AppKeyRow, findAppByKey, resolveFromRow } from "./app-keys.js";

export interface AppKeyCache {
  /** `origin` null: any origin (see resolveFromRow). */
  resolve(appKey: string, origin: string | undefined | null): Promise<AppKeyResolution>;
  close(): void;
}

/**
 * App keys arrive on every beacon, so their apps are kept in memory. App-key rolls and origin changes
 * bump the same shared revision as secret keys; every server polls it and drops this cache when it moves,
 * so a change reaches all servers within the poll interval. Unknown keys are remembered briefly.
 */
export function createAppKeyCache(
  db: Kysely<MetadataSchema>,
  options: { pollMs?: number; maxEntries?: number; onRevision?: RevisionListener } = {},
): AppKeyCache {
  const pollMs = options.pollMs ?? 250;
  const maxEntries = options.maxEntries ?? 10_000;
  type Entry = { row: AppKeyRow | null; untilMs: number };
  // Apps found and unknown keys apart: random UUIDs on beacon URLs push out only other unknown keys.
  const known = new Map<string, Entry>();
  const unknown = new Map<string, Entry>();
  const watcher = watchRevision(
    db,
    "keys",
    pollMs,
    () => {
      known.clear();
      unknown.clear();
    },
    options.onRevision,
  );

  return {
    async resolve(appKey, origin) {
      await watcher.ready();
      const key = appKey.toLowerCase();
      const nowMs = Date.now();
      let entry = known.get(key) ?? unknown.get(key);
      if (!entry || entry.untilMs <= nowMs) {
        const row = await findAppByKey(db, key);
        entry = { row, untilMs: row ? Number.POSITIVE_INFINITY : nowMs + 2_000 };
        if (row) {
          unknown.delete(key);
          setBounded(known, key, entry, maxEntries);
        } else setBounded(unknown, key, entry, maxEntries);
      }
      return resolveFromRow(entry.row, key, origin, new Date(nowMs));
    },
    close: () => watcher.close(),
  };
}
