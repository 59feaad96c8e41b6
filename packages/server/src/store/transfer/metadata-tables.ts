import type { MetadataSchema } from "../metadata/metadata-schema.js";

/**
 * The metadata tables an export copies, in an order where every row's foreign keys point at rows of tables
 * before it (so an import inserts them in this order). Keys, secrets and passwords are copied as stored:
 * hashes, never anything in clear.
 */
export const exportedTables = [
  "subscriptions",
  "apps",
  "users",
  "api_keys",
  "audit_log",
  "exclude_rules",
  "feedback_accounts",
  "feedback_end_users",
  "feedback_ideas",
  "feedback_idea_status_changes",
  "feedback_votes",
  "feedback_comments",
  "feedback_hooks",
  "feedback_webhook_deliveries",
  "pages",
  "features",
  "track_types",
  "segments",
  "segment_visitors",
  "reports",
  "bulk_deletes",
  "guides",
  "guide_steps",
  "guide_polls",
  "guide_resets",
  "do_not_process_visitors",
] as const satisfies readonly (keyof MetadataSchema)[];

export type ExportedTable = (typeof exportedTables)[number];

/** Tables left out, and why: each is remade by the target or is only good for a short time. */
export const skippedTables: Readonly<Record<string, string>> = {
  sessions: "sign-in sessions last hours; people sign in again on the new stores",
  sign_in_tokens: "one-time sign-in links expire within minutes; make a new one with `cairn users`",
  cache_revisions: "each store's own cache counters, made by its migrations",
  cairn_migrations: "the manifest records the source's migrations; the target applies its own",
  cairn_migrations_lock: "the migrations' lock, held only while they run",
  cairn_import_progress: "the target's record of an import in progress",
};

/**
 * Columns that point at a row of their own table (an idea merged into another): inserted as null, then set once
 * every row of the table is in, whatever order the rows come in.
 */
export const selfReferences: Partial<Record<ExportedTable, readonly string[]>> = {
  feedback_ideas: ["merged_into_id"],
};
