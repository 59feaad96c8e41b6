import { appendFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CairnError } from "../errors/cairn-error.js";
import type { EventStore } from "../store/events/event-store.js";
import type { StoredEvent, VisitorAlias } from "../store/events/stored-event.js";
import { type LogRecord, openIngestLog } from "./ingest-log.js";
import { profilePatches } from "./profile-patches.js";

export interface IngestWriterOptions {
  /** Events moved into the event store by one append, at most. */
  readonly maxLoadBatch?: number;
  /**
   * Loads start at most this often unless a full batch waits or a flush asks. Each load is a DuckDB commit
   * with its own fsync; on a shared disk (ext4 orders data writes into journal commits) frequent commits
   * make the log's fsync, which every acknowledgement waits for, many times slower.
   */
  readonly loadIntervalMs?: number;
  /**
   * Past this many events acknowledged (or being logged) but not yet in the event store, new writes are
   * refused at once (the caller answers 503 with Retry-After) instead of queueing without bound.
   */
  readonly maxPending?: number;
  readonly segmentBytes?: number;
  /** Told about a failed load into the event store (it is retried; the events stay in the log). */
  readonly onLoadError?: (error: unknown, attempt: number) => void;
  /** Told about a record the event store refused on its own, several times; it goes to the rejected file. */
  readonly onRejected?: (file: string, events: number) => void;
}

export interface IngestWriter {
  /** Resolves once these events (and aliases) are durable in the acknowledgement log. */
  write(events: readonly StoredEvent[], aliases?: readonly VisitorAlias[]): Promise<void>;
  /** Resolves once everything acknowledged so far is in the event store (readable). */
  flush(): Promise<void>;
  /** Events accepted but not yet in the event store. */
  pending(): number;
  /** Events found in the log at start that had not reached the event store, and were loaded then. */
  readonly replayed: number;
  /** Finishes logging, tries to load what is left (it stays in the log for the next start if that fails). */
  close(options?: { loadTimeoutMs?: number }): Promise<void>;
}

interface Pending {
  readonly sequence: number;
  readonly events: readonly StoredEvent[];
  readonly aliases: readonly VisitorAlias[];
}

interface LogPayload {
  readonly e: StoredEvent[];
  readonly a?: VisitorAlias[];
}

function decode(record: LogRecord): Pending {
  const payload = JSON.parse(record.payload.toString("utf8")) as LogPayload;
  return { sequence: record.sequence, events: payload.e, aliases: payload.a ?? [] };
}

/**
 * Ingest's write path. A request's events go to the acknowledgement log (group fsync) and the request is
 * answered; a loader behind it moves everything logged into the event store in large appends, each of which
 * records how far the log is loaded in the same transaction, so a crash between the two neither loses nor
 * doubles anything. At start, what the log holds past that point is loaded before anything else happens.
 */
