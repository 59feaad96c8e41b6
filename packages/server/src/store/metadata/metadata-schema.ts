import type { ColumnType } from "kysely";
import type { UserRole } from "../../access/users/roles.js";
import type { IdeaStatus } from "../../feedback/ideas/idea-status.js";
import type {
  GuideLaunchMethod,
  GuidePollType,
  GuideState,
  GuideStepType,
} from "../../guides/guide-words.js";

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
  feedback_accounts: FeedbackAccountsTable;
  feedback_end_users: FeedbackEndUsersTable;
  feedback_ideas: FeedbackIdeasTable;
  feedback_idea_status_changes: FeedbackIdeaStatusChangesTable;
  feedback_votes: FeedbackVotesTable;
  feedback_comments: FeedbackCommentsTable;
  feedback_hooks: FeedbackHooksTable;
  feedback_webhook_deliveries: FeedbackWebhookDeliveriesTable;
  pages: PagesTable;
  features: FeaturesTable;
  track_types: TrackTypesTable;
  segments: SegmentsTable;
  segment_visitors: SegmentVisitorsTable;
  reports: ReportsTable;
  bulk_deletes: BulkDeletesTable;
  guides: GuidesTable;
  guide_steps: GuideStepsTable;
  guide_polls: GuidePollsTable;
  guide_resets: GuideResetsTable;
  do_not_process_visitors: DoNotProcessVisitorsTable;
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
  /** At most one automatic guide per visitor per this many hours; 0: no throttling (guides/). */
  auto_guide_throttle_hours: ColumnType<number, number | undefined, number>;
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
  /** 1 when the app's agent offers the in-app feedback panel. */
  feedback_widget: ColumnType<number, number | undefined, number>;
  /** Where a signed visitor identity is required: `off`, `panel` or `panel_and_events` (identity-policy.ts). */
  identity_mode: ColumnType<IdentityMode, IdentityMode | undefined, IdentityMode>;
  /** With `panel_and_events`: `flag` stores an unsigned identified visitor's events marked, `refuse` drops them. */
  unsigned_events: ColumnType<UnsignedEvents, UnsignedEvents | undefined, UnsignedEvents>;
}

export type IdentityMode = "off" | "panel" | "panel_and_events";
export type UnsignedEvents = "flag" | "refuse";

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
  kind: "integration" | "feedback" | "track" | "identity";
  description: string;
  /** SHA-256 of the whole key, hex; the key itself is never stored. */
  key_hash: string;
  /** The first characters, for people to tell keys apart. */
  key_start: string;
  /** Track and identity secrets belong to one app; other kinds cover the whole subscription. */
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
  /** How it was opened: a one-time sign-in link or a password. */
  method: "link" | "password";
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

