import type { Kysely } from "kysely";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { SubscriptionSettings } from "../admin-answers.js";
import { recordAudit } from "../audit/audit-log.js";
import { bumpKeyRevision, setIntegrationKeysEnabled } from "../keys/key-service.js";
import { requirePermission } from "../users/permissions.js";
import type { UserRecord } from "../users/user-service.js";
import type { ExposedKeyPolicy, SubscriptionChange } from "./subscription-change.js";

export type { SubscriptionSettings } from "../admin-answers.js";

type Db = Kysely<MetadataSchema>;

/**
 * Who reads or changes the settings: a signed-in user, held to the owner-only permission, or `cli`, the
 * operator's command line, which acts as the owner (it already holds the data directory).
 */
export type SettingsActor = { readonly user: UserRecord; readonly ip: string | null } | "cli";

function requireOwner(by: SettingsActor): void {
  if (by !== "cli") requirePermission(by.user, "subscription.manage");
}

function audited(by: SettingsActor): { actor: string; ip: string | null } {
  return by === "cli" ? { actor: "cli", ip: null } : { actor: by.user.id, ip: by.ip };
}

export async function readSubscriptionSettings(
  db: Db,
  subscriptionId: string,
  by: SettingsActor,
): Promise<SubscriptionSettings> {
  requireOwner(by);
  return subscriptionSettingsOf(db, subscriptionId);
}

/** The settings as every signed-in user may read them (changing them is the owner's). */
export async function subscriptionSettingsOf(db: Db, subscriptionId: string): Promise<SubscriptionSettings> {
  const row = await db
    .selectFrom("subscriptions")
    .select(["id", "name", "integration_keys_enabled", "exposed_key_policy", "auto_guide_throttle_hours"])
    .where("id", "=", subscriptionId)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    name: row.name,
    integrationKeysEnabled: row.integration_keys_enabled === 1,
    exposedKeyPolicy: row.exposed_key_policy,
    autoGuideThrottleHours: row.auto_guide_throttle_hours,
  };
}

export async function setIntegrationKeys(
  db: Db,
  subscriptionId: string,
  enabled: boolean,
  by: SettingsActor,
): Promise<void> {
  requireOwner(by);
  await setIntegrationKeysEnabled(db, { subscriptionId, enabled, ...audited(by) });
}

/** Sets what happens to a secret key seen on a browser endpoint; audited. */
export async function setExposedKeyPolicy(
  db: Db,
  subscriptionId: string,
  policy: ExposedKeyPolicy,
  by: SettingsActor,
): Promise<void> {
  requireOwner(by);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("subscriptions")
      .set({ exposed_key_policy: policy })
      .where("id", "=", subscriptionId)
      .execute();
    // Cached keys carry their subscription's policy: every server must look again.
    await bumpKeyRevision(trx);
    await recordAudit(trx, {
      subscriptionId,
      ...audited(by),
      action: "subscription.updated",
      target: subscriptionId,
      detail: { exposedKeyPolicy: policy },
    });
  });
}

/** Sets how many hours apart a visitor may see automatic guides (0: no throttling); audited. */
export async function setAutoGuideThrottle(
  db: Db,
  subscriptionId: string,
  hours: number,
  by: SettingsActor,
): Promise<void> {
  requireOwner(by);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("subscriptions")
      .set({ auto_guide_throttle_hours: hours })
      .where("id", "=", subscriptionId)
      .execute();
    await recordAudit(trx, {
      subscriptionId,
      ...audited(by),
      action: "subscription.updated",
      target: subscriptionId,
      detail: { autoGuideThrottleHours: hours },
    });
  });
}

/** Applies each setting the change names, in the order above, and answers the settings as they now are. */
export async function updateSubscriptionSettings(
  db: Db,
  subscriptionId: string,
  change: SubscriptionChange,
  by: SettingsActor,
): Promise<SubscriptionSettings> {
  requireOwner(by);
  if (change.integrationKeysEnabled !== undefined) {
    await setIntegrationKeys(db, subscriptionId, change.integrationKeysEnabled, by);
  }
  if (change.exposedKeyPolicy !== undefined) {
    await setExposedKeyPolicy(db, subscriptionId, change.exposedKeyPolicy, by);
  }
  if (change.autoGuideThrottleHours !== undefined) {
    await setAutoGuideThrottle(db, subscriptionId, change.autoGuideThrottleHours, by);
  }
  return readSubscriptionSettings(db, subscriptionId, by);
}
