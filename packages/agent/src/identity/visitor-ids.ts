import { randomId } from "./random-id.js";

export const anonymousPrefix = "_PENDO_T_";

export function anonymousVisitorId(): string {
  return anonymousPrefix + randomId(11);
}

export function isAnonymousVisitor(id: string | null | undefined): boolean {
  return typeof id === "string" && id.indexOf(anonymousPrefix) === 0;
}

/** Ids are coerced to strings; empty values and the snippet's placeholders mean "no id". */
export function realId(id: unknown, placeholder: string): string | undefined {
  if (id === undefined || id === null || typeof id === "object" || typeof id === "function") return undefined;
  const text = String(id);
  return text === "" || text === placeholder ? undefined : text;
}

export const visitorPlaceholder = "VISITOR-UNIQUE-ID";
export const accountPlaceholder = "ACCOUNT-UNIQUE-ID";

export interface Ids {
  readonly visitorId: string | undefined;
  readonly accountId: string | null;
}

export interface IdentifyProps {
  old_visitor_id?: string;
  old_account_id: string | null;
  visitor_id: string;
  account_id: string | null;
}

/**
 * agent-wire.md §5.3: an `identify` event only when an anonymous visitor becomes a known one, or the
 * account changes to a real id. One known visitor replacing another sends none (only `meta`).
 */
export function identifyProps(before: Ids, after: Ids & { visitorId: string }): IdentifyProps | null {
  const becameKnown = isAnonymousVisitor(before.visitorId) && !isAnonymousVisitor(after.visitorId);
  const accountChanged = after.accountId !== null && after.accountId !== before.accountId;
  if (!becameKnown && !accountChanged) return null;
  return {
    ...(before.visitorId === undefined ? {} : { old_visitor_id: before.visitorId }),
    old_account_id: before.accountId,
    visitor_id: after.visitorId,
    account_id: after.accountId,
  };
}