/** An account that end users giving feedback belong to; `external_id` is the analytics account id. */
export interface FeedbackAccountsTable {
  id: string;
  /** Pendo's numeric id for the row on the classic Feedback paths: set once, at insert (migration 0016). */
  number: ColumnType<number, number, never>;
  subscription_id: string;
  external_id: string;
  name: string | null;
  /** Set by PUT /feedback/accounts/:id, as Pendo's Account has them. */
  monthly_value: ColumnType<number | null, number | null | undefined, number | null>;
  status: ColumnType<AccountStatus | null, AccountStatus | null | undefined, AccountStatus | null>;
  /** JSON array of tags as given: strings and one-entry `{"Category": value}` maps. */
  tags: ColumnType<string, string | undefined, string>;
  created_at: string;
  updated_at: string;
  /** Once deleted, the row stays (its ids answer 410) with its other fields erased. */
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
  deleted_by_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export type AccountStatus = "paying" | "prospect" | "not_paying";

/** A person who gives feedback, known by the team's own user id (the analytics visitor id). */
export interface FeedbackEndUsersTable {
  id: string;
  /** Pendo's numeric id for the row on the classic Feedback paths: set once, at insert (migration 0016). */
  number: ColumnType<number, number, never>;
  subscription_id: string;
  external_id: string;
  email: string | null;
  name: string | null;
  account_id: string | null;
  /** JSON array of tags as given: strings and one-entry `{"Category": value}` maps. */
  tags: ColumnType<string, string | undefined, string>;
  created_at: string;
  updated_at: string;
  /** Once deleted, the row stays (its ids answer 410) with its other fields erased. */
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
  deleted_by_key: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A feature request ("idea"); deleted ones keep their row, with `deleted_at`, and answer 410. */
export interface FeedbackIdeasTable {
  id: string;
  /** Pendo's numeric id for the row on the classic Feedback paths: set once, at insert (migration 0016). */
  number: ColumnType<number, number, never>;
  subscription_id: string;
  title: string;
  details: string;
  status: IdeaStatus;
  status_changed_at: string;
  waiting_at: string | null;
  planned_at: string | null;
  developing_at: string | null;
  released_at: string | null;
  declined_at: string | null;
  product_area: string | null;
  /** JSON array of strings, a categorised tag written `Category:Value`: what the API answers and filters on. */
  tags: string;
  /** The tags as Pendo's classic path gave them (categorised ones as maps); null when `tags` is all there is. */
  tags_given: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 when the idea is private. */
  is_private: ColumnType<number, number | undefined, number>;
  merged_into_id: string | null;
  /** The end user (feedback_end_users.id) who asked for it, if the request named one. */
  creator_id: string | null;
  /** The id of the key that created it. */
  created_by_key: string;
  updated_by_key: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  deleted_by_key: string | null;
}

/** One row per status an idea entered, the first (from null to `new`) written when it was created. */
export interface FeedbackIdeaStatusChangesTable {
  id: string;
  idea_id: string;
  from_status: IdeaStatus | null;
  to_status: IdeaStatus;
  changed_at: string;
  changed_by_key: string;
}

/** An end user's vote on an idea: −1 is "not interested", 1 to 1,000,000 a weight; 0 is never stored. */
export interface FeedbackVotesTable {
  id: string;
  idea_id: string;
  end_user_id: string;
  quantity: number;
  created_at: string;
  updated_at: string;
  updated_by_key: string;
}

export interface FeedbackCommentsTable {
  id: string;
  idea_id: string;
  end_user_id: string;
  /** Stored exactly as sent: HTML in it is text, never interpreted or stripped. */
  text: string;
  created_at: string;
  created_by_key: string;
}

export type FeedbackHookEvent = "feature_created" | "feature_status_changed" | "feature_comment_created";

/** A webhook subscription: every `event` of the subscription is POSTed to `target_url`. */
export interface FeedbackHooksTable {
  id: string;
  subscription_id: string;
  event: FeedbackHookEvent;
  target_url: string;
  created_by_key: string;
  created_at: string;
  /**
   * Signs every delivery (`Cairn-Signature`); shown once, when the hook is created or its secret rolled.
   * Never logged. Set for every hook (migration 0014 gave earlier ones theirs).
   */
  signing_secret: string;
}

export type WebhookDeliveryState = "pending" | "delivered" | "failed";

/** The webhook outbox: one row per event and hook, written in the same transaction as the change. */
export interface FeedbackWebhookDeliveriesTable {
  id: string;
  hook_id: string;
  event: FeedbackHookEvent;
  /** The request body (JSON), the same on every attempt. */
  payload: string;
  /** Sent as `X-Cairn-Delivery`; stable across retries. */
  delivery_id: string;
  state: ColumnType<WebhookDeliveryState, WebhookDeliveryState | undefined, WebhookDeliveryState>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  /** While a server sends it; another server takes it over only once this time has passed. */
  claimed_until: string | null;
  delivered_at: string | null;
  /** When it was given up on (too old), with `last_error` saying why. */
  failed_at: string | null;
  last_error: string | null;
  created_at: string;
}

/** A tagged page: URLs matching any include rule and no exclude rule (tagging/pages/page-rule.ts). */
export interface PagesTable {
  id: string;
  subscription_id: string;
  app_id: string;
  name: string;
  /** JSON array of `{rule, designerHint, regexes}`: the rule as written and its compiled regular expressions. */
  rules: string;
  exclude_rules: string;
  /** The page rule compiler's version that wrote `regexes`; another version recompiles when loading. */
  compiler: number;
  created_at: string;
  /** A user id, `cli`, or the id of the integration key that wrote it. */
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** A tagged feature: clicks whose element path matches one of its CSS selectors (tagging/features/selector.ts). */
export interface FeaturesTable {
  id: string;
  subscription_id: string;
  app_id: string;
  name: string;
  /** The page it was tagged on; when set and `app_wide` is 0, only clicks on that page count. */
  page_id: string | null;
  app_wide: number;
  /** JSON array of CSS selectors as written. */
  element_path_rules: string;
  /** JSON string[][]: per selector (and per item of a selector list), the regexes that must all match. */
  compiled: string;
  compiler: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** A kind of track event, by the name events carry; created by hand or discovered from the events. */
export interface TrackTypesTable {
  id: string;
  subscription_id: string;
  app_id: string;
  name: string;
  track_type_name: string;
  /** JSON array of strings, kept as given. */
  track_type_rules: string;
  /** JSON array of event property names, kept as given. */
  event_property_name_list: string;
  created_at: string;
  /** A user id, `cli`, an integration key's id, or `discovery`. */
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** Set when deleted: the row stays so that discovery does not bring it back for events received before. */
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A segment: a named list of visitor ids, its members in `segment_visitors` (segments/). */
export interface SegmentsTable {
  id: string;
  subscription_id: string;
  name: string;
  /** 1 when created through the v1 API. */
  created_by_api: number;
  /** How many rows `segment_visitors` holds for it, kept in the transaction that changes them. */
  visitor_count: number;
  /** A new random value at every write. */
  entity_tag: string;
  created_at: string;
  /** A user id, `cli`, or the id of the integration key that wrote it. */
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** The token of the write in progress, and until when it holds the segment. */
  write_lease: ColumnType<string | null, string | null | undefined, string | null>;
  write_lease_until: ColumnType<string | null, string | null | undefined, string | null>;
  /** The rule its members were chosen by (JSON of segment-rule.ts's conditions), null for a list of ids. */
  rule: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SegmentVisitorsTable {
  segment_id: string;
  visitor_id: string;
}

/** A saved aggregation (query/reports/): run again each time its results are read. */
export interface ReportsTable {
  id: string;
  subscription_id: string;
  name: string;
  /** The aggregation request body as saved (JSON text); it compiled when it was saved. */
  aggregation: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** One bulk deletion of visitors or accounts (deletion/); the ids themselves are not kept. */
export interface BulkDeletesTable {
  id: string;
  subscription_id: string;
  kind: "visitor" | "account";
  /** How many distinct ids were asked for. */
  requested: number;
  state: "running" | "complete" | "failed";
  removed_profiles: number | null;
  removed_events: number | null;
  created_at: string;
  /** The id of the integration key that asked. */
  created_by: string;
  finished_at: string | null;
}

/** A guide (guides/): its settings; steps and polls in their own tables. */
export interface GuidesTable {
  id: string;
  subscription_id: string;
  app_id: string;
  name: string;
  state: GuideState;
  launch_method: GuideLaunchMethod;
  priority: number;
  starts_at: string | null;
  ends_at: string | null;
  segment_id: string | null;
  page_id: string | null;
  url_rule: string | null;
  activation_selector: string | null;
  /** JSON array of visitor ids. */
  staged_visitor_ids: string;
  created_at: string;
  /** A user id, `cli`, or the id of the integration key that wrote it. */
  created_by: string;
  updated_at: string;
  updated_by: string;
  published_at: string | null;
  /** Epoch ms. */
  last_updated_at: number;
}

export interface GuideStepsTable {
  id: string;
  guide_id: string;
  rank: number;
  type: GuideStepType;
  anchor_selector: string | null;
  close_button: number;
  /** The content document, JSON text. */
  content: string;
  /** JSON array of poll ids. */
  poll_ids: string;
}

export interface GuidePollsTable {
  guide_id: string;
  id: string;
  rank: number;
  type: GuidePollType;
  question: string;
  /** JSON array of strings. */
  choices: string;
}

/** Guide events of the visitor from before `reset_at` no longer count (for one guide, or all when null). */
export interface GuideResetsTable {
  id: string;
  subscription_id: string;
  guide_id: string | null;
  visitor_id: string;
  reset_at: string;
  reset_by: string;
}

/** Visitors whose data is not processed (Pendo's `donotprocess`): guide.json answers them 451. */
export interface DoNotProcessVisitorsTable {
  subscription_id: string;
  visitor_id: string;
  set_at: string;
}
