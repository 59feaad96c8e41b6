import type { Database, Statement } from "better-sqlite3";
import type { ProfileKind } from "../profile-records.js";

/**
 * Take the newer visit's value, keeping the stored one when the newer has none. A stored visitor without a
 * visit (created through the v1 API) takes the first visit's values.
 */
const newer = (column: string) =>
  `${column} = CASE WHEN last_visit IS NULL OR excluded.last_visit >= last_visit THEN coalesce(excluded.${column}, ${column}) ELSE ${column} END`;

// SQLite's two-argument min() and max() are NULL when either side is: a visitor created without visits takes
// the first visit's range.
const widen = `
  first_visit = min(coalesce(first_visit, excluded.first_visit), excluded.first_visit),
  last_visit = max(coalesce(last_visit, excluded.last_visit), excluded.last_visit)`;

const profileTables: Readonly<Record<ProfileKind, { table: string; id: string }>> = {
  visitor: { table: "visitors", id: "visitor_id" },
  account: { table: "accounts", id: "account_id" },
};

/**
 * The custom group: the patch is merged over the stored group as RFC 7396 says (a null removes a field); a
 * visitor or account not there yet is created without visits, its group being the patch without its nulls.
 */
function customUpsert(kind: ProfileKind): string {
  const { table, id } = profileTables[kind];
  return `
    INSERT INTO ${table} (subscription_id, ${id}, agent_metadata, custom_metadata, updated_at, change_seq)
    VALUES (@subscriptionId, @id, '{}', json_patch('{}', @patch), @now, @changeSeq)
    ON CONFLICT (subscription_id, ${id}) DO UPDATE SET
      custom_metadata = json_patch(custom_metadata, @patch), updated_at = @now, change_seq = @changeSeq`;
}

const visitorColumns = `
  subscription_id AS subscriptionId, visitor_id AS visitorId, first_visit AS firstVisit, last_visit AS lastVisit,
  last_app_id AS lastAppId, last_account_id AS lastAccountId, last_user_agent AS lastUserAgent,
  last_browser_name AS lastBrowserName, last_browser_version AS lastBrowserVersion,
  last_operating_system AS lastOperatingSystem, last_server_name AS lastServerName,
  agent_metadata AS agentMetadata, custom_metadata AS customMetadata, updated_at AS updatedAt`;

const accountColumns = `
  subscription_id AS subscriptionId, account_id AS accountId, first_visit AS firstVisit, last_visit AS lastVisit,
  agent_metadata AS agentMetadata, custom_metadata AS customMetadata, updated_at AS updatedAt`;

const visitorInsert = `INSERT INTO visitors (subscription_id, visitor_id, first_visit, last_visit, last_app_id,
  last_account_id, last_user_agent, last_browser_name, last_browser_version, last_operating_system,
  last_server_name, agent_metadata, custom_metadata, updated_at, change_seq)`;

const accountInsert = `INSERT INTO accounts (subscription_id, account_id, first_visit, last_visit, agent_metadata,
  custom_metadata, updated_at, change_seq)`;

/** A guide step column takes the incoming event's value when that event is as new as the stored state or newer. */
const newerGuideEvent = (column: string) =>
  `${column} = CASE WHEN excluded.last_seen_at >= last_seen_at THEN excluded.${column} ELSE ${column} END`;

const guideStateColumns = (table: string) => `
  ${table}.guide_id AS guideId, ${table}.step_id AS stepId, ${table}.state, ${table}.last_seen_at AS lastSeenAt,
  ${table}.seen_reason AS seenReason, ${table}.destination_step_id AS destinationStepId,
  ${table}.dismiss_count AS dismissCount, ${table}.snooze_end_time AS snoozeEndTime,
  ${table}.state_sequence AS stateSequence, ${table}.state_ordinal AS stateOrdinal`;

export type ProfileStatements = ReturnType<typeof prepareProfileStatements>;

