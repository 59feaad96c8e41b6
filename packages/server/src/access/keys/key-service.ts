import type { Static } from "@sinclair/typebox";
import type { Kysely, Transaction } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { newId } from "../../platform/ids/new-id.js";
import type { ApiKeysTable, MetadataSchema } from "../../store/metadata/metadata-schema.js";
import type { keyPage } from "../admin-answers.js";
import { recordAudit } from "../audit/audit-log.js";
import { generateSecretKey, hashKey, keyStart, type SecretKeyKind } from "./key-format.js";
import { type KeyRecord, keyState, toKeyRecord } from "./key-record.js";

type Db = Kysely<MetadataSchema>;
type Trx = Transaction<MetadataSchema>;

export const maxDescriptionLength = 200;
/** The kinds of secret that belong to one app: the track secret and the identity secret. */
export const appSecretKinds: ReadonlySet<SecretKeyKind> = new Set(["track", "identity"]);
export const rollGraceChoicesMs: Readonly<Record<string, number>> = {
  "0": 0,
  "1h": 60 * 60 * 1000,
  "24h": 24 * 60 * 60 * 1000,
  "7d": 7 * 24 * 60 * 60 * 1000,
};
export const defaultRollGrace = "24h";

export interface CreateKeyInput {
  readonly subscriptionId: string;
  readonly kind: SecretKeyKind;
  readonly description: string;
  readonly write?: boolean;
  readonly appId?: string | null;
  readonly expiresAt?: Date | null;
  /** A user id, or `cli`. */
  readonly actor: string;
  readonly ip?: string | null;
}

/** The only answer that ever holds the key in clear. */
export interface CreatedKey {
  readonly key: string;
  readonly record: KeyRecord;
}

/** Every server drops its key cache when this moves (see key-cache.ts); bump it in the change's transaction. */
export async function bumpKeyRevision(trx: Trx): Promise<void> {
  await trx
    .updateTable("cache_revisions")
    .set((eb) => ({ revision: eb("revision", "+", 1) }))
    .where("name", "=", "keys")
    .execute();
}

function badRequest(message: string): CairnError {
  return new CairnError("bad_request", { message });
}

/** A subscription whose integration keys are switched off gets no new one, by creation or by a roll. */
async function requireIntegrationKeysEnabled(trx: Trx, subscriptionId: string): Promise<void> {
  const subscription = await trx
    .selectFrom("subscriptions")
    .select("integration_keys_enabled")
    .where("id", "=", subscriptionId)
    .executeTakeFirst();
  if (subscription?.integration_keys_enabled !== 1) throw new CairnError("integration_keys_disabled");
}

async function validate(trx: Trx, input: CreateKeyInput, now: Date): Promise<void> {
  const description = input.description.trim();
  if (description.length === 0 || description.length > maxDescriptionLength) {
    throw badRequest(
      `A key needs a description of 1 to ${maxDescriptionLength} characters saying what uses it.`,
    );
  }
  const subscription = await trx
    .selectFrom("subscriptions")
    .select("id")
    .where("id", "=", input.subscriptionId)
    .executeTakeFirst();
  if (!subscription) throw new CairnError("not_found", { message: "No such subscription." });
  if (input.kind === "integration") await requireIntegrationKeysEnabled(trx, input.subscriptionId);
  if (input.write && input.kind !== "integration") {
    throw badRequest("Only integration keys have a write scope.");
  }
  if (appSecretKinds.has(input.kind)) {
    if (!input.appId)
      throw badRequest(`A ${input.kind} secret belongs to one app: give its id in \`appId\`.`);
    const app = await trx
      .selectFrom("apps")
      .select("id")
      .where("id", "=", input.appId)
      .where("subscription_id", "=", input.subscriptionId)
      .executeTakeFirst();
    if (!app) throw new CairnError("not_found", { message: `No app ${input.appId} in this subscription.` });
  } else if (input.appId) {
    throw badRequest(`A ${input.kind} key covers every app of the subscription; it takes no app.`);
  }
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw badRequest("The expiry date must be in the future.");
  }
}

