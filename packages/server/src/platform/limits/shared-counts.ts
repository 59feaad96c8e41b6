import { randomUUID } from "node:crypto";

/**
 * Short messages to every server of an installation, this one included (PostgreSQL NOTIFY). Delivery is best
 * effort: what is sent while a server's listening connection is down never reaches it.
 */
export interface Broadcast {
  publish(messages: readonly string[]): Promise<void>;
  /** Resolves once listening (or the first try failed), with the function that stops it. */
  subscribe(callback: (message: string) => void): Promise<() => void>;
}

/**
 * The in-memory counts that limit clients (requests per app and address, failed sign-ins, the feedback panel's
 * ideas and votes) and the memory of recent beacons, shared between the servers of an installation: each
 * server decides on its own counts at once, and every `flushMs` sends what it counted to the others, which add
 * it to theirs. A client spreading requests over N servers is limited as if it used one, give or take what the
 * others admitted within that interval. One server on its own (SQLite) shares nothing.
 */
export interface SharedCounts {
  /**
   * A named stream of counts by key. The answer sends `delta` for `key` to the other servers; `onRemote` is
   * called with what the others sent, summed per key over their interval.
   */
  stream(name: string, onRemote: (key: string, delta: number, nowMs: number) => void): CountSender;
  /** Sends what is still pending, then stops. */
  close(): Promise<void>;
}

export type CountSender = (key: string, delta: number) => void;

export const unsharedCounts: SharedCounts = {
  stream: () => () => {},
  close: async () => {},
};

export interface SharedCountsOptions {
  /** How often counts are sent (default 250 ms). */
  readonly flushMs?: number;
  /** Keys pending at most between sends (default 50,000); past it, a send starts at once. */
  readonly maxPending?: number;
  /** Failures to send (the database away) are reported here; the counts are dropped, not retried. */
  readonly onError?: (error: unknown) => void;
}

/** NOTIFY payloads must stay under 8,000 bytes. */
const maxMessageBytes = 7_000;

/** A message: the sender, then `[stream, key, delta]` triples. */
interface CountsMessage {
  readonly from: string;
  readonly counts: ReadonlyArray<readonly [string, string, number]>;
}

function isCountsMessage(value: unknown): value is CountsMessage {
  if (typeof value !== "object" || value === null) return false;
  const { from, counts } = value as Partial<CountsMessage>;
  return typeof from === "string" && Array.isArray(counts);
}

/** Packs the counts into as few messages of at most `maxMessageBytes` as a single pass makes. */
export function packCounts(from: string, counts: Iterable<readonly [string, string, number]>): string[] {
  const messages: string[] = [];
  const head = `{"from":${JSON.stringify(from)},"counts":[`;
  const headBytes = Buffer.byteLength(head, "utf8") + 3; // and the closing `]}` and a comma
  let body = "";
  let bodyBytes = 0;
  for (const count of counts) {
    const item = JSON.stringify(count);
    const itemBytes = Buffer.byteLength(item, "utf8");
    // Keys are short (an address, an app key, an e-mail, a batch key); one too long to ever fit is not sent.
    if (headBytes + itemBytes > maxMessageBytes) continue;
    if (body && headBytes + bodyBytes + itemBytes > maxMessageBytes) {
      messages.push(`${head}${body}]}`);
      body = "";
      bodyBytes = 0;
    }
    body += body ? `,${item}` : item;
    bodyBytes += itemBytes + 1;
  }
  if (body) messages.push(`${head}${body}]}`);
  return messages;
}

export async function createSharedCounts(
  broadcast: Broadcast,
  options: SharedCountsOptions = {},
): Promise<SharedCounts> {
  const flushMs = options.flushMs ?? 250;
  const maxPending = options.maxPending ?? 50_000;
  const serverId = randomUUID();
  const receivers = new Map<string, (key: string, delta: number, nowMs: number) => void>();
  let pending = new Map<string, Map<string, number>>();
  let pendingKeys = 0;
  let sending: Promise<void> = Promise.resolve();

  const unsubscribe = await broadcast.subscribe((message) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (!isCountsMessage(parsed) || parsed.from === serverId) return;
    const nowMs = Date.now();
    for (const count of parsed.counts) {
      if (!Array.isArray(count)) continue;
      const [name, key, delta] = count;
      const receive = typeof name === "string" ? receivers.get(name) : undefined;
      if (receive && typeof key === "string" && Number.isFinite(delta) && delta !== 0) {
        receive(key, delta, nowMs);
      }
    }
  });

  function flush(): Promise<void> {
    if (pendingKeys === 0) return sending;
    const batch = pending;
    pending = new Map();
    pendingKeys = 0;
    function* counts(): Generator<readonly [string, string, number]> {
      for (const [name, byKey] of batch) {
        for (const [key, delta] of byKey) if (delta !== 0) yield [name, key, delta];
      }
    }
    const messages = packCounts(serverId, counts());
    sending = sending
      .then(() => (messages.length > 0 ? broadcast.publish(messages) : undefined))
      .catch((error: unknown) => options.onError?.(error));
    return sending;
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    stream(name, onRemote) {
      receivers.set(name, onRemote);
      return (key, delta) => {
        let byKey = pending.get(name);
        if (!byKey) {
          byKey = new Map();
          pending.set(name, byKey);
        }
        const before = byKey.get(key);
        if (before === undefined) pendingKeys += 1;
        byKey.set(key, (before ?? 0) + delta);
        if (pendingKeys >= maxPending) void flush();
      };
    },
    async close() {
      clearInterval(timer);
      await flush();
      unsubscribe();
    },
  };
}
