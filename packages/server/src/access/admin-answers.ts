import { type Static, Type } from "@sinclair/typebox";
import { isoTime, nullable, stringEnum } from "../platform/http/schema-kit.js";
import { excludeRuleKinds } from "./exclude/exclude-rules.js";
import type { SecretKeyKind } from "./keys/key-format.js";
import { exposedKeyPolicies } from "./subscription/subscription-change.js";
import { roles } from "./users/roles.js";

// What the admin API answers: the schemas of the OpenAPI document, and the services' types derived from them.

export const userRecord = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: stringEnum(roles),
  integrationKeyAccess: Type.Boolean(),
  hasPassword: Type.Boolean(),
  createdAt: isoTime(),
});
export type UserRecord = Static<typeof userRecord>;

/** What signing in and GET /api/admin/session answer. */
export const signedInAnswer = Type.Object({
  user: userRecord,
  subscriptionId: Type.String(),
  csrfToken: Type.String({
    description: "Send it in the x-csrf-token header of every request that changes something.",
  }),
});

export const appRecord = Type.Object({
  id: Type.String(),
  name: Type.String(),
  appKey: Type.String({
    description: "Public by design: it goes in the install snippet and can only send data.",
  }),
  isDefault: Type.Boolean(),
  createdAt: isoTime(),
  previousAppKeyExpiresAt: nullable(
    isoTime(),
    "After a roll: when the previous app key stops being accepted.",
  ),
  allowedOrigins: Type.Array(Type.String(), {
    description: "Origins events may come from; empty means any.",
  }),
  feedbackWidget: Type.Boolean({ description: "Whether the app's agent offers the in-app feedback panel." }),
  identity: stringEnum(["off", "panel", "panel_and_events"], {
    description:
      "Where a visitor identity token signed with the app's identity secret is required: nowhere, the feedback panel, or the panel and analytics events.",
  }),
  unsignedEvents: stringEnum(["flag", "refuse"], {
    description:
      "With `panel_and_events`: an identified visitor's events without a valid token are stored flagged (`flag`) or dropped and counted (`refuse`).",
  }),
});
export type AppRecord = Static<typeof appRecord>;

export const rolledAppKey = Type.Object({
  appKey: Type.String(),
  previousAppKey: Type.String(),
  previousAppKeyExpiresAt: isoTime(),
});

const secretKeyKinds: readonly SecretKeyKind[] = ["integration", "feedback", "track", "identity"];

/** A key as lists and admin answers show it: everything but the key, which exists only in the create answer. */
export const keyRecord = Type.Object({
  id: Type.String(),
  kind: stringEnum(secretKeyKinds),
  description: Type.String(),
  start: Type.String({ description: "The first characters, e.g. `cik_3kTM`." }),
  appId: nullable(Type.String()),
  scope: stringEnum(["read", "write"]),
  createdBy: Type.String(),
  createdAt: isoTime(),
  expiresAt: nullable(isoTime()),
  revokedAt: nullable(isoTime()),
  rolledTo: nullable(Type.String()),
  lastUsedAt: nullable(isoTime()),
  lastUsedIp: nullable(Type.String()),
  exposedAt: nullable(isoTime()),
  state: stringEnum(["active", "expired", "revoked"]),
});
export type KeyRecord = Static<typeof keyRecord>;
export type KeyState = KeyRecord["state"];

/** The only answers that ever hold a key in clear: create and roll. */
export const createdKeyAnswer = Type.Object({
  key: Type.String({ description: "The key itself: shown this once, never again." }),
  ...keyRecord.properties,
});

export const keyPage = Type.Object({
  keys: Type.Array(keyRecord),
  next: nullable(Type.String(), "Pass as `after` for the next page; null on the last page."),
});

export const excludeRule = Type.Object({
  id: Type.String(),
  kind: stringEnum(excludeRuleKinds),
  pattern: Type.String(),
  note: nullable(Type.String()),
  createdAt: isoTime(),
  createdBy: Type.String({ description: "A user id, or `cli`." }),
});
export type ExcludeRule = Static<typeof excludeRule>;

export const auditRecord = Type.Object({
  id: Type.String(),
  at: isoTime(),
  actor: Type.String({ description: "A user id, `cli`, or the id of the key that acted." }),
  action: Type.String(),
  target: nullable(Type.String()),
  ip: nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditRecord = Static<typeof auditRecord>;

export const subscriptionSettings = Type.Object({
  id: Type.String(),
  name: Type.String(),
  integrationKeysEnabled: Type.Boolean(),
  exposedKeyPolicy: stringEnum(exposedKeyPolicies),
  autoGuideThrottleHours: Type.Integer({
    description: "at most one automatic guide per visitor per this many hours; 0: no throttling",
  }),
});
export type SubscriptionSettings = Static<typeof subscriptionSettings>;
