import { CairnError } from "../../platform/errors/cairn-error.js";
import type { UserRole } from "./roles.js";
import type { UserRecord } from "./user-service.js";

export type AdminAction =
  | "apps.read"
  | "apps.manage"
  | "users.read"
  | "users.manage"
  | "keys.read"
  | "keys.manage"
  | "integration_keys.manage"
  | "audit.read"
  | "subscription.manage"
  | "exclude.read"
  | "exclude.manage"
  | "tagging.read"
  | "tagging.manage"
  | "segments.read"
  | "segments.manage"
  | "reports.read"
  | "reports.manage"
  | "feedback.read"
  | "feedback.manage"
  | "profiles.read"
  | "guides.read"
  | "guides.manage";

/** What each role may do; integration keys also need the user's integration key access (keys.md rule 1). */
const grants: Readonly<Record<UserRole, readonly AdminAction[]>> = {
  owner: [
    "apps.read",
    "apps.manage",
    "users.read",
    "users.manage",
    "keys.read",
    "keys.manage",
    "integration_keys.manage",
    "audit.read",
    "subscription.manage",
    "exclude.read",
    "exclude.manage",
    "tagging.read",
    "tagging.manage",
    "segments.read",
    "segments.manage",
    "reports.read",
    "reports.manage",
    "feedback.read",
    "feedback.manage",
    "profiles.read",
    "guides.read",
    "guides.manage",
  ],
  admin: [
    "apps.read",
    "apps.manage",
    "users.read",
    "keys.read",
    "keys.manage",
    "integration_keys.manage",
    "audit.read",
    "exclude.read",
    "exclude.manage",
    "tagging.read",
    "tagging.manage",
    "segments.read",
    "segments.manage",
    "reports.read",
    "reports.manage",
    "feedback.read",
    "feedback.manage",
    "profiles.read",
    "guides.read",
    "guides.manage",
  ],
  // Tagging pages and features, building segments and reports, and triaging ideas is a product manager's work,
  // as in Pendo.
  member: [
    "apps.read",
    "users.read",
    "exclude.read",
    "tagging.read",
    "tagging.manage",
    "segments.read",
    "segments.manage",
    "reports.read",
    "reports.manage",
    "feedback.read",
    "feedback.manage",
    "profiles.read",
    "guides.read",
    "guides.manage",
  ],
  viewer: [
    "apps.read",
    "exclude.read",
    "tagging.read",
    "segments.read",
    "reports.read",
    "feedback.read",
    "profiles.read",
    "guides.read",
  ],
};

const needs: Readonly<Record<AdminAction, string>> = {
  "apps.read": "any role",
  "apps.manage": "an admin or owner",
  "users.read": "a member, admin or owner",
  "users.manage": "an owner",
  "keys.read": "an admin or owner",
  "keys.manage": "an admin or owner",
  "integration_keys.manage": "an owner, or an admin with integration key access",
  "audit.read": "an admin or owner",
  "subscription.manage": "an owner",
  "exclude.read": "any role",
  "exclude.manage": "an admin or owner",
  "tagging.read": "any role",
  "tagging.manage": "a member, admin or owner",
  "segments.read": "any role",
  "segments.manage": "a member, admin or owner",
  "reports.read": "any role",
  "reports.manage": "a member, admin or owner",
  "feedback.read": "any role",
  "feedback.manage": "a member, admin or owner",
  "profiles.read": "any role",
  "guides.read": "any role",
  "guides.manage": "a member, admin or owner",
};

export function allowed(user: UserRecord, action: AdminAction): boolean {
  if (!grants[user.role].includes(action)) return false;
  return action !== "integration_keys.manage" || user.integrationKeyAccess;
}

export function requirePermission(user: UserRecord, action: AdminAction): void {
  if (!allowed(user, action)) {
    throw new CairnError("forbidden", {
      message: `This needs ${needs[action]}; you are ${user.role === "admin" || user.role === "owner" ? "an" : "a"} ${user.role}.`,
    });
  }
}
