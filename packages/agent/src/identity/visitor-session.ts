import type { EffectiveOptions, InitializeOptions, Metadata } from "../api/agent-options.js";
import {
  type IdentityStore,
  identityKeyNames,
  identityStore,
  type KeyValueStore,
  memoryStore,
  webStore,
} from "./agent-storage.js";
import { browserLanguage, type MetaProps, metadataHash, metaProps } from "./metadata.js";
import { type TracerIds, tracerIds } from "./tracer-ids.js";
import {
  accountPlaceholder,
  anonymousVisitorId,
  type IdentifyProps,
  type Ids,
  identifyProps,
  isAnonymousVisitor,
  realId,
  visitorPlaceholder,
} from "./visitor-ids.js";

/** What `initialize`, `identify` and `updateOptions` say of the visitor and account. */
export interface IdentityCall {
  visitor?: Metadata | undefined;
  account?: Metadata | undefined;
  parentAccount?: Metadata | undefined;
  /** The visitor's identity token, signed by the page's back end (Cairn's option; Pendo's agent ignores it). */
  identityToken?: string | undefined;
}

/**
 * Who the events are about: the visitor and account ids, what the page said of them, and the stores that
 * keep the ids (and the tab and session ids) across page loads.
 */
export interface VisitorSession {
  readonly visitorId: string;
  readonly accountId: string | null;
  /** What the page said of the visitor and account (kept while the ids stay), for the feedback panel's user. */
  readonly visitorMeta: Metadata;
  readonly accountMeta: Metadata;
  /** The last identity token the page gave (kept until another replaces it or the session is cleared). */
  readonly identityToken: string | null;
  /** The ids every event carries besides the visitor's; there once `open` has run. */
  readonly tracers: TracerIds;
  ids(): Ids;
  /** Opens this run's stores: Web Storage, or memory only (with old identity keys removed) when persistence is off. */
  open(options: EffectiveOptions): void;
  /** The ids an earlier page stored. */
  stored(): Ids;
  /** Switches to the call's ids (a new session when a known visitor changes); the `identify` event's props if one is due. */
  switchTo(call: IdentityCall, before: Ids): IdentifyProps | null;
  /** The `meta` event's props when the metadata differs from what was last sent, else undefined. */
  changedMeta(call: IdentityCall): MetaProps | undefined;
  /** `clearSession`: an anonymous visitor, no account, in a new session. */
  clear(): void;
}

/** The identity part of `initialize`'s options, legacy top-level `visitorId`/`accountId` included. */
export function identityCallOf(options: InitializeOptions): IdentityCall {
  return {
    visitor: options.visitor ?? (options.visitorId === undefined ? undefined : { id: options.visitorId }),
    account: options.account ?? (options.accountId === undefined ? undefined : { id: options.accountId }),
    parentAccount: options.parentAccount,
    identityToken: options.identityToken,
  };
}

function accountIdOf(call: IdentityCall): string | undefined {
  const account = realId(call.account?.id, accountPlaceholder);
  const parent = realId(call.parentAccount?.id, accountPlaceholder);
  return account !== undefined && parent !== undefined && account.indexOf("::") < 0
    ? `${parent}::${account}`
    : account;
}

export function createVisitorSession(win: Window, version: string, now: () => number): VisitorSession {
  let visitorId = "";
  let accountId: string | null = null;
  let identity: IdentityStore;
  let tracers: TracerIds;
  let visitorMeta: Metadata = {};
  let accountMeta: Metadata = {};
  let identityToken: string | null = null;

  return {
    get visitorId() {
      return visitorId;
    },
    get accountId() {
      return accountId;
    },
    get visitorMeta() {
      return visitorMeta;
    },
    get accountMeta() {
      return accountMeta;
    },
    get tracers() {
      return tracers;
    },
    get identityToken() {
      return identityToken;
    },
    ids: () => ({ visitorId, accountId }),
    open(options) {
      const persistent = webStore(() => win.localStorage);
      let session: KeyValueStore = webStore(() => win.sessionStorage);
      if (options.disablePersistence) {
        for (const name of identityKeyNames) persistent.remove(`_pendo_${name}.${options.apiKey}`);
        session = memoryStore();
      }
      identity = identityStore(options.disablePersistence ? memoryStore() : persistent, options.apiKey, now);
      tracers = tracerIds(session, now);
    },
    stored() {
      const stored = identity.get("visitorId");
      const storedAccount = identity.get("accountId");
      return { visitorId: stored, accountId: storedAccount ?? null };
    },
    switchTo(call, before) {
      const nextVisitor =
        realId(call.visitor?.id, visitorPlaceholder) ?? before.visitorId ?? anonymousVisitorId();
      const nextAccount = accountIdOf(call) ?? before.accountId;
      if (before.visitorId !== undefined && nextVisitor !== before.visitorId) {
        identity.set("oldVisitorId", before.visitorId);
        if (!isAnonymousVisitor(before.visitorId)) tracers.newSession();
      }
      visitorMeta =
        nextVisitor === before.visitorId ? { ...visitorMeta, ...call.visitor } : { ...call.visitor };
      accountMeta =
        nextAccount === before.accountId ? { ...accountMeta, ...call.account } : { ...call.account };
      visitorId = nextVisitor;
      accountId = nextAccount;
      if (typeof call.identityToken === "string") identityToken = call.identityToken;
      identity.set("visitorId", visitorId);
      if (accountId === null) identity.remove("accountId");
      else identity.set("accountId", accountId);
      return identifyProps(before, { visitorId, accountId });
    },
    changedMeta(call) {
      const meta = metaProps(
        call,
        { visitorId, accountId },
        browserLanguage(win.navigator),
        version,
        new Date(now()),
      );
      const hash = metadataHash(meta);
      if (hash === identity.get("meta")) return undefined;
      identity.set("meta", hash);
      return meta;
    },
    clear() {
      // Pendo sends no identify here: the next visitor starts anonymous, in a new session.
      visitorId = anonymousVisitorId();
      accountId = null;
      identity.set("visitorId", visitorId);
      identity.remove("accountId");
      identity.remove("meta");
      tracers.newSession();
      visitorMeta = {};
      accountMeta = {};
      identityToken = null;
    },
  };
}
