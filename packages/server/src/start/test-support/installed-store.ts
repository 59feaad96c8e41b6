import path from "node:path";
import { setIntegrationKeysEnabled } from "../../access/keys/key-service.js";
import { ensureInstallation, type Installation } from "../../access/setup/ensure-installation.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { openSqliteStore } from "../../store/metadata/sqlite/open-sqlite-store.js";
import { tempDir } from "./temp-dir.js";

/** A real SQLite metadata store after first start, with integration keys enabled. */
export async function installedStore(): Promise<{
  store: MetadataStore;
  installation: Installation;
  file: string;
}> {
  const file = path.join(tempDir("keys"), "metadata.sqlite");
  const store = openSqliteStore(file);
  await store.migrate();
  const installation = await ensureInstallation(store);
  await setIntegrationKeysEnabled(store.db, {
    subscriptionId: installation.subscription.id,
    enabled: true,
    actor: "test",
  });
  return { store, installation, file };
}

/** A second subscription with its own app, for cross-subscription checks. */
export async function otherSubscription(
  store: MetadataStore,
): Promise<{ subscriptionId: string; appId: string }> {
  const at = new Date().toISOString();
  await store.db
    .insertInto("subscriptions")
    .values({
      id: "sub_other",
      name: "Other",
      default_app_id: "app_other",
      created_at: at,
      integration_keys_enabled: 1,
    })
    .execute();
  await store.db
    .insertInto("apps")
    .values({
      id: "app_other",
      subscription_id: "sub_other",
      name: "Other app",
      app_key: "00000000-0000-4000-8000-000000000000",
      created_at: at,
    })
    .execute();
  return { subscriptionId: "sub_other", appId: "app_other" };
}
