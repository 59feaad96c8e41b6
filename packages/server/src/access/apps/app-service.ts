import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { AppRecord } from "../admin-answers.js";
import { recordAudit } from "../audit/audit-log.js";

export type { AppRecord } from "../admin-answers.js";

export const maxAppNameLength = 100;

export async function listApps(db: Kysely<MetadataSchema>, subscriptionId: string): Promise<AppRecord[]> {
  const subscription = await db
    .selectFrom("subscriptions")
    .select("default_app_id")
    .where("id", "=", subscriptionId)
    .executeTakeFirst();
  const rows = await db
    .selectFrom("apps")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    appKey: row.app_key,
    isDefault: row.id === subscription?.default_app_id,
    createdAt: row.created_at,
    previousAppKeyExpiresAt: row.previous_app_key_expires_at,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    feedbackWidget: row.feedback_widget === 1,
    identity: row.identity_mode,
    unsignedEvents: row.unsigned_events,
  }));
}

export async function createApp(
  db: Kysely<MetadataSchema>,
  input: { subscriptionId: string; name: string; actor: string; ip?: string | null },
  now: Date = new Date(),
): Promise<AppRecord> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > maxAppNameLength) {
    throw new CairnError("bad_request", {
      message: `An app needs a name of 1 to ${maxAppNameLength} characters.`,
    });
  }
  return db.transaction().execute(async (trx) => {
    const row = {
      id: newId("app"),
      subscription_id: input.subscriptionId,
      name,
      app_key: randomUUID(),
      created_at: now.toISOString(),
    };
    await trx.insertInto("apps").values(row).execute();
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "app.created",
      target: row.id,
      ip: input.ip ?? null,
      detail: { name },
      at: now,
    });
    return {
      id: row.id,
      name,
      appKey: row.app_key,
      isDefault: false,
      createdAt: row.created_at,
      previousAppKeyExpiresAt: null,
      allowedOrigins: [],
      feedbackWidget: false,
      identity: "off",
      unsignedEvents: "flag",
    };
  });
}
