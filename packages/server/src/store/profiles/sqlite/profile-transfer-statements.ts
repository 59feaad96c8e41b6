import type { Database, Statement } from "better-sqlite3";

const guideStateColumns = `subscription_id AS subscriptionId, app_id AS appId, visitor_id AS visitorId,
  guide_id AS guideId, step_id AS stepId, state, last_seen_at AS lastSeenAt, seen_reason AS seenReason,
  destination_step_id AS destinationStepId, dismiss_count AS dismissCount, snooze_end_time AS snoozeEndTime,
  state_sequence AS stateSequence, state_ordinal AS stateOrdinal, updated_sequence AS updatedSequence`;

export type ProfileTransferStatements = ReturnType<typeof prepareProfileTransferStatements>;

/** The statements of `cairn export` and `cairn import`: pages in key order, and writes that replace. */
export function prepareProfileTransferStatements(db: Database) {
  const prepare = (text: string): Statement => db.prepare(text);
  return {
    firstAliases: prepare(`SELECT subscription_id AS subscriptionId, anonymous_id AS anonymousId,
      visitor_id AS visitorId, aliased_at AS aliasedAt FROM visitor_aliases
      ORDER BY subscription_id, anonymous_id LIMIT @limit`),
    aliasesAfter: prepare(`SELECT subscription_id AS subscriptionId, anonymous_id AS anonymousId,
      visitor_id AS visitorId, aliased_at AS aliasedAt FROM visitor_aliases
      WHERE (subscription_id, anonymous_id) > (@subscriptionId, @anonymousId)
      ORDER BY subscription_id, anonymous_id LIMIT @limit`),
    firstGuideStates: prepare(`SELECT ${guideStateColumns} FROM guide_step_states
      ORDER BY subscription_id, app_id, visitor_id, guide_id, step_id LIMIT @limit`),
    guideStatesAfter: prepare(`SELECT ${guideStateColumns} FROM guide_step_states
      WHERE (subscription_id, app_id, visitor_id, guide_id, step_id) > (@subscriptionId, @appId, @visitorId, @guideId, @stepId)
      ORDER BY subscription_id, app_id, visitor_id, guide_id, step_id LIMIT @limit`),
    restoreVisitor:
      prepare(`INSERT OR REPLACE INTO visitors (subscription_id, visitor_id, first_visit, last_visit,
      last_app_id, last_account_id, last_user_agent, last_browser_name, last_browser_version,
      last_operating_system, last_server_name, agent_metadata, custom_metadata, updated_at, change_seq)
      VALUES (@subscriptionId, @visitorId, @firstVisit, @lastVisit, @lastAppId, @lastAccountId, @lastUserAgent,
        @lastBrowserName, @lastBrowserVersion, @lastOperatingSystem, @lastServerName, @agentMetadata,
        @customMetadata, @updatedAt, @changeSeq)`),
    restoreAccount:
      prepare(`INSERT OR REPLACE INTO accounts (subscription_id, account_id, first_visit, last_visit,
      agent_metadata, custom_metadata, updated_at, change_seq)
      VALUES (@subscriptionId, @accountId, @firstVisit, @lastVisit, @agentMetadata, @customMetadata, @updatedAt,
        @changeSeq)`),
    restoreAlias:
      prepare(`INSERT OR REPLACE INTO visitor_aliases (subscription_id, anonymous_id, visitor_id, aliased_at)
      VALUES (@subscriptionId, @anonymousId, @visitorId, @aliasedAt)`),
    restoreGuideState: prepare(`INSERT OR REPLACE INTO guide_step_states (subscription_id, app_id, visitor_id,
      guide_id, step_id, state, last_seen_at, seen_reason, destination_step_id, dismiss_count, snooze_end_time,
      state_sequence, state_ordinal, updated_sequence)
      VALUES (@subscriptionId, @appId, @visitorId, @guideId, @stepId, @state, @lastSeenAt, @seenReason,
        @destinationStepId, @dismissCount, @snoozeEndTime, @stateSequence, @stateOrdinal, @updatedSequence)`),
  };
}
