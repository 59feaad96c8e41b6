import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import { type RevisionListener, watchRevision } from "../../store/metadata/revision-watcher.js";
import { doNotProcessRevisionName, listDoNotProcess } from "./do-not-process.js";

/**
 * The visitors marked "do not process", every subscription's, in memory: the loader asks for each beacon it
 * prepares, without waiting. Read in full at start and again whenever the `do_not_process` revision moves
 * (a mark set or cleared on any server), so a change applies everywhere within the poll interval (at once on
 * PostgreSQL). Until a new reading is in, the previous one answers.
 */
export interface DoNotProcessCache {
  /** The subscription's marked visitors, or undefined when it has none. */
  visitorsOf(subscriptionId: string): readonly string[] | undefined;
  /** Whether the visitor is marked, without a scan of the list. */
  isMarked(subscriptionId: string, visitorId: string): boolean;
  /** Resolves once the first reading is in (or failed: then nobody is marked until the next one). */
  ready(): Promise<void>;
  close(): void;
}

export function createDoNotProcessCache(
  db: Kysely<MetadataSchema>,
  options: { pollMs?: number; onRevision?: RevisionListener; onError?: (error: unknown) => void } = {},
): DoNotProcessCache {
  let bySubscription = new Map<string, string[]>();
  let asSets = new Map<string, ReadonlySet<string>>();
  // A reading that started before a change must not replace one that started after it.
  let started = 0;
  let applied = 0;

  async function read(): Promise<void> {
    const reading = ++started;
    try {
      const next = new Map<string, string[]>();
      for (const { subscriptionId, visitorId } of await listDoNotProcess(db)) {
        const visitors = next.get(subscriptionId) ?? [];
        visitors.push(visitorId);
        next.set(subscriptionId, visitors);
      }
      if (reading > applied) {
        applied = reading;
        bySubscription = next;
        asSets = new Map([...next].map(([subscriptionId, visitors]) => [subscriptionId, new Set(visitors)]));
      }
    } catch (error) {
      options.onError?.(error);
    }
  }

  // The watcher's first reading of the revision comes before the first reading of the marks: a mark set
  // between the two is in the marks read, or moves the revision past what the watcher read.
  const watcher = watchRevision(
    db,
    doNotProcessRevisionName,
    options.pollMs ?? 250,
    () => void read(),
    options.onRevision,
  );
  const first = (async () => {
    await watcher.ready()?.catch(() => {}); // a store that cannot be read is reported by the reading below
    await read();
  })();

  return {
    visitorsOf: (subscriptionId) => bySubscription.get(subscriptionId),
    isMarked: (subscriptionId, visitorId) => asSets.get(subscriptionId)?.has(visitorId) ?? false,
    ready: () => first,
    close: () => watcher.close(),
  };
}
