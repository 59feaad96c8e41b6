import type { StoredAccount, StoredVisitor } from "../profiles/profile-records.js";

/** A visitor as a row of the profile mirror's `visitor_profiles` (profile-mirror.ts), metadata groups as JSON text. */
export const visitorMirrorRow = (v: StoredVisitor) => ({
  subscription_id: v.subscriptionId,
  visitor_id: v.visitorId,
  first_visit: v.firstVisit,
  last_visit: v.lastVisit,
  last_updated: v.updatedAt,
  last_app_id: v.lastAppId,
  last_account_id: v.lastAccountId,
  last_user_agent: v.lastUserAgent,
  last_browser_name: v.lastBrowserName,
  last_browser_version: v.lastBrowserVersion,
  last_operating_system: v.lastOperatingSystem,
  last_server_name: v.lastServerName,
  agent_metadata: JSON.stringify(v.agentMetadata),
  custom_metadata: JSON.stringify(v.customMetadata),
});

/** An account as a row of `account_profiles`. */
export const accountMirrorRow = (a: StoredAccount) => ({
  subscription_id: a.subscriptionId,
  account_id: a.accountId,
  first_visit: a.firstVisit,
  last_visit: a.lastVisit,
  last_updated: a.updatedAt,
  agent_metadata: JSON.stringify(a.agentMetadata),
  custom_metadata: JSON.stringify(a.customMetadata),
});