async function insertKey(
  trx: Trx,
  fields: Omit<
    ApiKeysTable,
    | "id"
    | "key_hash"
    | "key_start"
    | "revoked_at"
    | "rolled_to"
    | "last_used_at"
    | "last_used_ip"
    | "exposed_at"
  >,
): Promise<CreatedKey & { row: ApiKeysTable }> {
  const key = generateSecretKey(fields.kind);
  const row: ApiKeysTable = {
    id: newId("key"),
    key_hash: hashKey(key),
    key_start: keyStart(key),
    revoked_at: null,
    rolled_to: null,
    last_used_at: null,
    last_used_ip: null,
    exposed_at: null,
    ...fields,
  };
  await trx.insertInto("api_keys").values(row).execute();
  return { key, row, record: toKeyRecord(row, new Date(fields.created_at)) };
}

export async function createKey(db: Db, input: CreateKeyInput, now: Date = new Date()): Promise<CreatedKey> {
  return db.transaction().execute(async (trx) => {
    await validate(trx, input, now);
    const { key, row, record } = await insertKey(trx, {
      subscription_id: input.subscriptionId,
      kind: input.kind,
      description: input.description.trim(),
      app_id: appSecretKinds.has(input.kind) ? (input.appId ?? null) : null,
      scope: input.write ? "write" : "read",
      created_by: input.actor,
      created_at: now.toISOString(),
      expires_at: input.expiresAt ? input.expiresAt.toISOString() : null,
    });
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "key.created",
      target: row.id,
      ip: input.ip ?? null,
      detail: {
        kind: row.kind,
        scope: row.scope,
        appId: row.app_id,
        expiresAt: row.expires_at,
        start: row.key_start,
      },
      at: now,
    });
    // Servers keep an app's identity secrets with the app (app-key-cache.ts): a new one must reach them.
    if (row.kind === "identity") await bumpKeyRevision(trx);
    return { key, record };
  });
}

async function findKey(trx: Trx | Db, subscriptionId: string, id: string): Promise<ApiKeysTable> {
  const row = await trx
    .selectFrom("api_keys")
    .selectAll()
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  // Another subscription's key answers exactly like a key that does not exist.
  if (!row) throw new CairnError("not_found", { message: `No key ${id} in this subscription.` });
  return row;
}

export interface RollKeyInput {
  readonly subscriptionId: string;
  readonly id: string;
  /** One of rollGraceChoicesMs' names: `0`, `1h`, `24h` (default), `7d`. */
  readonly grace?: string;
  readonly actor: string;
  readonly ip?: string | null;
}

/**
 * A new key with the same kind, description, scope and app, working at once; the old one keeps working
 * until the earlier of its own expiry and now + grace.
 */
