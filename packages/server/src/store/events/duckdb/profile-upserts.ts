import type { DuckDBConnection } from "@duckdb/node-api";
import type { ProfilePatches, StoredAccount, StoredVisitor } from "../stored-event.js";

type Cell = string | number | null;

/** An in-memory table that rows are appended to outside the load's transaction. */
export interface StagedTable {
  readonly table: string;
  readonly columns: ReadonlyArray<readonly [name: string, type: "VARCHAR" | "DOUBLE"]>;
}

interface Staged extends StagedTable {
  /** Moves the staged rows into the real table, merging with what is there. */
  readonly upsert: string;
}

const ts = (column: string) => `make_timestamp((${column} * 1000)::BIGINT)`;
/**
 * Take the newer visit's value, keeping the stored one when the newer has none. A stored visitor without a
 * visit (created through the v1 API) takes the first visit's values.
 */
const newer = (table: string, column: string) =>
  `${column} = CASE WHEN ${table}.last_visit IS NULL OR EXCLUDED.last_visit >= ${table}.last_visit THEN coalesce(EXCLUDED.${column}, ${table}.${column}) ELSE ${table}.${column} END`;

const visitorsStaged: Staged = {
  table: "visitors_staging",
  columns: [
    ["subscription_id", "VARCHAR"],
    ["visitor_id", "VARCHAR"],
    ["first_visit", "DOUBLE"],
    ["last_visit", "DOUBLE"],
    ["last_app_id", "VARCHAR"],
    ["last_account_id", "VARCHAR"],
    ["last_user_agent", "VARCHAR"],
    ["last_browser_name", "VARCHAR"],
    ["last_browser_version", "VARCHAR"],
    ["last_operating_system", "VARCHAR"],
    ["last_server_name", "VARCHAR"],
    ["agent_metadata", "VARCHAR"],
  ],
  upsert: `
    INSERT INTO visitors
    SELECT subscription_id, visitor_id, ${ts("first_visit")}, ${ts("last_visit")}, last_app_id, last_account_id,
           last_user_agent, last_browser_name, last_browser_version, last_operating_system, last_server_name,
           coalesce(agent_metadata, '{}'), '{}', now()
    FROM visitors_staging
    ON CONFLICT (subscription_id, visitor_id) DO UPDATE SET
      first_visit = least(visitors.first_visit, EXCLUDED.first_visit),
      ${newer("visitors", "last_app_id")},
      ${newer("visitors", "last_account_id")},
      ${newer("visitors", "last_user_agent")},
      ${newer("visitors", "last_browser_name")},
      ${newer("visitors", "last_browser_version")},
      ${newer("visitors", "last_operating_system")},
      ${newer("visitors", "last_server_name")},
      last_visit = greatest(visitors.last_visit, EXCLUDED.last_visit),
      agent_metadata = json_merge_patch(visitors.agent_metadata, EXCLUDED.agent_metadata)::VARCHAR,
      updated_at = now()`,
};

const accountsStaged: Staged = {
  table: "accounts_staging",
  columns: [
    ["subscription_id", "VARCHAR"],
    ["account_id", "VARCHAR"],
    ["first_visit", "DOUBLE"],
    ["last_visit", "DOUBLE"],
    ["agent_metadata", "VARCHAR"],
  ],
  upsert: `
    INSERT INTO accounts
    SELECT subscription_id, account_id, ${ts("first_visit")}, ${ts("last_visit")},
           coalesce(agent_metadata, '{}'), '{}', now()
    FROM accounts_staging
    ON CONFLICT (subscription_id, account_id) DO UPDATE SET
      first_visit = least(accounts.first_visit, EXCLUDED.first_visit),
      last_visit = greatest(accounts.last_visit, EXCLUDED.last_visit),
      agent_metadata = json_merge_patch(accounts.agent_metadata, EXCLUDED.agent_metadata)::VARCHAR,
      updated_at = now()`,
};

const aliasesStaged: Staged = {
  table: "aliases_staging",
  columns: [
    ["subscription_id", "VARCHAR"],
    ["anonymous_id", "VARCHAR"],
    ["visitor_id", "VARCHAR"],
    ["aliased_at", "DOUBLE"],
  ],
  // An anonymous visitor becomes the first identified visitor it was seen as; later claims do not move it.
  upsert: `
    INSERT INTO visitor_aliases
    SELECT subscription_id, anonymous_id, visitor_id, ${ts("aliased_at")}
    FROM (SELECT *, row_number() OVER (PARTITION BY subscription_id, anonymous_id ORDER BY aliased_at) AS n
          FROM aliases_staging)
    WHERE n = 1
    ON CONFLICT (subscription_id, anonymous_id) DO NOTHING`,
};

