import Bowser from "bowser";
import type { StoredEvent } from "../store/events/stored-event.js";
import type { GuideStatePatch } from "../store/profiles/guide-step-states.js";
import type {
  AccountPatch,
  CustomMetadataPatch,
  ProfilePatches,
  VisitorAlias,
  VisitorPatch,
} from "../store/profiles/profile-records.js";
import { mergeCustomMetadata } from "./custom-metadata-patches.js";
import { guideStatePatch, isGuideStateEvent } from "./guide-state-patches.js";

export const anonymousPrefix = "_PENDO_T_";
const maxMetadataFields = 256;
const maxFieldNameLength = 128;
const maxTextValueLength = 2_048;

interface ParsedAgent {
  readonly browserName: string | null;
  readonly browserVersion: string | null;
  readonly operatingSystem: string | null;
}

const parsedAgents = new Map<string, ParsedAgent>();

/** User agents repeat a lot, so parses are remembered (bounded). */
function parseUserAgent(userAgent: string): ParsedAgent {
  let parsed = parsedAgents.get(userAgent);
  if (!parsed) {
    const result = Bowser.parse(userAgent);
    parsed = {
      browserName: result.browser.name ?? null,
      browserVersion: result.browser.version ?? null,
      operatingSystem: result.os.name ?? null,
    };
    if (parsedAgents.size >= 1_000) parsedAgents.clear();
    parsedAgents.set(userAgent, parsed);
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/**
 * Metadata values are strings, numbers and booleans, or arrays of them (Pendo's agent sends nothing else);
 * anything else is left out, as are `id` (it is the key) and oversized names and values.
 */
export function cleanMetadata(fields: unknown): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  if (!isRecord(fields)) return clean;
  let count = 0;
  for (const [name, value] of Object.entries(fields)) {
    if (name === "id" || name.length === 0 || name.length > maxFieldNameLength) continue;
    if (count >= maxMetadataFields) break;
    if (isScalar(value)) {
      clean[name] = typeof value === "string" ? value.slice(0, maxTextValueLength) : value;
    } else if (Array.isArray(value)) {
      clean[name] = value.filter(isScalar).slice(0, 100);
    } else continue;
    count++;
  }
  return clean;
}

let lastUrl: string | null = null;
let lastHost: string | null = null;

/** Events of a batch usually share their page URL, so the last one parsed is remembered. */
function hostOf(url: string | null): string | null {
  if (!url) return null;
  if (url === lastUrl) return lastHost;
  let host: string | null;
  try {
    host = new URL(url).hostname || null;
  } catch {
    host = null;
  }
  lastUrl = url;
  lastHost = host;
  return host;
}

function propsOf(event: StoredEvent): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(event.properties);
    return isRecord(parsed) && isRecord(parsed.props) ? parsed.props : {};
  } catch {
    return {};
  }
}

type MutableVisitor = { -readonly [K in keyof VisitorPatch]: VisitorPatch[K] } & {
  meta: Record<string, unknown> | null;
};
type MutableAccount = { -readonly [K in keyof AccountPatch]: AccountPatch[K] } & {
  meta: Record<string, unknown> | null;
};

/**
 * Folds one load's events into one patch per visitor and per account (so the store upserts each key once),
 * and collects anonymous → identified aliases: from `identify` events (agent-wire.md §5.3) and the ones
 * passed in (a guide request's `oldVisitorId`, §6); and guide step states from guide events (§7.4), one
 * patch per event, in event order.
 */
