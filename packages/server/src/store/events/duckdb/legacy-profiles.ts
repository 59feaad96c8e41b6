import type { DuckDBConnection } from "@duckdb/node-api";
import type { LegacyProfiles } from "../../profiles/legacy-profiles.js";
import type { StoredAccount, StoredVisitor, VisitorAlias } from "../../profiles/profile-records.js";

const selects = {
  visitors: `SELECT subscription_id AS "subscriptionId", visitor_id AS "visitorId",
      epoch_ms(first_visit)::DOUBLE AS "firstVisit", epoch_ms(last_visit)::DOUBLE AS "lastVisit",
      last_app_id AS "lastAppId", last_account_id AS "lastAccountId", last_user_agent AS "lastUserAgent",
      last_browser_name AS "lastBrowserName", last_browser_version AS "lastBrowserVersion",
      last_operating_system AS "lastOperatingSystem", last_server_name AS "lastServerName",
      agent_metadata AS "agentMetadata", custom_metadata AS "customMetadata",
      epoch_ms(updated_at)::DOUBLE AS "updatedAt"
    FROM visitors ORDER BY subscription_id, visitor_id`,
  accounts: `SELECT subscription_id AS "subscriptionId", account_id AS "accountId",
      epoch_ms(first_visit)::DOUBLE AS "firstVisit", epoch_ms(last_visit)::DOUBLE AS "lastVisit",
      agent_metadata AS "agentMetadata", custom_metadata AS "customMetadata",
      epoch_ms(updated_at)::DOUBLE AS "updatedAt"
    FROM accounts ORDER BY subscription_id, account_id`,
  aliases: `SELECT subscription_id AS "subscriptionId", anonymous_id AS "anonymousId", visitor_id AS "visitorId",
      epoch_ms(aliased_at)::DOUBLE AS "aliasedAt"
    FROM visitor_aliases ORDER BY subscription_id, anonymous_id`,
} as const;

type Row = Record<string, unknown>;
const withGroups = (row: Row) => ({
  ...row,
  agentMetadata: JSON.parse(String(row.agentMetadata)),
  customMetadata: JSON.parse(String(row.customMetadata)),
});

/** Visitors, accounts and aliases as DuckDB kept them before they moved to the profile store. */
export function duckdbLegacyProfiles(connection: DuckDBConnection): LegacyProfiles {
  return {
    async present() {
      const result = await connection.runAndReadAll(
        "SELECT count(*)::DOUBLE AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ('visitors', 'accounts', 'visitor_aliases')",
      );
      return Number(result.getRowObjectsJS()[0]?.n ?? 0) > 0;
    },
    async *batches(size) {
      for (const table of ["visitors", "accounts", "aliases"] as const) {
        for (let offset = 0; ; offset += size) {
          const result = await connection.runAndReadAll(`${selects[table]} LIMIT ${size} OFFSET ${offset}`);
          const rows = result.getRowObjectsJS() as Row[];
          if (rows.length === 0) break;
          yield {
            visitors: table === "visitors" ? (rows.map(withGroups) as unknown as StoredVisitor[]) : [],
            accounts: table === "accounts" ? (rows.map(withGroups) as unknown as StoredAccount[]) : [],
            aliases: table === "aliases" ? (rows as unknown as VisitorAlias[]) : [],
          };
          if (rows.length < size) break;
        }
      }
    },
    async drop() {
      await connection.run("DROP TABLE IF EXISTS visitor_aliases");
      await connection.run("DROP TABLE IF EXISTS accounts");
      await connection.run("DROP TABLE IF EXISTS visitors");
    },
  };
}
