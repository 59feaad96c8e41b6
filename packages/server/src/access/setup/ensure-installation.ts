import { randomUUID } from "node:crypto";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { issueSignInToken } from "../users/sign-in-tokens.js";

export interface Installation {
  readonly created: boolean;
  readonly subscription: { id: string; name: string };
  readonly app: { id: string; name: string; appKey: string };
  readonly owner: { id: string; email: string };
  /** A fresh one-time sign-in token while the owner has never set a password; null afterwards. */
  readonly signInToken: string | null;
}

/**
 * On first start, creates a subscription, its default app and an owner; later starts find them again.
 * Each start while the owner has no password issues a new one-time sign-in token (older ones stop working),
 * so a lost link is fixed by restarting, and no default password ever exists. Servers starting at once on one
 * empty database make one installation: every metadata transaction holds the store's write lock from its
 * first statement (SQLite's `begin immediate`, an advisory lock on PostgreSQL), so the second finds the first's.
 */
export async function ensureInstallation(
  store: MetadataStore,
  now: Date = new Date(),
): Promise<Installation> {
  return store.db.transaction().execute(async (trx) => {
    const nowIso = now.toISOString();
    let created = false;
    let subscription = await trx
      .selectFrom("subscriptions")
      .selectAll()
      .orderBy("created_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();

    if (!subscription) {
      created = true;
      const subscriptionId = newId("sub");
      const appId = newId("app");
      const row = { id: subscriptionId, name: "My subscription", default_app_id: appId, created_at: nowIso };
      await trx.insertInto("subscriptions").values(row).execute();
      subscription = {
        ...row,
        integration_keys_enabled: 0,
        exposed_key_policy: "notify" as const,
        auto_guide_throttle_hours: 0,
      };
      await trx
        .insertInto("apps")
        .values({
          id: appId,
          subscription_id: subscriptionId,
          name: "My app",
          app_key: randomUUID(),
          created_at: nowIso,
        })
        .execute();
      await trx
        .insertInto("users")
        .values({
          id: newId("usr"),
          subscription_id: subscriptionId,
          email: "owner@localhost",
          name: "Owner",
          role: "owner",
          password_hash: null,
          created_at: nowIso,
          removed_at: null,
        })
        .execute();
    }

    const app = await trx
      .selectFrom("apps")
      .selectAll()
      .where("subscription_id", "=", subscription.id)
      .$if(subscription.default_app_id !== null, (q) =>
        q.where("id", "=", subscription.default_app_id as string),
      )
      .orderBy("created_at")
      .limit(1)
      .executeTakeFirstOrThrow();
    const owner = await trx
      .selectFrom("users")
      .selectAll()
      .where("subscription_id", "=", subscription.id)
      .where("role", "=", "owner")
      .where("removed_at", "is", null)
      .orderBy("created_at")
      .limit(1)
      .executeTakeFirstOrThrow();

    const signInToken =
      owner.password_hash === null ? await issueSignInToken(trx, owner.id, now, { keepEarlier: true }) : null;

    return {
      created,
      subscription: { id: subscription.id, name: subscription.name },
      app: { id: app.id, name: app.name, appKey: app.app_key },
      owner: { id: owner.id, email: owner.email },
      signInToken,
    };
  });
}
