import { randomUUID } from "node:crypto";
import type { ExcludeMatcher } from "../access/exclude/exclude-rules.js";
import type { StoredEvent } from "../store/events/stored-event.js";
import { anonymousPrefix } from "./profile-patches.js";

/** Event types the agent's analytics queues send (agent-wire.md §5, §7.5). */
export const knownEventTypes = new Set([
  "load",
  "meta",
  "identify",
  "click",
  "focus",
  "submit",
  "change",
  "track",
  "prompt",
  "guideSeen",
  "guideActivity",
  "guideAdvanced",
  "guideDismissed",
  "guideSnoozed",
  "guideSnoozeCanceled",
  "guideTimeout",
  "guideNotSeen",
  "pollResponse",
]);

/** Visitor and account ids are kept (and matched against the Exclude List) to this many characters. */
export const maxIdLength = 512;
const maxAgenticTypeLength = 64;
const maxUrlLength = 8 * 1024;
const maxPropertiesLength = 64 * 1024;
const maxElementDepth = 32;

export type DropReason =
  | "not_an_object"
  | "unknown_type"
  | "no_visitor_id"
  | "bad_account_id"
  | "bad_url"
  | "properties_too_large"
  /** A whole logged beacon that no longer decodes (cannot happen unless the log was edited). */
  | "undecodable"
  /**
   * A whole logged beacon whose preparing outlasted the prepare time limit (`CAIRN_PREPARE_TIMEOUT_MS`): its
   * worker thread was stopped and replaced, and the beacon is skipped, so a replay cannot hang on it again.
   */
  | "prepare_timeout"
  /** A beacon re-sent while the first copy was remembered: acknowledged again, stored once. */
  | "duplicate_batch"
  /** An identified visitor's event without the signed identity its app requires, which says `refuse`. */
  | "unsigned_identity"
  /** An event of a visitor marked "do not process" (Pendo's `donotprocess` flag): never stored. */
  | "do_not_process";

/** A dropped event is a value, counted by reason, never an exception (STYLE.md: PostHog's ingestion). */
export type NormalisedEvent =
  | { readonly ok: true; readonly event: StoredEvent }
  | { readonly ok: false; readonly reason: DropReason };

export interface ReceivedContext {
  readonly subscriptionId: string;
  readonly appId: string;
  readonly receivedAt: number;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly isBot: boolean;
  readonly batchKey: string | null;
  /** The subscription's Exclude List: matching events are stored flagged, so reads can leave them out. */
  readonly exclude?: ExcludeMatcher;
  /** The queue it came from: `type=track` on ptm.gif, or the agentic queue. */
  readonly forcedType?: string;
  /** Set when the app requires a signed visitor identity on events (beacon-identity.ts). */
  readonly identity?: BeaconIdentity;
  /** The subscription's visitors marked "do not process", when it has any. */
  readonly doNotProcess?: ReadonlySet<string>;
}

/** What the route found of the beacon's identity token, for an app that requires one on events. */
export interface BeaconIdentity {
  /** The visitor a valid token vouched for; null without one (none, expired, forged: all the same here). */
  readonly signedVisitorId: string | null;
  /** What becomes of an identified visitor's event the token does not cover. */
  readonly unsigned: "flag" | "refuse";
}

/**
 * True when the event claims an identified visitor that no valid token vouched for. Anonymous visitors
 * (`_PENDO_T_…`) need none: their ids are the browser's own and claim no one's identity.
 */
