import type { ProfileKind } from "../profile-records.js";

/**
 * The profile store's SQL on PostgreSQL: the SQLite statements (sqlite/profile-statements.ts) rule for rule.
 * In ON CONFLICT … DO UPDATE, PostgreSQL, like SQLite, evaluates every SET expression against the stored row
 * (`t`), so each CASE compares with the old values.
 */

/** Take the newer visit's value, keeping the stored one when the newer has none (see the SQLite `newer`). */
const newer = (column: string) =>
  `${column} = CASE WHEN t.last_visit IS NULL OR excluded.last_visit >= t.last_visit THEN coalesce(excluded.${column}, t.${column}) ELSE t.${column} END`;

// least/greatest skip NULLs, where SQLite's min/max give NULL; the incoming visit is never NULL here, so both
// give the first visit's range to a visitor created without visits.
const widen = `
  first_visit = least(coalesce(t.first_visit, excluded.first_visit), excluded.first_visit),
  last_visit = greatest(coalesce(t.last_visit, excluded.last_visit), excluded.last_visit)`;

export const profileTables: Readonly<Record<ProfileKind, { table: string; id: string }>> = {
  visitor: { table: "profile_visitors", id: "visitor_id" },
  account: { table: "profile_accounts", id: "account_id" },
};

/** $1 subscription, $2 id, $3 patch (JSON text), $4 now, $5 change number. */
function customUpsert(kind: ProfileKind): string {
  const { table, id } = profileTables[kind];
  return `
    INSERT INTO ${table} AS t (subscription_id, ${id}, agent_metadata, custom_metadata, updated_at, change_seq)
    VALUES ($1, $2, '{}', profile_merge_patch('{}', $3::jsonb), $4, $5)
    ON CONFLICT (subscription_id, ${id}) DO UPDATE SET
      custom_metadata = profile_merge_patch(t.custom_metadata, $3::jsonb), updated_at = $4, change_seq = $5`;
}

export const visitorColumns = `
  subscription_id AS "subscriptionId", visitor_id AS "visitorId", first_visit AS "firstVisit",
  last_visit AS "lastVisit", last_app_id AS "lastAppId", last_account_id AS "lastAccountId",
  last_user_agent AS "lastUserAgent", last_browser_name AS "lastBrowserName",
  last_browser_version AS "lastBrowserVersion", last_operating_system AS "lastOperatingSystem",
  last_server_name AS "lastServerName", agent_metadata AS "agentMetadata", custom_metadata AS "customMetadata",
  updated_at AS "updatedAt"`;

export const accountColumns = `
  subscription_id AS "subscriptionId", account_id AS "accountId", first_visit AS "firstVisit",
  last_visit AS "lastVisit", agent_metadata AS "agentMetadata", custom_metadata AS "customMetadata",
  updated_at AS "updatedAt"`;

const visitorInsert = `INSERT INTO profile_visitors AS t (subscription_id, visitor_id, first_visit, last_visit,
  last_app_id, last_account_id, last_user_agent, last_browser_name, last_browser_version, last_operating_system,
  last_server_name, agent_metadata, custom_metadata, updated_at, change_seq)`;

const accountInsert = `INSERT INTO profile_accounts AS t (subscription_id, account_id, first_visit, last_visit,
  agent_metadata, custom_metadata, updated_at, change_seq)`;

/** A guide step column takes the incoming event's value when that event is as new as the stored state or newer. */
const newerGuideEvent = (column: string) =>
  `${column} = CASE WHEN excluded.last_seen_at >= t.last_seen_at THEN excluded.${column} ELSE t.${column} END`;

const guideStateColumns = (table: string) => `
  ${table}.guide_id AS "guideId", ${table}.step_id AS "stepId", ${table}.state,
  ${table}.last_seen_at AS "lastSeenAt", ${table}.seen_reason AS "seenReason",
  ${table}.destination_step_id AS "destinationStepId", ${table}.dismiss_count AS "dismissCount",
  ${table}.snooze_end_time AS "snoozeEndTime", ${table}.state_sequence AS "stateSequence",
  ${table}.state_ordinal AS "stateOrdinal"`;

