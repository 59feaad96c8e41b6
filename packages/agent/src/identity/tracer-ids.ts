import type { KeyValueStore } from "./agent-storage.js";
import { randomId } from "./random-id.js";

/** A session ends after 30 minutes without events (Pendo's `inactivityDuration`). */
export const sessionIdleMs = 30 * 60 * 1000;

const tabKey = "pendo_tabId";
const sessionKey = "pendo_sessionId";

/**
 * The ids agent-wire.md §5 puts on every event: `tabId` (per tab, kept in sessionStorage), `frameId` (per
 * window, in memory), `sessionId` (rotates after 30 idle minutes or when a known visitor changes).
 */
export interface TracerIds {
  readonly frameId: string;
  tabId(): string;
  /** The session id for an event happening now; touching it keeps the session alive. */
  sessionId(): string;
  newSession(): void;
}

export function tracerIds(session: KeyValueStore, now: () => number): TracerIds {
  const frameId = randomId();
  const readSession = (): { id: string; last: number } | null => {
    try {
      const parsed = JSON.parse(session.get(sessionKey) ?? "null") as { id?: unknown; last?: unknown } | null;
      return parsed && typeof parsed.id === "string" && typeof parsed.last === "number"
        ? { id: parsed.id, last: parsed.last }
        : null;
    } catch {
      return null;
    }
  };
  const writeSession = (id: string): string => {
    session.set(sessionKey, JSON.stringify({ id, last: now() }));
    return id;
  };
  return {
    frameId,
    tabId() {
      const existing = session.get(tabKey);
      if (existing) return existing;
      const id = randomId();
      session.set(tabKey, id);
      return id;
    },
    sessionId() {
      const current = readSession();
      return writeSession(current && now() - current.last < sessionIdleMs ? current.id : randomId());
    },
    newSession() {
      writeSession(randomId());
    },
  };
}
