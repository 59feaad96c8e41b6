import assert from "node:assert/strict";
import { test } from "node:test";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { installedStore } from "../../start/test-support/installed-store.js";
import { listAudit } from "../audit/audit-log.js";
import type { UserRecord } from "../users/user-service.js";
import { readSubscriptionSettings, updateSubscriptionSettings } from "./subscription-settings.js";

const user = (role: UserRecord["role"]): UserRecord => ({
  id: `usr_${role}`,
  email: `${role}@example.com`,
  name: role,
  role,
  integrationKeyAccess: role === "owner",
  hasPassword: true,
  createdAt: new Date().toISOString(),
});

test("the owner and the CLI change subscription settings, each change audited; an admin may not", async () => {
  const { store, installation } = await installedStore();
  const subscriptionId = installation.subscription.id;
  try {
    const owner = { user: user("owner"), ip: "203.0.113.7" };
    const settings = await updateSubscriptionSettings(
      store.db,
      subscriptionId,
      { integrationKeysEnabled: false, exposedKeyPolicy: "revoke" },
      owner,
    );
    assert.deepEqual(settings, {
      id: subscriptionId,
      name: installation.subscription.name,
      integrationKeysEnabled: false,
      exposedKeyPolicy: "revoke",
      autoGuideThrottleHours: 0,
    });
    const throttled = await updateSubscriptionSettings(
      store.db,
      subscriptionId,
      { autoGuideThrottleHours: 4 },
      owner,
    );
    assert.equal(throttled.autoGuideThrottleHours, 4);

    await updateSubscriptionSettings(store.db, subscriptionId, { exposedKeyPolicy: "notify" }, "cli");
    assert.equal(
      (await readSubscriptionSettings(store.db, subscriptionId, "cli")).exposedKeyPolicy,
      "notify",
    );

    const admin = { user: user("admin"), ip: null };
    await assert.rejects(
      updateSubscriptionSettings(store.db, subscriptionId, { integrationKeysEnabled: true }, admin),
      (error: unknown) => error instanceof CairnError && error.code === "forbidden",
    );
    await assert.rejects(
      readSubscriptionSettings(store.db, subscriptionId, admin),
      (error: unknown) => error instanceof CairnError && error.code === "forbidden",
    );
    assert.equal(
      (await readSubscriptionSettings(store.db, subscriptionId, "cli")).integrationKeysEnabled,
      false,
    );

    // Records written in the same millisecond have no order between them: compare as a set.
    const changes = (await listAudit(store.db, subscriptionId, { target: subscriptionId }))
      .filter((record) => record.action === "subscription.updated")
      .map((record) => JSON.stringify([record.actor, record.ip, record.detail]))
      .sort();
    assert.deepEqual(
      changes,
      [
        ["cli", null, { exposedKeyPolicy: "notify" }],
        ["test", null, { integrationKeysEnabled: true }],
        ["usr_owner", "203.0.113.7", { exposedKeyPolicy: "revoke" }],
        ["usr_owner", "203.0.113.7", { integrationKeysEnabled: false }],
        ["usr_owner", "203.0.113.7", { autoGuideThrottleHours: 4 }],
      ]
        .map((change) => JSON.stringify(change))
        .sort(),
      "the refused change left no record",
    );
  } finally {
    await store.close();
  }
});
