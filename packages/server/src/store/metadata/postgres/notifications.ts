import type pg from "pg";
import type { Broadcast } from "../../../platform/limits/shared-counts.js";
import type { RevisionListener } from "../revision-watcher.js";

/** The channel migration 0021's trigger notifies on, with the counter's name as the payload. */
export const revisionChannel = "cairn_cache_revisions";
/** The channel the servers' shared counts travel on (platform/limits/shared-counts.ts). */
export const broadcastChannel = "cairn_shared_counts";

export interface Notifications {
  readonly listen: RevisionListener;
  /** Receives what `publish` (any server's) sends on the broadcast channel. */
  readonly subscribe: Broadcast["subscribe"];
  close(): Promise<void>;
}

/**
 * One dedicated connection per server that LISTENs for `cache_revisions` changes and broadcasts, outside the
 * Kysely pool (a pooled connection would be handed to queries and lose the LISTEN). It connects on the first
 * subscription, so CLI commands that never watch open no extra connection. When it drops, it reconnects with
 * backoff (100 ms doubling to 5 s) and then tells every revision subscriber that something changed, since
 * notifications sent while it was away are lost; the watchers' poll covers that gap meanwhile. Broadcasts
 * missed meanwhile stay missed.
 */
export function notifications(driver: typeof pg, url: string): Notifications {
  const subscribers = new Map<string, Set<() => void>>();
  const broadcastSubscribers = new Set<(message: string) => void>();
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let backoffMs = 100;
  let closed = false;
  let everConnected = false;

  function deliver(name: string): void {
    for (const callback of subscribers.get(name) ?? []) callback();
  }

  function retry(): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, backoffMs);
    retryTimer.unref();
    backoffMs = Math.min(backoffMs * 2, 5_000);
  }

  function connect(): void {
    if (closed || client || connecting) return;
    const next = new driver.Client({ connectionString: url });
    let dropped = false;
    const drop = () => {
      if (dropped) return;
      dropped = true;
      if (client === next) client = null;
      next.end().catch(() => {});
      retry();
    };
    // Without an error listener a server restart would end the process; here it only means reconnecting.
    next.on("error", drop);
    next.on("end", drop);
    next.on("notification", (message) => {
      if (!message.payload) return;
      if (message.channel === revisionChannel) deliver(message.payload);
      else if (message.channel === broadcastChannel) {
        for (const callback of broadcastSubscribers) callback(message.payload);
      }
    });
    connecting = next
      .connect()
      .then(() => next.query(`LISTEN ${revisionChannel}; LISTEN ${broadcastChannel}`))
      .then(() => {
        if (closed || dropped) return;
        client = next;
        backoffMs = 100;
        if (everConnected) for (const name of subscribers.keys()) deliver(name);
        everConnected = true;
      })
      .catch(drop)
      .finally(() => {
        connecting = null;
        if (closed) next.end().catch(() => {});
      });
  }

  return {
    listen(name, callback) {
      const set = subscribers.get(name) ?? new Set();
      subscribers.set(name, set);
      set.add(callback);
      connect();
      return () => {
        set.delete(callback);
      };
    },
    async subscribe(callback) {
      broadcastSubscribers.add(callback);
      connect();
      // Listening before the server takes requests: what the others send from then on arrives. A database
      // that is away does not hold the start up; the listener keeps trying.
      await connecting;
      return () => {
        broadcastSubscribers.delete(callback);
      };
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await connecting?.catch(() => {});
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
