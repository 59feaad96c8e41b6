/**
 * The metadata store's tables as the application sees them, for every engine (SQLite, PostgreSQL).
 * Times are ISO-8601 UTC strings and flags are absent rather than boolean, so every engine reads the same.
 */
export interface MetadataSchema {
  subscriptions: SubscriptionsTable;
  apps: AppsTable;
  users: UsersTable;
  sign_in_tokens: SignInTokensTable;
}

export interface SubscriptionsTable {
  id: string;
  name: string;
  /** The app v1 endpoints answer for when no app is named (Pendo's "default app"). */
  default_app_id: string | null;
  created_at: string;
}

export interface AppsTable {
  id: string;
  subscription_id: string;
  name: string;
  /** The public key from the install snippet: a lowercase UUID v4. */
  app_key: string;
  created_at: string;
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