/** Every statement the profile store runs, prepared once. */
export function prepareProfileStatements(db: Database) {
  const prepare = (sql: string): Statement => db.prepare(sql);
  return {
    checkpoint: prepare("SELECT sequence FROM profile_checkpoints WHERE log = ?").pluck(),
    setCheckpoint: prepare(
      "INSERT INTO profile_checkpoints VALUES (?, ?) ON CONFLICT (log) DO UPDATE SET sequence = excluded.sequence",
    ),
    changeCounter: prepare("SELECT seq FROM profile_change_counter WHERE id = 1").pluck(),
    setChangeCounter: prepare("UPDATE profile_change_counter SET seq = ? WHERE id = 1"),
    upsertVisitor: prepare(`
      ${visitorInsert} VALUES (@subscriptionId, @visitorId, @firstVisit, @lastVisit, @lastAppId, @lastAccountId,
        @lastUserAgent, @lastBrowserName, @lastBrowserVersion, @lastOperatingSystem, @lastServerName,
        coalesce(@agentMetadata, '{}'), '{}', @now, @changeSeq)
      ON CONFLICT (subscription_id, visitor_id) DO UPDATE SET
        ${newer("last_app_id")}, ${newer("last_account_id")}, ${newer("last_user_agent")},
        ${newer("last_browser_name")}, ${newer("last_browser_version")}, ${newer("last_operating_system")},
        ${newer("last_server_name")}, ${widen},
        agent_metadata = json_patch(agent_metadata, excluded.agent_metadata),
        updated_at = excluded.updated_at, change_seq = excluded.change_seq`),
    upsertAccount: prepare(`
      ${accountInsert} VALUES (@subscriptionId, @accountId, @firstVisit, @lastVisit,
        coalesce(@agentMetadata, '{}'), '{}', @now, @changeSeq)
      ON CONFLICT (subscription_id, account_id) DO UPDATE SET
        ${widen},
        agent_metadata = json_patch(agent_metadata, excluded.agent_metadata),
        updated_at = excluded.updated_at, change_seq = excluded.change_seq`),
    // An anonymous visitor becomes the first identified visitor it was seen as; later claims do not move it.
    insertAlias: prepare(`
      INSERT INTO visitor_aliases VALUES (@subscriptionId, @anonymousId, @visitorId, @aliasedAt)
      ON CONFLICT (subscription_id, anonymous_id) DO NOTHING`),
    // SQLite evaluates every SET expression against the stored row, so each CASE compares with the old time.
    upsertGuideState: prepare(`
      INSERT INTO guide_step_states VALUES (@subscriptionId, @appId, @visitorId, @guideId, @stepId, @state, @at,
        @seenReason, @destinationStepId, @dismissals, @snoozeEndTime, @sequence, @ordinal, @sequence)
      ON CONFLICT (subscription_id, app_id, visitor_id, guide_id, step_id) DO UPDATE SET
        ${newerGuideEvent("state")}, ${newerGuideEvent("seen_reason")}, ${newerGuideEvent("destination_step_id")},
        ${newerGuideEvent("snooze_end_time")}, ${newerGuideEvent("state_sequence")},
        ${newerGuideEvent("state_ordinal")}, last_seen_at = max(last_seen_at, excluded.last_seen_at),
        dismiss_count = dismiss_count + excluded.dismiss_count, updated_sequence = excluded.updated_sequence`),
    // The visitor's own rows, then its anonymous aliases' (through visitor_aliases_by_visitor): primary-key
    // range reads only. CROSS JOIN keeps the aliases outer: without statistics SQLite would scan the app's rows.
    guideStatesOf: prepare(`
      SELECT ${guideStateColumns("g")} FROM guide_step_states AS g
        WHERE g.subscription_id = @subscriptionId AND g.app_id = @appId AND g.visitor_id = @visitorId
      UNION ALL
      SELECT ${guideStateColumns("g")} FROM visitor_aliases AS a
        CROSS JOIN guide_step_states AS g ON g.subscription_id = a.subscription_id AND g.app_id = @appId
          AND g.visitor_id = a.anonymous_id
        WHERE a.subscription_id = @subscriptionId AND a.visitor_id = @visitorId`),
    deleteGuideStates: prepare("DELETE FROM guide_step_states WHERE subscription_id = ? AND visitor_id = ?"),
    upsertCustom: { visitor: prepare(customUpsert("visitor")), account: prepare(customUpsert("account")) },
    // An import keeps what is stored under the same key; only a record it adds takes a change number.
    importVisitor: prepare(`
      ${visitorInsert} VALUES (@subscriptionId, @visitorId, @firstVisit, @lastVisit, @lastAppId,
        @lastAccountId, @lastUserAgent, @lastBrowserName, @lastBrowserVersion, @lastOperatingSystem,
        @lastServerName, @agentMetadata, @customMetadata, @updatedAt, @changeSeq)
      ON CONFLICT DO NOTHING`),
    importAccount: prepare(`
      ${accountInsert} VALUES (@subscriptionId, @accountId, @firstVisit, @lastVisit,
        @agentMetadata, @customMetadata, @updatedAt, @changeSeq)
      ON CONFLICT DO NOTHING`),
    importAlias: prepare(
      "INSERT OR IGNORE INTO visitor_aliases VALUES (@subscriptionId, @anonymousId, @visitorId, @aliasedAt)",
    ),
    visitor: prepare(`SELECT ${visitorColumns} FROM visitors WHERE subscription_id = ? AND visitor_id = ?`),
    account: prepare(`SELECT ${accountColumns} FROM accounts WHERE subscription_id = ? AND account_id = ?`),
    visitorsChangedSince: prepare(
      `SELECT ${visitorColumns}, change_seq AS changeSeq FROM visitors WHERE change_seq > ? ORDER BY change_seq LIMIT ?`,
    ),
    accountsChangedSince: prepare(
      `SELECT ${accountColumns}, change_seq AS changeSeq FROM accounts WHERE change_seq > ? ORDER BY change_seq LIMIT ?`,
    ),
    removedSince: prepare(
      "SELECT kind, subscription_id AS subscriptionId, id, change_seq AS changeSeq FROM profile_tombstones WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
    ),
    deleteRecord: {
      visitor: prepare("DELETE FROM visitors WHERE subscription_id = ? AND visitor_id = ?"),
      account: prepare("DELETE FROM accounts WHERE subscription_id = ? AND account_id = ?"),
    },
    // The visitor's own aliases, and any alias that names it as the anonymous id.
    deleteAliases: prepare(
      "DELETE FROM visitor_aliases WHERE subscription_id = ? AND (visitor_id = ? OR anonymous_id = ?)",
    ),
    setTombstone: prepare(`
      INSERT INTO profile_tombstones VALUES (@kind, @subscriptionId, @id, @changeSeq)
      ON CONFLICT (kind, subscription_id, id) DO UPDATE SET change_seq = excluded.change_seq`),
    aliasesOf: prepare(
      "SELECT anonymous_id FROM visitor_aliases WHERE subscription_id = ? AND visitor_id = ? ORDER BY aliased_at, anonymous_id",
    ).pluck(),
    knownIds: {
      visitor: prepare(
        "SELECT visitor_id FROM visitors WHERE subscription_id = ? AND visitor_id IN (SELECT value FROM json_each(?))",
      ).pluck(),
      account: prepare(
        "SELECT account_id FROM accounts WHERE subscription_id = ? AND account_id IN (SELECT value FROM json_each(?))",
      ).pluck(),
    },
  };
}