function unsignedVisitor(identity: BeaconIdentity | undefined, visitorId: string): boolean {
  return (
    identity !== undefined && visitorId !== identity.signedVisitorId && !visitorId.startsWith(anonymousPrefix)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown, max: number): string | null {
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : null;
}

/**
 * A track event's name; for an agentic event (agentic.gif, `POST /data/agentic`), the conversation event's own
 * type (`prompt`, `agent_response`, `user_reaction`…), which the forced type `agentic` replaces.
 */
function nameOf(type: string, raw: Record<string, unknown>): string | null {
  if (type === "track") return text(raw.track_event_name, 1024) ?? "_PENDO_UNNAMED_";
  if (type === "agentic") return text(raw.type, maxAgenticTypeLength);
  return null;
}

/** `BUTTON#signup.btn.btn-primary < DIV#toolbar.toolbar.main < BODY`: the clicked element and its ancestors. */
export function elementPath(target: unknown): string | null {
  const parts: string[] = [];
  let node: unknown = target;
  while (isRecord(node) && parts.length < maxElementDepth) {
    const tag = typeof node.tag === "string" ? node.tag : "?";
    const id = typeof node.id === "string" && node.id ? `#${node.id}` : "";
    const classes =
      typeof node.cls === "string" && node.cls.trim() ? `.${node.cls.trim().replace(/\s+/g, ".")}` : "";
    parts.push(`${tag}${id}${classes}`);
    node = node.parentElem;
  }
  return parts.length > 0 ? parts.join(" < ") : null;
}

/** Validates one event from a decoded batch and shapes it into the stored row. */
export function normaliseAgentEvent(raw: unknown, context: ReceivedContext): NormalisedEvent {
  if (!isRecord(raw)) return { ok: false, reason: "not_an_object" };
  const type = context.forcedType ?? raw.type;
  if (typeof type !== "string" || (!context.forcedType && !knownEventTypes.has(type)))
    return { ok: false, reason: "unknown_type" };
  const visitorId = text(raw.visitor_id, maxIdLength);
  if (visitorId === null) return { ok: false, reason: "no_visitor_id" };
  if (context.doNotProcess?.has(visitorId)) return { ok: false, reason: "do_not_process" };
  const unsigned = unsignedVisitor(context.identity, visitorId);
  if (unsigned && context.identity?.unsigned === "refuse") return { ok: false, reason: "unsigned_identity" };
  if (raw.account_id !== undefined && raw.account_id !== null && typeof raw.account_id !== "string") {
    return { ok: false, reason: "bad_account_id" };
  }
  if (raw.url !== undefined && typeof raw.url !== "string") return { ok: false, reason: "bad_url" };
  const props = isRecord(raw.props) ? raw.props : {};
  const {
    type: _type,
    visitor_id: _v,
    account_id: _a,
    url: _u,
    browser_time: _t,
    track_event_name: _n,
    ...rest
  } = raw;
  // Everything else stays, the full element chain included: retroactive feature rules match on it later.
  const properties = JSON.stringify(rest);
  if (properties.length > maxPropertiesLength) return { ok: false, reason: "properties_too_large" };
  // Stored and matched against the Exclude List as truncated: a rule never sees more than is kept.
  const accountId = text(raw.account_id, maxIdLength);
  const url = text(raw.url, maxUrlLength);
  const browserTime =
    typeof raw.browser_time === "number" && Number.isFinite(raw.browser_time)
      ? raw.browser_time
      : context.receivedAt;
  return {
    ok: true,
    event: {
      eventId: randomUUID(),
      subscriptionId: context.subscriptionId,
      appId: context.appId,
      type,
      visitorId,
      accountId,
      // A client clock far off (or hostile) must not place events in another decade.
      occurredAt:
        Math.abs(browserTime - context.receivedAt) > 7 * 24 * 3600_000 ? context.receivedAt : browserTime,
      receivedAt: context.receivedAt,
      url,
      title: null,
      elementPath: elementPath(props.target),
      trackName: nameOf(type, raw),
      ip: context.ip,
      userAgent: context.userAgent,
      isBot: context.isBot,
      excluded: context.exclude?.isExcluded({ ip: context.ip, visitorId, accountId, url }) ?? false,
      batchKey: context.batchKey,
      properties,
      ...(unsigned ? { unsignedIdentity: true } : {}),
    },
  };
}