export async function rollKey(
  db: Db,
  input: RollKeyInput,
  now: Date = new Date(),
): Promise<CreatedKey & { old: KeyRecord }> {
  const graceName = input.grace ?? defaultRollGrace;
  const graceMs = rollGraceChoicesMs[graceName];
  if (graceMs === undefined) {
    throw badRequest(`The grace period must be one of ${Object.keys(rollGraceChoicesMs).join(", ")}.`);
  }
  return db.transaction().execute(async (trx) => {
    const old = await findKey(trx, input.subscriptionId, input.id);
    const state = keyState(old, now);
    if (state !== "active")
      throw new CairnError("conflict", { message: `The key is ${state}; only an active key can be rolled.` });
    if (old.rolled_to !== null) {
      throw new CairnError("conflict", { message: `The key was already rolled into ${old.rolled_to}.` });
    }
    if (old.kind === "integration") await requireIntegrationKeysEnabled(trx, old.subscription_id);
    const { key, row, record } = await insertKey(trx, {
      subscription_id: old.subscription_id,
      kind: old.kind,
      description: old.description,
      app_id: old.app_id,
      scope: old.scope,
      created_by: input.actor,
      created_at: now.toISOString(),
      expires_at: null,
    });
    const graceEnd = new Date(now.getTime() + graceMs).toISOString();
    const oldExpiry = old.expires_at !== null && old.expires_at < graceEnd ? old.expires_at : graceEnd;
    await trx
      .updateTable("api_keys")
      .set({ expires_at: oldExpiry, rolled_to: row.id })
      .where("id", "=", old.id)
      .execute();
    await bumpKeyRevision(trx);
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "key.rolled",
      target: old.id,
      ip: input.ip ?? null,
      detail: { newKeyId: row.id, oldKeyExpiresAt: oldExpiry, grace: graceName },
      at: now,
    });
    return { key, record, old: toKeyRecord({ ...old, expires_at: oldExpiry, rolled_to: row.id }, now) };
  });
}

export interface RevokeKeyInput {
  readonly subscriptionId: string;
  readonly id: string;
  readonly actor: string;
  readonly ip?: string | null;
  /** Recorded as `key.auto_revoked` instead of `key.revoked`. */
  readonly automatic?: boolean;
}

/** Revokes at once on every server (they poll the key revision); revoking a revoked key changes nothing. */
export async function revokeKey(db: Db, input: RevokeKeyInput, now: Date = new Date()): Promise<KeyRecord> {
  return db.transaction().execute(async (trx) => {
    const row = await findKey(trx, input.subscriptionId, input.id);
    if (row.revoked_at !== null) return toKeyRecord(row, now);
    const revokedAt = now.toISOString();
    await trx.updateTable("api_keys").set({ revoked_at: revokedAt }).where("id", "=", row.id).execute();
    await bumpKeyRevision(trx);
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: input.automatic ? "key.auto_revoked" : "key.revoked",
      target: row.id,
      ip: input.ip ?? null,
      at: now,
    });
    return toKeyRecord({ ...row, revoked_at: revokedAt }, now);
  });
}

export type KeyPage = Static<typeof keyPage>;

/** Oldest first, paged by key id cursor. */
export async function listKeys(
  db: Db,
  subscriptionId: string,
  options: { limit?: number; after?: string | null } = {},
  now: Date = new Date(),
): Promise<KeyPage> {
  const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
  let query = db
    .selectFrom("api_keys")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit + 1);
  if (options.after) {
    const cursor = await findKey(db, subscriptionId, options.after);
    query = query.where((eb) =>
      eb.or([
        eb("created_at", ">", cursor.created_at),
        eb.and([eb("created_at", "=", cursor.created_at), eb("id", ">", cursor.id)]),
      ]),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    keys: page.map((row) => toKeyRecord(row, now)),
    next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** The kind of one of the subscription's keys, which decides who may change it; not_found otherwise. */
export async function keyKindOf(db: Db, subscriptionId: string, id: string): Promise<SecretKeyKind> {
  const row = await db
    .selectFrom("api_keys")
    .select("kind")
    .where("id", "=", id)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  if (!row) throw new CairnError("not_found", { message: `No key ${id} in this subscription.` });
  return row.kind;
}

export async function setIntegrationKeysEnabled(
  db: Db,
  input: { subscriptionId: string; enabled: boolean; actor: string; ip?: string | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("subscriptions")
      .set({ integration_keys_enabled: input.enabled ? 1 : 0 })
      .where("id", "=", input.subscriptionId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new CairnError("not_found", { message: "No such subscription." });
    await recordAudit(trx, {
      subscriptionId: input.subscriptionId,
      actor: input.actor,
      action: "subscription.updated",
      target: input.subscriptionId,
      ip: input.ip ?? null,
      detail: { integrationKeysEnabled: input.enabled },
    });
  });
}
