import type { ColumnType } from "kysely";

/**
 * The metadata store's tables as the application sees them, for every engine (SQLite, PostgreSQL).
 * Times are ISO-8601 UTC strings and flags are absent rather than boolean, so every engine reads the same.
 */
export interface MetadataSchema {
  subscriptions: SubscriptionsTable;
  apps: AppsTable;
  users: UsersTable;
  sign_in_tokens: SignInTokensTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  cache_revisions: CacheRevisionsTable;
  sessions: SessionsTable;
  exclude_rules: ExcludeRulesTable;
}

export interface SubscriptionsTable {
  id: string;
  name: string;
  /** The app v1 endpoints answer for when no app is named (Pendo's "default app"). */
  default_app_id: string | null;
  created_at: string;
  /** 1 once an owner allowed integration keys for this subscription (keys.md rule 1). */
  integration_keys_enabled: ColumnType<number, number | undefined, number>;
  /** What happens to a secret key seen on a browser endpoint: flag and notify, or also revoke. */
  exposed_key_policy: ColumnType<"notify" | "revoke", "notify" | "revoke" | undefined, "notify" | "revoke">;
}

export interface AppsTable {
  id: string;
  subscription_id: string;
  name: string;
  /** The public key from the install snippet: a lowercase UUID v4. */
  app_key: string;
  created_at: string;
  /** After a roll, the old key keeps working until previous_app_key_expires_at (cached snippets). */
  previous_app_key: ColumnType<string | null, string | null | undefined, string | null>;
  previous_app_key_expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of origins the app's events may come from; empty means any. */
  allowed_origins: ColumnType<string, string | undefined, string>;
}

export type UserRole = "owner" | "admin" | "member" | "viewer";

export interface UsersTable {
  id: string;
  subscription_id: string;
  email: string;
  name: string;
  role: UserRole;
  password_hash: string | null;
  created_at: string;
  removed_at: string | null;
  /** 1 when an admin may also create and revoke integration keys (keys.md rule 1). */
  integration_key_access: ColumnType<number, number | undefined, number>;
}

export interface SignInTokensTable {
  id: string;
  user_id: string;
  /** SHA-256 of the one-time token, hex; the token itself is only ever printed. */
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  subscription_id: string;
  kind: "integration" | "feedback" | "track";
  description: string;
  /** SHA-256 of the whole key, hex; the key itself is never stored. */
  key_hash: string;
  /** The first characters, for people to tell keys apart. */
  key_start: string;
  /** Track secrets belong to one app; other kinds cover the whole subscription. */
  app_id: string | null;
  scope: "read" | "write";
  /** The user id, or `cli` for the operator's command line. */
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  /** The key that replaced this one in a roll. */
  rolled_to: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  /** When it was first seen on a browser endpoint. */
  exposed_at: string | null;
}

export interface AuditLogTable {
  id: string;
  subscription_id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  /** JSON object with what else is worth knowing; never a key. */
  detail: string;
}

export interface CacheRevisionsTable {
  name: string;
  revision: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  /** SHA-256 of the cookie's token, hex. */
  token_hash: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
}

export type ExcludeRuleKind = "ip" | "visitor" | "account" | "host";

/** One Exclude List rule: events it matches are stored but flagged `excluded` when they arrive. */
export interface ExcludeRulesTable {
  id: string;
  subscription_id: string;
  kind: ExcludeRuleKind;
  /** Normalised (see exclude/exclude-rules.ts): an address or CIDR, an id, or a lower-case host; `*` is a wildcard. */
  pattern: string;
  note: string | null;
  created_at: string;
  /** The user id, or `cli` for the operator's command line. */
  created_by: string;
}