export function profilePatches(
  events: readonly StoredEvent[],
  aliases: readonly VisitorAlias[] = [],
): ProfilePatches {
  const visitors = new Map<string, MutableVisitor>();
  const accounts = new Map<string, MutableAccount>();
  const aliasesOut: VisitorAlias[] = [...aliases];
  const guideStates: GuideStatePatch[] = [];

  for (const event of events) {
    const visitorKey = `${event.subscriptionId}\u0000${event.visitorId}`;
    let visitor = visitors.get(visitorKey);
    const seenLater = !visitor || event.occurredAt >= visitor.lastVisit;
    if (!visitor) {
      visitor = {
        subscriptionId: event.subscriptionId,
        visitorId: event.visitorId,
        firstVisit: event.occurredAt,
        lastVisit: event.occurredAt,
        lastAppId: event.appId,
        lastAccountId: null,
        lastUserAgent: null,
        lastBrowserName: null,
        lastBrowserVersion: null,
        lastOperatingSystem: null,
        lastServerName: null,
        agentMetadata: null,
        meta: null,
      };
      visitors.set(visitorKey, visitor);
    }
    visitor.firstVisit = Math.min(visitor.firstVisit, event.occurredAt);
    if (seenLater) {
      visitor.lastVisit = event.occurredAt;
      visitor.lastAppId = event.appId;
      visitor.lastAccountId = event.accountId ?? visitor.lastAccountId;
      visitor.lastServerName = hostOf(event.url) ?? visitor.lastServerName;
      if (event.userAgent) {
        const agent = parseUserAgent(event.userAgent);
        visitor.lastUserAgent = event.userAgent;
        visitor.lastBrowserName = agent.browserName;
        visitor.lastBrowserVersion = agent.browserVersion;
        visitor.lastOperatingSystem = agent.operatingSystem;
      }
    }

    let account: MutableAccount | undefined;
    if (event.accountId) {
      const accountKey = `${event.subscriptionId}\u0000${event.accountId}`;
      account = accounts.get(accountKey);
      if (!account) {
        account = {
          subscriptionId: event.subscriptionId,
          accountId: event.accountId,
          firstVisit: event.occurredAt,
          lastVisit: event.occurredAt,
          agentMetadata: null,
          meta: null,
        };
        accounts.set(accountKey, account);
      }
      account.firstVisit = Math.min(account.firstVisit, event.occurredAt);
      account.lastVisit = Math.max(account.lastVisit, event.occurredAt);
    }

    if (isGuideStateEvent(event.type)) {
      const patch = guideStatePatch(event, propsOf(event));
      if (patch) guideStates.push(patch);
    } else if (event.type === "meta") {
      // A meta event carries the options of one call, not the whole record: merge it (agent-wire.md §5.2).
      const props = propsOf(event);
      visitor.meta = { ...visitor.meta, ...cleanMetadata(props.visitor) };
      if (account) account.meta = { ...account.meta, ...cleanMetadata(props.account) };
    } else if (event.type === "identify") {
      const oldId = propsOf(event).old_visitor_id;
      if (
        typeof oldId === "string" &&
        oldId.startsWith(anonymousPrefix) &&
        !event.visitorId.startsWith(anonymousPrefix)
      ) {
        aliasesOut.push({
          subscriptionId: event.subscriptionId,
          anonymousId: oldId,
          visitorId: event.visitorId,
          aliasedAt: event.occurredAt,
        });
      }
    }
  }

  const toPatch = <T extends { meta: Record<string, unknown> | null }>({ meta, ...rest }: T) => ({
    ...rest,
    agentMetadata: meta === null ? null : JSON.stringify(meta),
  });
  return {
    visitors: [...visitors.values()].map(toPatch),
    accounts: [...accounts.values()].map(toPatch),
    aliases: aliasesOut,
    ...(guideStates.length > 0 ? { guideStates } : {}),
  };
}

function mergeMetadata(first: string | null, second: string | null): string | null {
  if (first === null) return second;
  if (second === null) return first;
  return JSON.stringify({ ...JSON.parse(first), ...JSON.parse(second) });
}

/**
 * Several batches' patches as one, in order (a later batch's metadata wins, the later visit sets the
 * last-seen fields), so one load upserts each visitor and account once.
 */
export function mergeProfilePatches(all: readonly ProfilePatches[]): ProfilePatches {
  if (all.length === 1 && all[0]) return all[0];
  const visitors = new Map<string, VisitorPatch>();
  const accounts = new Map<string, AccountPatch>();
  const aliases: VisitorAlias[] = [];
  const custom: CustomMetadataPatch[] = [];
  // Not folded: the store applies them in order, the newest browser time winning per step.
  const guideStates: GuideStatePatch[] = [];
  for (const patches of all) {
    for (const next of patches.visitors) {
      const key = `${next.subscriptionId}\u0000${next.visitorId}`;
      const seen = visitors.get(key);
      if (!seen) {
        visitors.set(key, next);
        continue;
      }
      const later = next.lastVisit >= seen.lastVisit ? next : seen;
      const earlier = later === next ? seen : next;
      visitors.set(key, {
        ...later,
        firstVisit: Math.min(seen.firstVisit, next.firstVisit),
        lastAccountId: later.lastAccountId ?? earlier.lastAccountId,
        lastUserAgent: later.lastUserAgent ?? earlier.lastUserAgent,
        lastBrowserName: later.lastUserAgent ? later.lastBrowserName : earlier.lastBrowserName,
        lastBrowserVersion: later.lastUserAgent ? later.lastBrowserVersion : earlier.lastBrowserVersion,
        lastOperatingSystem: later.lastUserAgent ? later.lastOperatingSystem : earlier.lastOperatingSystem,
        lastServerName: later.lastServerName ?? earlier.lastServerName,
        agentMetadata: mergeMetadata(seen.agentMetadata, next.agentMetadata),
      });
    }
    for (const next of patches.accounts) {
      const key = `${next.subscriptionId}\u0000${next.accountId}`;
      const seen = accounts.get(key);
      accounts.set(
        key,
        seen
          ? {
              ...next,
              firstVisit: Math.min(seen.firstVisit, next.firstVisit),
              lastVisit: Math.max(seen.lastVisit, next.lastVisit),
              agentMetadata: mergeMetadata(seen.agentMetadata, next.agentMetadata),
            }
          : next,
      );
    }
    aliases.push(...patches.aliases);
    custom.push(...(patches.customMetadata ?? []));
    guideStates.push(...(patches.guideStates ?? []));
  }
  return {
    visitors: [...visitors.values()],
    accounts: [...accounts.values()],
    aliases,
    ...(custom.length > 0 ? { customMetadata: mergeCustomMetadata(custom) } : {}),
    ...(guideStates.length > 0 ? { guideStates } : {}),
  };
}
