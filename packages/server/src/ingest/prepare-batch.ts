import type { MessagePort } from "node:worker_threads";
import { isbot } from "isbot";
import {
  compileExcludeRules,
  type ExcludeMatcher,
  type ExcludePattern,
} from "../access/exclude/exclude-rules.js";
import { decodeJzb, JzbError, parseInflatedJzb } from "../collect/jzb.js";
import { eventRowsNdjson, packRowsBytes } from "../store/events/event-rows.js";
import type { StoredEvent } from "../store/events/stored-event.js";
import type { ProfilePatches } from "../store/profiles/profile-records.js";
import { type BeaconIdentity, type DropReason, normaliseAgentEvent } from "./agent-event.js";
import { profilePatches } from "./profile-patches.js";

/** One request may carry at most this many events (the agent sends about 8). */
export const maxEventsPerRequest = 2_000;

/** What the route knows about a beacon before its payload is opened; plain data, so a worker can take it. */
export interface BeaconContext {
  readonly jzb: string;
  /** Identifies the payload (a hash of the jzb), so a re-sent batch is recognised. */
  readonly batchKey: string;
  readonly subscriptionId: string;
  readonly appId: string;
  readonly receivedAt: number;
  readonly ip: string;
  readonly userAgent: string | null;
  /** `track` for `type=track` on ptm.gif, `agentic` for agentic.gif. */
  readonly forcedType?: string;
  readonly excludeRules: readonly ExcludePattern[];
  /** Only for an app that requires a signed visitor identity on events. */
  readonly identity?: BeaconIdentity;
}

/** A chunk of logged beacons for the prepare worker; `inflated[i]`, when set, is `contexts[i].jzb` inflated. */
export interface PrepareTask {
  readonly contexts: readonly BeaconContext[];
  readonly inflated: readonly (Uint8Array | undefined)[];
  /** The visitors marked "do not process" of the task's subscriptions (those that have any): their events are dropped. */
  readonly doNotProcess?: Readonly<Record<string, readonly string[]>>;
  /** Told (one message) when the worker starts on the task, so the time limit leaves out queueing. */
  readonly started?: MessagePort;
}

/** A beacon's events, validated, enriched and serialised, ready for the ingest log. */
export interface PreparedBatch {
  /** The events as newline-delimited rows, bytes as the sink loads them (store/events/event-rows.ts). */
  readonly rows: Uint8Array;
  readonly count: number;
  readonly profiles: ProfilePatches;
  readonly drops: Partial<Record<DropReason, number>>;
}

type PrepareResult =
  | { readonly ok: true; readonly batch: Omit<PreparedBatch, "rows">; readonly rows: string }
  | { readonly ok: false; readonly reason: JzbError["reason"] | "too_many_events"; readonly message: string };

const botAgents = new Map<string, boolean>();

/** isbot runs one large regular expression; user agents repeat a lot, so answers are remembered (bounded). */
function isBotAgent(userAgent: string): boolean {
  let answer = botAgents.get(userAgent);
  if (answer === undefined) {
    answer = isbot(userAgent);
    if (botAgents.size >= 1_000) botAgents.clear();
    botAgents.set(userAgent, answer);
  }
  return answer;
}

const matchers = new Map<string, ExcludeMatcher>();

/** Rules arrive as data; each distinct list is compiled once per thread. */
function matcherFor(rules: readonly ExcludePattern[]): ExcludeMatcher {
  const key = JSON.stringify(rules);
  let matcher = matchers.get(key);
  if (!matcher) {
    if (matchers.size >= 100) matchers.clear();
    matcher = compileExcludeRules(rules);
    matchers.set(key, matcher);
  }
  return matcher;
}

/**
 * Everything a beacon costs besides HTTP and the log write: decode the jzb, validate every event (invalid
 * ones are counted, not stored), enrich (bot flag, Exclude List), serialise the rows and fold the visitor
 * and account changes. Pure, so it runs on a worker thread (prepare-pool.ts) as well as in tests.
 */
/** What one beacon is prepared with besides its own context. */
interface PrepareExtras {
  readonly doNotProcess?: ReadonlySet<string>;
}

function prepareBeacon(
  context: BeaconContext,
  inflated: Uint8Array | undefined,
  extras: PrepareExtras,
): PrepareResult {
  let decoded: unknown;
  try {
    decoded = inflated ? parseInflatedJzb(inflated) : decodeJzb(context.jzb);
  } catch (error) {
    if (error instanceof JzbError) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
  const batch = Array.isArray(decoded) ? decoded : [decoded];
  if (batch.length > maxEventsPerRequest) {
    return {
      ok: false,
      reason: "too_many_events",
      message: `At most ${maxEventsPerRequest} events per request.`,
    };
  }
  const received = {
    subscriptionId: context.subscriptionId,
    appId: context.appId,
    receivedAt: context.receivedAt,
    ip: context.ip,
    userAgent: context.userAgent,
    isBot: context.userAgent !== null && isBotAgent(context.userAgent),
    batchKey: context.batchKey,
    exclude: matcherFor(context.excludeRules),
    ...(extras.doNotProcess ? { doNotProcess: extras.doNotProcess } : {}),
    ...(context.forcedType ? { forcedType: context.forcedType } : {}),
    ...(context.identity ? { identity: context.identity } : {}),
  };
  const events: StoredEvent[] = [];
  const drops: Partial<Record<DropReason, number>> = {};
  for (const raw of batch) {
    const normalised = normaliseAgentEvent(raw, received);
    if (normalised.ok) events.push(normalised.event);
    else drops[normalised.reason] = (drops[normalised.reason] ?? 0) + 1;
  }
  return {
    ok: true,
    rows: eventRowsNdjson(events),
    // An unsigned event is stored flagged, but does not speak for the visitor: no metadata, alias or visit.
    batch: {
      count: events.length,
      profiles: profilePatches(context.identity ? events.filter((e) => !e.unsignedIdentity) : events),
      drops,
    },
  };
}

/** What a whole beacon that is skipped leaves: no rows, no profile changes, one drop of that reason. */
export function skippedBeacon(reason: "undecodable" | "prepare_timeout"): PreparedBatch {
  return {
    rows: new Uint8Array(0),
    count: 0,
    profiles: { visitors: [], accounts: [], aliases: [] },
    drops: { [reason]: 1 },
  };
}

/**
 * Logged beacons, one prepared batch each. A beacon that no longer decodes (it did when it was
 * acknowledged) becomes an empty batch with an `undecodable` drop, never an exception.
 */
export function prepareEach(
  contexts: readonly BeaconContext[],
  inflated: readonly (Uint8Array | undefined)[] = [],
  doNotProcess: Readonly<Record<string, readonly string[]>> = {},
): PreparedBatch[] {
  const marked = new Map<string, ReadonlySet<string>>();
  const extrasOf = (subscriptionId: string): PrepareExtras => {
    const visitors = doNotProcess[subscriptionId];
    if (!visitors || visitors.length === 0) return {};
    let set = marked.get(subscriptionId);
    if (!set) {
      set = new Set(visitors);
      marked.set(subscriptionId, set);
    }
    return { doNotProcess: set };
  };
  const results = contexts.map((context, index) =>
    prepareBeacon(context, inflated[index], extrasOf(context.subscriptionId)),
  );
  const rows = packRowsBytes(results.map((result) => (result.ok ? result.rows : "")));
  return results.map((result, index) => {
    const bytes = rows[index] ?? new Uint8Array(0);
    return result.ok ? { ...result.batch, rows: bytes } : skippedBeacon("undecodable");
  });
}
