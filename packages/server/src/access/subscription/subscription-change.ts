import { type Static, Type } from "@sinclair/typebox";
import { anyEnum } from "../../platform/http/schema-kit.js";

export const exposedKeyPolicies = ["notify", "revoke"] as const;
/** What happens to a secret key seen on a browser endpoint: flagged and audited, or also revoked at once. */
export type ExposedKeyPolicy = (typeof exposedKeyPolicies)[number];

/** The settings a subscription owner may change, one or both at a time (PATCH /api/admin/subscription). */
export const subscriptionChange = Type.Object(
  {
    integrationKeysEnabled: Type.Optional(Type.Boolean()),
    exposedKeyPolicy: Type.Optional(anyEnum(exposedKeyPolicies)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SubscriptionChange = Static<typeof subscriptionChange>;