export async function openIngestWriter(
  store: EventStore,
  logDir: string,
  options: IngestWriterOptions = {},
): Promise<IngestWriter> {
  const maxLoadBatch = options.maxLoadBatch ?? 100_000;
  const loadIntervalMs = options.loadIntervalMs ?? 250;
  const maxPending = options.maxPending ?? 250_000;
  const { log, unloaded } = await openIngestLog(logDir, await store.loadedLogSequence(), {
    segmentBytes: options.segmentBytes,
  });

  const toLoad: Pending[] = unloaded.map(decode);
  let toLoadCount = toLoad.reduce((sum, p) => sum + p.events.length, 0);
  let loggingCount = 0;
  const logging = new Set<Promise<unknown>>();
  let loading: Promise<void> | null = null;
  let stopLoading = false;

  /** A record the store refused alone, again and again, is set aside (kept, never silently lost). */
  async function reject(record: Pending): Promise<void> {
    const file = path.join(logDir, "rejected.jsonl");
    await appendFile(
      file,
      `${JSON.stringify({ sequence: record.sequence, e: record.events, a: record.aliases })}\n`,
      {
        flush: true,
      },
    );
    await store.append([], { logSequence: record.sequence });
    options.onRejected?.(file, record.events.length);
  }

  /** Cuts the wait between loads short (flush, close, a full batch). */
  let hurry: (() => void) | null = null;
  let lastLoadAt = 0;

  async function paced(): Promise<void> {
    const wait = lastLoadAt + loadIntervalMs - Date.now();
    if (wait <= 0 || toLoadCount >= maxLoadBatch) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      hurry = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    hurry = null;
  }

  async function loadLoop(): Promise<void> {
    let failures = 0;
    while (toLoad.length > 0 && !stopLoading) {
      if (failures === 0) await paced();
      lastLoadAt = Date.now();
      // After a failure, records go one at a time, so one bad record cannot hold back the rest.
      let take = 0;
      let count = 0;
      const limit = failures > 0 ? 1 : toLoad.length;
      while (take < limit && (take === 0 || count + (toLoad[take]?.events.length ?? 0) <= maxLoadBatch)) {
        count += toLoad[take]?.events.length ?? 0;
        take++;
      }
      const records = toLoad.slice(0, take);
      const last = records[records.length - 1];
      if (!last) break;
      try {
        if (failures >= 4 && take === 1) await reject(last);
        else {
          const events = records.flatMap((r) => r.events);
          const profiles = profilePatches(
            events,
            records.flatMap((r) => r.aliases),
          );
          await store.append(events, { profiles, logSequence: last.sequence });
        }
        toLoad.splice(0, take);
        toLoadCount -= count;
        failures = 0;
        await log.trim(last.sequence);
      } catch (error) {
        failures++;
        options.onLoadError?.(error, failures);
        await sleep(Math.min(50 * 2 ** failures, 5_000));
      }
    }
    loading = null;
  }

  function scheduleLoad(): void {
    loading ??= loadLoop();
  }

  const replayed = toLoadCount;
  if (toLoad.length > 0) {
    scheduleLoad();
    while (loading) await loading;
  }

  return {
    replayed,
    write(events, aliases = []) {
      if (events.length === 0 && aliases.length === 0) return Promise.resolve();
      if (loggingCount + toLoadCount + events.length > maxPending) {
        return Promise.reject(
          new CairnError("overloaded", {
            message: "The server is writing a backlog of events and takes no more for a moment.",
            headers: { "retry-after": "1" },
          }),
        );
      }
      loggingCount += events.length;
      const payload: LogPayload =
        aliases.length > 0 ? { e: [...events], a: [...aliases] } : { e: [...events] };
      const logged = log.append(Buffer.from(JSON.stringify(payload))).then(
        (sequence) => {
          loggingCount -= events.length;
          // Appends resolve in sequence order, so the load queue stays in log order.
          toLoad.push({ sequence, events, aliases });
          toLoadCount += events.length;
          scheduleLoad();
          if (toLoadCount >= maxLoadBatch) hurry?.();
        },
        (error: unknown) => {
          loggingCount -= events.length;
          throw error;
        },
      );
      logging.add(logged);
      void logged.then(
        () => logging.delete(logged),
        () => logging.delete(logged),
      );
      return logged;
    },
    async flush() {
      await Promise.allSettled([...logging]);
      while (loading) {
        hurry?.();
        await loading;
      }
    },
    pending: () => loggingCount + toLoadCount,
    async close(closeOptions = {}) {
      await Promise.allSettled([...logging]);
      // What cannot be loaded in time stays in the log and is loaded at the next start.
      const timer = setTimeout(() => {
        stopLoading = true;
      }, closeOptions.loadTimeoutMs ?? 10_000);
      while (loading) {
        hurry?.();
        await loading;
      }
      clearTimeout(timer);
      stopLoading = true;
      await log.close();
    },
  };
}
