import assert from "node:assert/strict";
import { test } from "node:test";
import Database from "better-sqlite3";
import { sqliteProfileMigrations } from "./profile-migrations.js";
import { prepareProfileStatements } from "./profile-statements.js";

test("a visitor's guide states are read by key ranges only: no scan, whatever the statistics", () => {
  const db = new Database(":memory:");
  for (const migration of sqliteProfileMigrations) db.exec(migration.sql);
  const { source } = prepareProfileStatements(db).guideStatesOf;
  const plan = db
    .prepare(`EXPLAIN QUERY PLAN ${source}`)
    .all({ subscriptionId: "s", appId: "a", visitorId: "v" }) as { detail: string }[];
  const reads = plan.map((row) => row.detail).filter((detail) => /^(SEARCH|SCAN)/.test(detail));
  assert.deepEqual(reads, [
    "SEARCH g USING PRIMARY KEY (subscription_id=? AND app_id=? AND visitor_id=?)",
    "SEARCH a USING COVERING INDEX visitor_aliases_by_visitor (subscription_id=? AND visitor_id=?)",
    "SEARCH g USING PRIMARY KEY (subscription_id=? AND app_id=? AND visitor_id=?)",
  ]);
  db.close();
});