/** Every statement, by name; the comment on each says its parameters in order. */
export const profileSql = {
  // $1 log
  checkpoint: "SELECT sequence FROM profile_checkpoints WHERE log = $1",
  // $1 log, $2 sequence
  setCheckpoint:
    "INSERT INTO profile_checkpoints VALUES ($1, $2) ON CONFLICT (log) DO UPDATE SET sequence = excluded.sequence",
  changeCounter: "SELECT seq FROM profile_change_counter WHERE id = 1",
  // $1 seq
  setChangeCounter: "UPDATE profile_change_counter SET seq = $1 WHERE id = 1",
  // Many visitors in one statement, rows in array order (no key twice): $1…$12 arrays of the patches' fields in
  // VisitorPatch order (agent metadata JSON text or null), $13 now, $14 their change numbers.
  upsertVisitors: `
    ${visitorInsert}
    SELECT s, v, f, l, app, acct, ua, bn, bv, os, srv, coalesce(am::jsonb, '{}'), '{}', $13::bigint, c
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[],
      $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $14::bigint[])
      AS u(s, v, f, l, app, acct, ua, bn, bv, os, srv, am, c)
    ON CONFLICT (subscription_id, visitor_id) DO UPDATE SET
      ${newer("last_app_id")}, ${newer("last_account_id")}, ${newer("last_user_agent")},
      ${newer("last_browser_name")}, ${newer("last_browser_version")}, ${newer("last_operating_system")},
      ${newer("last_server_name")}, ${widen},
      agent_metadata = profile_merge_patch(t.agent_metadata, excluded.agent_metadata),
      updated_at = excluded.updated_at, change_seq = excluded.change_seq`,
  // Many accounts, as upsertVisitors: $1 subscriptions, $2 accounts, $3 first, $4 last, $5 agent metadata JSON
  // text or null (arrays), $6 now, $7 change numbers.
  upsertAccounts: `
    ${accountInsert}
    SELECT s, a, f, l, coalesce(am::jsonb, '{}'), '{}', $6::bigint, c
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $7::bigint[]) AS u(s, a, f, l, am, c)
    ON CONFLICT (subscription_id, account_id) DO UPDATE SET
      ${widen},
      agent_metadata = profile_merge_patch(t.agent_metadata, excluded.agent_metadata),
      updated_at = excluded.updated_at, change_seq = excluded.change_seq`,
  // An anonymous visitor becomes the first identified visitor it was seen as; later claims do not move it.
  // $1 subscription, $2 anonymous id, $3 visitor, $4 aliased at
  insertAlias: `
    INSERT INTO profile_visitor_aliases VALUES ($1, $2, $3, $4)
    ON CONFLICT (subscription_id, anonymous_id) DO NOTHING`,
  // $1 subscription, $2 app, $3 visitor, $4 guide, $5 step, $6 state, $7 at, $8 seen reason, $9 destination,
  // $10 dismissals, $11 snooze end, $12 sequence, $13 ordinal
  upsertGuideState: `
    INSERT INTO profile_guide_step_states AS t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12)
    ON CONFLICT (subscription_id, app_id, visitor_id, guide_id, step_id) DO UPDATE SET
      ${newerGuideEvent("state")}, ${newerGuideEvent("seen_reason")}, ${newerGuideEvent("destination_step_id")},
      ${newerGuideEvent("snooze_end_time")}, ${newerGuideEvent("state_sequence")},
      ${newerGuideEvent("state_ordinal")}, last_seen_at = greatest(t.last_seen_at, excluded.last_seen_at),
      dismiss_count = t.dismiss_count + excluded.dismiss_count, updated_sequence = excluded.updated_sequence`,
  // The visitor's own rows, then its anonymous aliases': primary-key range reads. $1 subscription, $2 app, $3 visitor
  guideStatesOf: `
    SELECT ${guideStateColumns("g")} FROM profile_guide_step_states AS g
      WHERE g.subscription_id = $1 AND g.app_id = $2 AND g.visitor_id = $3
    UNION ALL
    SELECT ${guideStateColumns("g")} FROM profile_visitor_aliases AS a
      JOIN profile_guide_step_states AS g ON g.subscription_id = a.subscription_id AND g.app_id = $2
        AND g.visitor_id = a.anonymous_id
      WHERE a.subscription_id = $1 AND a.visitor_id = $3`,
  // $1 subscription, $2 visitor
  deleteGuideStates: "DELETE FROM profile_guide_step_states WHERE subscription_id = $1 AND visitor_id = $2",
  upsertCustom: { visitor: customUpsert("visitor"), account: customUpsert("account") },
  // An import keeps what is stored under the same key; only a record it adds takes a change number.
  // $1…$11 the visitor fields of upsertVisitors (one value each), $12 agent metadata, $13 custom metadata, $14 updated at, $15 change
  importVisitor: `
    ${visitorInsert} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14, $15)
    ON CONFLICT DO NOTHING`,
  // $1 subscription, $2 account, $3 first, $4 last, $5 agent, $6 custom, $7 updated at, $8 change
  importAccount: `
    ${accountInsert} VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)
    ON CONFLICT DO NOTHING`,
  importAlias: "INSERT INTO profile_visitor_aliases VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
  visitor: `SELECT ${visitorColumns} FROM profile_visitors WHERE subscription_id = $1 AND visitor_id = $2`,
  account: `SELECT ${accountColumns} FROM profile_accounts WHERE subscription_id = $1 AND account_id = $2`,
  // $1 cursor, $2 limit
  visitorsChangedSince: `SELECT ${visitorColumns}, change_seq AS "changeSeq" FROM profile_visitors
    WHERE change_seq > $1 ORDER BY change_seq LIMIT $2`,
  accountsChangedSince: `SELECT ${accountColumns}, change_seq AS "changeSeq" FROM profile_accounts
    WHERE change_seq > $1 ORDER BY change_seq LIMIT $2`,
  removedSince: `SELECT kind, subscription_id AS "subscriptionId", id, change_seq AS "changeSeq"
    FROM profile_tombstones WHERE change_seq > $1 ORDER BY change_seq LIMIT $2`,
  // $1 subscription, $2 id
  deleteRecord: {
    visitor: "DELETE FROM profile_visitors WHERE subscription_id = $1 AND visitor_id = $2",
    account: "DELETE FROM profile_accounts WHERE subscription_id = $1 AND account_id = $2",
  },
  // The visitor's own aliases, and any alias that names it as the anonymous id. $1 subscription, $2 visitor
  deleteAliases:
    "DELETE FROM profile_visitor_aliases WHERE subscription_id = $1 AND (visitor_id = $2 OR anonymous_id = $2)",
  // $1 kind, $2 subscription, $3 id, $4 change
  setTombstone: `
    INSERT INTO profile_tombstones VALUES ($1, $2, $3, $4)
    ON CONFLICT (kind, subscription_id, id) DO UPDATE SET change_seq = excluded.change_seq`,
  // Code-point order, as SQLite's, whatever the database's collation. $1 subscription, $2 visitor
  aliasesOf: `SELECT anonymous_id FROM profile_visitor_aliases WHERE subscription_id = $1 AND visitor_id = $2
    ORDER BY aliased_at, anonymous_id COLLATE "C"`,
  // $1 subscription, $2 ids (text[])
  knownIds: {
    visitor:
      "SELECT visitor_id AS id FROM profile_visitors WHERE subscription_id = $1 AND visitor_id = ANY($2)",
    account:
      "SELECT account_id AS id FROM profile_accounts WHERE subscription_id = $1 AND account_id = ANY($2)",
  },
} as const;
