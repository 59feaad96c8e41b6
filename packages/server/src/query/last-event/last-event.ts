import { setBounded } from "../../access/bounded-map.js";
import type { IngestWriter } from "../../ingest/ingest-writer.js";
import type { EventQuery } from "../../store/events/event-query.js";
import { lastReceivedAt } from "../../store/events/event-reads.js";

/**
 * How long an acknowledged event may take to be loaded, at most, for this reader to still see it: a look at the
 * newest events reaches this far back before the previous look. Loads normally follow within the load interval
 * (250 ms); past `maxPending` unloaded events the collector refuses writes, so a backlog stays far below this.
 */
export const lateLoadMarginMs = 10 * 60_000;
/** How often an app's answer is read again over all its events (a bulk deletion may have removed the newest). */
export const fullLookEveryMs = 10 * 60_000;
/** How long a look waits for what was acknowledged before it to be loaded (see `lastEventReader`). */
export const loadWaitMs = 1_000;
const maxApps = 10_000;

interface Known {
  readonly lastEventAt: number | null;
  /** When the look that gave it started (epoch ms). */
  readonly lookedAt: number;
  /** When the last look over all the app's events started. */
  readonly fullAt: number;
}

export interface LastEvent {
  readonly lastEventAt: number | null;
  readonly checkedAt: number;
}

/**
 * When the newest event of an app (any type, excluded and bot traffic too: as stored) was received. Install
 * Settings polls it every few seconds until the snippet's first beacon shows up, so it is fresh and cheap:
 *
 * - Fresh: a look first waits, at most `loadWaitMs`, for everything the collector had acknowledged before it
 *   to be loaded (`writer.loadedWithin`, the read-your-writes waiters), without hurrying the loads as a flush
 *   would (a flush per poll would turn the paced, batched loads into one small load per poll). Loads come every
 *   load interval (250 ms), so a beacon acknowledged before a poll is in its answer unless the loader is more
 *   than `loadWaitMs` behind (a backlog), and then in a later one.
 * - Cheap: reading the newest event over all of an app's events is a scan of every event (~90 ms for 10 M rows
 *   in a quick in-memory DuckDB check), so that is done on an app's first look and then every `fullLookEveryMs`; in between a look
 *   reads only events received since `lateLoadMarginMs` before the previous look (the engine skips older
 *   blocks by their min/max times: ~2 ms on 10 M rows) and keeps the later of that and what it knew. An event
 *   loaded after a look began was received at most `lateLoadMarginMs` before it, so the next look finds it.
 */
export function lastEventReader(deps: {
  readonly events: EventQuery;
  readonly writer: Pick<IngestWriter, "loadedWithin">;
}): (subscriptionId: string, appId: string) => Promise<LastEvent> {
  const known = new Map<string, Known>();
  return async (subscriptionId, appId) => {
    await deps.writer.loadedWithin(loadWaitMs);
    const key = `${subscriptionId}\u0000${appId}`;
    const before = known.get(key);
    const now = Date.now();
    const full = before === undefined || now - before.fullAt >= fullLookEveryMs;
    const found = await lastReceivedAt(deps.events, {
      subscriptionId,
      appId,
      ...(full ? {} : { since: before.lookedAt - lateLoadMarginMs }),
    });
    // Between full looks the answer only moves forward; another look may have finished meanwhile.
    const latest = known.get(key) ?? before;
    const base = full ? null : (latest?.lastEventAt ?? null);
    const lastEventAt = found === null ? base : base === null ? found : Math.max(found, base);
    // A look that began before the one remembered adds nothing to it (that one saw at least as much).
    if (full || latest === undefined || latest.lookedAt <= now) {
      const fullAt = full ? now : (before?.fullAt ?? now);
      setBounded(known, key, { lastEventAt, lookedAt: now, fullAt }, maxApps);
    }
    return { lastEventAt, checkedAt: now };
  };
}
