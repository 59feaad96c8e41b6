import { type Static, Type } from "@sinclair/typebox";
import { anyEnum } from "../../platform/http/schema-kit.js";

/** A month: throttling beyond it would hide automatic guides altogether. */
export const maxAutoGuideThrottleHours = 720;

export const exposedKeyPolicies = ["notify", "revoke"] as const;
/** What happens to a secret key seen on a browser endpoint: flagged and audited, or also revoked at once. */
export type ExposedKeyPolicy = (typeof exposedKeyPolicies)[number];

/** The settings a subscription owner may change, one or more at a time (PATCH /api/admin/subscription). */
export const subscriptionChange = Type.Object(
  {
    integrationKeysEnabled: Type.Optional(Type.Boolean()),
    exposedKeyPolicy: Type.Optional(anyEnum(exposedKeyPolicies)),
    autoGuideThrottleHours: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: maxAutoGuideThrottleHours,
        description: "at most one automatic guide per visitor per this many hours; 0: no throttling",
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SubscriptionChange = Static<typeof subscriptionChange>;
