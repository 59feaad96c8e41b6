import type { Kysely, Transaction } from "kysely";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import type { MetadataSchema } from "../../../store/metadata/metadata-schema.js";

type Db = Kysely<MetadataSchema> | Transaction<MetadataSchema>;

async function appsOf(db: Db, subscriptionId: string) {
  return db
    .selectFrom("apps")
    .select(["id", "name"])
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

function listed(apps: readonly { id: string; name: string }[]): string {
  return apps.map((app) => `${app.id} "${app.name}"`).join(", ") || "none";
}

/**
 * The app an object is written for: the one named, which must be the subscription's (else a 400 listing its
 * apps), or the subscription's default app, as Pendo's v1 API does when no app is named.
 */
export async function appForWrite(
  db: Db,
  subscriptionId: string,
  appId: string | null | undefined,
): Promise<string> {
  if (appId !== undefined && appId !== null) {
    const app = await db
      .selectFrom("apps")
      .select("id")
      .where("id", "=", appId)
      .where("subscription_id", "=", subscriptionId)
      .executeTakeFirst();
    if (app) return app.id;
    throw new CairnError("bad_request", {
      message: `No app ${JSON.stringify(appId.slice(0, 100))} in this subscription; its apps: ${listed(await appsOf(db, subscriptionId))}.`,
    });
  }
  const subscription = await db
    .selectFrom("subscriptions")
    .select("default_app_id")
    .where("id", "=", subscriptionId)
    .executeTakeFirst();
  if (subscription?.default_app_id) return subscription.default_app_id;
  const [first] = await appsOf(db, subscriptionId);
  if (first) return first.id;
  throw new CairnError("bad_request", { message: "This subscription has no app yet; create one first." });
}

/**
 * For the CLI: the app named with --app, or the subscription's only app; with several, an error that lists
 * them and asks for --app (as `cairn keys create --kind track` does).
 */
export async function appForCommand(db: Db, subscriptionId: string, named: unknown): Promise<string> {
  if (typeof named === "string") return appForWrite(db, subscriptionId, named);
  const apps = await appsOf(db, subscriptionId);
  if (apps.length === 1 && apps[0]) return apps[0].id;
  throw new CairnError("bad_request", {
    message: `This subscription has ${apps.length} apps: name one with --app <id> (${listed(apps)}).`,
  });
}

/** The subscription's default app (null only before its first app exists). */
export async function defaultAppOf(db: Db, subscriptionId: string): Promise<string | null> {
  const subscription = await db
    .selectFrom("subscriptions")
    .select("default_app_id")
    .where("id", "=", subscriptionId)
    .executeTakeFirst();
  return subscription?.default_app_id ?? (await appsOf(db, subscriptionId))[0]?.id ?? null;
}