export async function createStaging(
  connection: DuckDBConnection,
  tables: readonly StagedTable[],
): Promise<void> {
  for (const staged of tables) {
    const columns = staged.columns.map(([name, type]) => `${name} ${type}`).join(", ");
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${staged.table} (${columns})`);
  }
}

export async function clearStaging(
  connection: DuckDBConnection,
  tables: readonly StagedTable[],
): Promise<void> {
  for (const staged of tables) await connection.run(`DELETE FROM ${staged.table}`);
}

export const profileStagingTables: readonly StagedTable[] = [visitorsStaged, accountsStaged, aliasesStaged];

export async function stage(
  connection: DuckDBConnection,
  staged: StagedTable,
  rows: readonly Cell[][],
): Promise<void> {
  const appender = await connection.createAppender(staged.table, "main", "temp");
  try {
    for (const row of rows) {
      for (const [index, [, type]] of staged.columns.entries()) {
        const value = row[index] ?? null;
        if (value === null) appender.appendNull();
        else if (type === "DOUBLE") appender.appendDouble(Number(value));
        else appender.appendVarchar(String(value));
      }
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
}

/** Stages the patches (outside the transaction), returning the statements that apply them inside it. */
export async function stageProfiles(
  connection: DuckDBConnection,
  profiles: ProfilePatches,
): Promise<string[]> {
  const statements: string[] = [];
  if (profiles.visitors.length > 0) {
    await stage(
      connection,
      visitorsStaged,
      profiles.visitors.map((v) => [
        v.subscriptionId,
        v.visitorId,
        v.firstVisit,
        v.lastVisit,
        v.lastAppId,
        v.lastAccountId,
        v.lastUserAgent,
        v.lastBrowserName,
        v.lastBrowserVersion,
        v.lastOperatingSystem,
        v.lastServerName,
        v.agentMetadata,
      ]),
    );
    statements.push(visitorsStaged.upsert);
  }
  if (profiles.accounts.length > 0) {
    await stage(
      connection,
      accountsStaged,
      profiles.accounts.map((a) => [
        a.subscriptionId,
        a.accountId,
        a.firstVisit,
        a.lastVisit,
        a.agentMetadata,
      ]),
    );
    statements.push(accountsStaged.upsert);
  }
  if (profiles.aliases.length > 0) {
    await stage(
      connection,
      aliasesStaged,
      profiles.aliases.map((a) => [a.subscriptionId, a.anonymousId, a.visitorId, a.aliasedAt]),
    );
    statements.push(aliasesStaged.upsert);
  }
  return statements;
}

const visitorSelect = `
  subscription_id AS "subscriptionId", visitor_id AS "visitorId",
  epoch_ms(first_visit)::DOUBLE AS "firstVisit", epoch_ms(last_visit)::DOUBLE AS "lastVisit",
  last_app_id AS "lastAppId", last_account_id AS "lastAccountId", last_user_agent AS "lastUserAgent",
  last_browser_name AS "lastBrowserName", last_browser_version AS "lastBrowserVersion",
  last_operating_system AS "lastOperatingSystem", last_server_name AS "lastServerName",
  agent_metadata AS "agentMetadata", custom_metadata AS "customMetadata"`;

export async function readVisitor(
  connection: DuckDBConnection,
  subscriptionId: string,
  visitorId: string,
): Promise<StoredVisitor | null> {
  const result = await connection.runAndReadAll(
    `SELECT ${visitorSelect} FROM visitors WHERE subscription_id = $s AND visitor_id = $v`,
    { s: subscriptionId, v: visitorId },
  );
  const row = result.getRowObjectsJS()[0];
  if (!row) return null;
  return {
    ...(row as unknown as StoredVisitor),
    agentMetadata: JSON.parse(String(row.agentMetadata)),
    customMetadata: JSON.parse(String(row.customMetadata)),
  };
}

export async function readAccount(
  connection: DuckDBConnection,
  subscriptionId: string,
  accountId: string,
): Promise<StoredAccount | null> {
  const result = await connection.runAndReadAll(
    `SELECT subscription_id AS "subscriptionId", account_id AS "accountId",
            epoch_ms(first_visit)::DOUBLE AS "firstVisit", epoch_ms(last_visit)::DOUBLE AS "lastVisit",
            agent_metadata AS "agentMetadata", custom_metadata AS "customMetadata"
     FROM accounts WHERE subscription_id = $s AND account_id = $a`,
    { s: subscriptionId, a: accountId },
  );
  const row = result.getRowObjectsJS()[0];
  if (!row) return null;
  return {
    ...(row as unknown as StoredAccount),
    agentMetadata: JSON.parse(String(row.agentMetadata)),
    customMetadata: JSON.parse(String(row.customMetadata)),
  };
}

export async function readAliases(
  connection: DuckDBConnection,
  subscriptionId: string,
  visitorId: string,
): Promise<string[]> {
  const result = await connection.runAndReadAll(
    "SELECT anonymous_id FROM visitor_aliases WHERE subscription_id = $s AND visitor_id = $v ORDER BY aliased_at, anonymous_id",
    { s: subscriptionId, v: visitorId },
  );
  return result.getRowObjectsJS().map((row) => String(row.anonymous_id));
}
