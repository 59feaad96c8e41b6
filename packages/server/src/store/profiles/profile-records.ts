import type { GuideStatePatch } from "./guide-step-states.js";

/** Visitors, accounts and aliases as the profile store keeps them, and the changes ingest makes to them. */

/** The agent reported that an anonymous visitor (`_PENDO_T_…`) is now this identified one. */
export interface VisitorAlias {
  readonly subscriptionId: string;
  readonly anonymousId: string;
  readonly visitorId: string;
  readonly aliasedAt: number;
}

/**
 * What one load changes in a visitor's stored record: the visit range, the "last seen with" fields
 * (Pendo's auto metadata group) and the agent metadata from `meta` events, merged over what is stored.
 */
export interface VisitorPatch {
  readonly subscriptionId: string;
  readonly visitorId: string;
  readonly firstVisit: number;
  readonly lastVisit: number;
  readonly lastAppId: string;
  readonly lastAccountId: string | null;
  readonly lastUserAgent: string | null;
  readonly lastBrowserName: string | null;
  readonly lastBrowserVersion: string | null;
  readonly lastOperatingSystem: string | null;
  readonly lastServerName: string | null;
  /** JSON object text merged over the stored agent metadata (RFC 7396), or null when no `meta` arrived. */
  readonly agentMetadata: string | null;
}

export interface AccountPatch {
  readonly subscriptionId: string;
  readonly accountId: string;
  readonly firstVisit: number;
  readonly lastVisit: number;
  readonly agentMetadata: string | null;
}

/** A value of a metadata field as the v1 API takes it; `null` in a patch removes the field. */
export type MetadataScalar = string | number | boolean;
export type MetadataValue = MetadataScalar | MetadataScalar[];

export type ProfileKind = "visitor" | "account";

/** A visitor or account removed from the profile store; the change feed reports it so copies remove it too. */
export interface RemovedProfile {
  readonly kind: ProfileKind;
  readonly subscriptionId: string;
  readonly id: string;
}

/**
 * Values set through the v1 API in a visitor's or account's `custom` metadata group, merged field by field
 * over what is stored (a `null` value removes the field). The loader creates a visitor or account it does
 * not find: whether that is allowed (`?create=true`) is decided before the patch is written.
 */
export interface CustomMetadataPatch {
  readonly subscriptionId: string;
  readonly kind: ProfileKind;
  readonly id: string;
  readonly values: Readonly<Record<string, MetadataValue | null>>;
}

/**
 * A stored visitor. The visit fields are null for a visitor created through the v1 API (`?create=true`)
 * that has not visited yet.
 */
export interface StoredVisitor
  extends Omit<VisitorPatch, "agentMetadata" | "firstVisit" | "lastVisit" | "lastAppId"> {
  readonly firstVisit: number | null;
  readonly lastVisit: number | null;
  readonly lastAppId: string | null;
  readonly agentMetadata: Record<string, unknown>;
  readonly customMetadata: Record<string, MetadataValue>;
  /** When the record was last written (epoch ms): a load or a metadata write that reached it. */
  readonly updatedAt: number;
}

export interface StoredAccount extends Omit<AccountPatch, "agentMetadata" | "firstVisit" | "lastVisit"> {
  readonly firstVisit: number | null;
  readonly lastVisit: number | null;
  readonly agentMetadata: Record<string, unknown>;
  readonly customMetadata: Record<string, MetadataValue>;
  /** When the record was last written (epoch ms). */
  readonly updatedAt: number;
}

/**
 * Everything one load changes besides the event rows; each visitor, account and custom-metadata target
 * appears once. `customMetadata` is absent from ingest-log records written before it existed.
 */
export interface ProfilePatches {
  readonly visitors: readonly VisitorPatch[];
  readonly accounts: readonly AccountPatch[];
  readonly aliases: readonly VisitorAlias[];
  readonly customMetadata?: readonly CustomMetadataPatch[];
  /** Guide step states from guide events, in event order; absent when there are none (and in older records). */
  readonly guideStates?: readonly GuideStatePatch[];
}
