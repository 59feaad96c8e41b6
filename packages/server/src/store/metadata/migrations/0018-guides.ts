import type { Kysely } from "kysely";
import { wideInteger } from "./wide-integer.js";

// Guides (guides/): a guide's settings in one row, its steps and polls in their own tables (ordered by rank),
// and the resets that tell guide delivery to ignore a visitor's guide events from before them. Portable to
// PostgreSQL as written, but for `last_updated_at` (see wide-integer.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  // At most one automatic guide per visitor per this many hours (0: no throttling), a subscription setting.
  await db.schema
    .alterTable("subscriptions")
    .addColumn("auto_guide_throttle_hours", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("guides")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("app_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // draft | staged | public | disabled
    .addColumn("state", "text", (c) => c.notNull())
    // auto | badge | dom | api
    .addColumn("launch_method", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("starts_at", "text")
    .addColumn("ends_at", "text")
    // Targeting: a segment of the subscription (null: everyone) and a page (a tagged page's id, or a page rule).
    .addColumn("segment_id", "text")
    .addColumn("page_id", "text")
    .addColumn("url_rule", "text")
    // The element whose click shows a `dom` guide, or that a `badge` sits beside.
    .addColumn("activation_selector", "text")
    // JSON array of visitor ids that see the guide while it is staged.
    .addColumn("staged_visitor_ids", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    // Epoch ms of the last change to what the agent shows (steps' `lastUpdatedAt`, guideSeen's `last_updated_at`).
    .addColumn("last_updated_at", wideInteger(db), (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("guides_by_subscription")
    .on("guides")
    .columns(["subscription_id", "created_at"])
    .execute();

  await db.schema
    .createTable("guide_steps")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("guide_id", "text", (c) => c.notNull().references("guides.id").onDelete("cascade"))
    .addColumn("rank", "integer", (c) => c.notNull())
    // lightbox | tooltip | banner
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("anchor_selector", "text")
    // 1 to show a close (×) button
    .addColumn("close_button", "integer", (c) => c.notNull())
    // The content document (guides/content-document.ts), JSON text, checked when written.
    .addColumn("content", "text", (c) => c.notNull())
    // JSON array of the poll ids the content uses.
    .addColumn("poll_ids", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("guide_steps_by_guide")
    .on("guide_steps")
    .columns(["guide_id", "rank"])
    .execute();

  await db.schema
    .createTable("guide_polls")
    .addColumn("guide_id", "text", (c) => c.notNull().references("guides.id").onDelete("cascade"))
    // Chosen by the author, unique in its guide (it is written into the page as `data-pendo-poll-id`).
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("rank", "integer", (c) => c.notNull())
    // yesNo | nps | freeText | multipleChoice
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("question", "text", (c) => c.notNull())
    // JSON array of strings (multipleChoice only; else []).
    .addColumn("choices", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("guide_polls_pk", ["guide_id", "id"])
    .execute();

  // Not foreign keys: a reset of "all" has no guide, and a reset outlives the guide it named.
  await db.schema
    .createTable("guide_resets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    // A guide's id, or null for every guide.
    .addColumn("guide_id", "text")
    .addColumn("visitor_id", "text", (c) => c.notNull())
    .addColumn("reset_at", "text", (c) => c.notNull())
    .addColumn("reset_by", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("guide_resets_by_visitor")
    .on("guide_resets")
    .columns(["subscription_id", "visitor_id", "reset_at"])
    .execute();
}
