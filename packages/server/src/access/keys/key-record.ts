import type { ApiKeysTable } from "../../store/metadata/metadata-schema.js";
import type { KeyRecord, KeyState } from "../admin-answers.js";

export type { KeyRecord, KeyState } from "../admin-answers.js";

export function keyState(row: Pick<ApiKeysTable, "revoked_at" | "expires_at">, now: Date): KeyState {
  if (row.revoked_at !== null) return "revoked";
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) return "expired";
  return "active";
}

export function toKeyRecord(row: ApiKeysTable, now: Date): KeyRecord {
  return {
    id: row.id,
    kind: row.kind,
    description: row.description,
    start: row.key_start,
    appId: row.app_id,
    scope: row.scope,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rolledTo: row.rolled_to,
    lastUsedAt: row.last_used_at,
    lastUsedIp: row.last_used_ip,
    exposedAt: row.exposed_at,
    state: keyState(row, now),
  };
}
