import type pg from "pg";
import type { VisitorAlias } from "../profile-records.js";
import type { AliasKey, GuideStepStateKey, StoredGuideStepState } from "../profile-transfer.js";

/** The statements of `cairn export` and `cairn import` on PostgreSQL: pages in key order, writes that replace. */

const aliasColumns = `subscription_id AS "subscriptionId", anonymous_id AS "anonymousId",
  visitor_id AS "visitorId", aliased_at AS "aliasedAt"`;

const guideStateColumns = `subscription_id AS "subscriptionId", app_id AS "appId", visitor_id AS "visitorId",
  guide_id AS "guideId", step_id AS "stepId", state, last_seen_at AS "lastSeenAt", seen_reason AS "seenReason",
  destination_step_id AS "destinationStepId", dismiss_count AS "dismissCount", snooze_end_time AS "snoozeEndTime",
  state_sequence AS "stateSequence", state_ordinal AS "stateOrdinal", updated_sequence AS "updatedSequence"`;

const guideStateKey = "subscription_id, app_id, visitor_id, guide_id, step_id";

const replaceAll = (columns: readonly string[]) => columns.map((c) => `${c} = excluded.${c}`).join(", ");

export const profileTransferSql = {
  // $1 subscription, $2 visitor, $3…$11 visit fields, $12 agent, $13 custom, $14 updated at, $15 change
  restoreVisitor: `INSERT INTO profile_visitors (subscription_id, visitor_id, first_visit, last_visit, last_app_id,
    last_account_id, last_user_agent, last_browser_name, last_browser_version, last_operating_system,
    last_server_name, agent_metadata, custom_metadata, updated_at, change_seq)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14, $15)
    ON CONFLICT (subscription_id, visitor_id) DO UPDATE SET ${replaceAll([
      "first_visit",
      "last_visit",
      "last_app_id",
      "last_account_id",
      "last_user_agent",
      "last_browser_name",
      "last_browser_version",
      "last_operating_system",
      "last_server_name",
      "agent_metadata",
      "custom_metadata",
      "updated_at",
      "change_seq",
    ])}`,
  restoreAccount: `INSERT INTO profile_accounts (subscription_id, account_id, first_visit, last_visit,
    agent_metadata, custom_metadata, updated_at, change_seq)
    VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)
    ON CONFLICT (subscription_id, account_id) DO UPDATE SET ${replaceAll([
      "first_visit",
      "last_visit",
      "agent_metadata",
      "custom_metadata",
      "updated_at",
      "change_seq",
    ])}`,
  restoreAlias: `INSERT INTO profile_visitor_aliases VALUES ($1, $2, $3, $4)
    ON CONFLICT (subscription_id, anonymous_id) DO UPDATE SET ${replaceAll(["visitor_id", "aliased_at"])}`,
  restoreGuideState: `INSERT INTO profile_guide_step_states VALUES
    ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    ON CONFLICT (${guideStateKey}) DO UPDATE SET ${replaceAll([
      "state",
      "last_seen_at",
      "seen_reason",
      "destination_step_id",
      "dismiss_count",
      "snooze_end_time",
      "state_sequence",
      "state_ordinal",
      "updated_sequence",
    ])}`,
};

export async function aliasesAfter(
  pool: pg.Pool,
  after: AliasKey | null,
  limit: number,
): Promise<VisitorAlias[]> {
  const order = "ORDER BY subscription_id, anonymous_id";
  const { rows } = after
    ? await pool.query<VisitorAlias>(
        `SELECT ${aliasColumns} FROM profile_visitor_aliases WHERE (subscription_id, anonymous_id) > ($1, $2) ${order} LIMIT $3`,
        [after.subscriptionId, after.anonymousId, limit],
      )
    : await pool.query<VisitorAlias>(
        `SELECT ${aliasColumns} FROM profile_visitor_aliases ${order} LIMIT $1`,
        [limit],
      );
  return rows;
}

export async function guideStepStatesAfter(
  pool: pg.Pool,
  after: GuideStepStateKey | null,
  limit: number,
): Promise<StoredGuideStepState[]> {
  const order = `ORDER BY ${guideStateKey}`;
  const { rows } = after
    ? await pool.query<StoredGuideStepState>(
        `SELECT ${guideStateColumns} FROM profile_guide_step_states WHERE (${guideStateKey}) > ($1, $2, $3, $4, $5) ${order} LIMIT $6`,
        [after.subscriptionId, after.appId, after.visitorId, after.guideId, after.stepId, limit],
      )
    : await pool.query<StoredGuideStepState>(
        `SELECT ${guideStateColumns} FROM profile_guide_step_states ${order} LIMIT $1`,
        [limit],
      );
  return rows;
}
