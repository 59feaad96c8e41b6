import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { tempDir } from "../../../start/test-support/temp-dir.js";
import { openSqliteProfiles } from "./open-sqlite-profiles.js";
import { sqliteProfileMigrations } from "./profile-migrations.js";

test("0002 numbers the records already stored, oldest write first, and new writes follow them", async () => {
  const file = path.join(tempDir("profile-migrations"), "profiles.sqlite");
  // A store as the release before 0002 left it.
  const old = new Database(file);
  old.exec("CREATE TABLE cairn_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  const [first] = sqliteProfileMigrations;
  assert.ok(first);
  old.exec(first.sql);
  old.prepare("INSERT INTO cairn_migrations VALUES (?, ?)").run(first.name, new Date().toISOString());
  old.exec(`
    INSERT INTO visitors (subscription_id, visitor_id, agent_metadata, custom_metadata, updated_at)
      VALUES ('sub_test', 'v-late', '{}', '{}', 300), ('sub_test', 'v-early', '{}', '{"plan":"pro"}', 100);
    INSERT INTO accounts (subscription_id, account_id, agent_metadata, custom_metadata, updated_at)
      VALUES ('sub_test', 'acme', '{}', '{}', 200);`);
  old.close();

  const store = openSqliteProfiles(file);
  assert.deepEqual((await store.migrate()).applied, [
    "0002-change-tracking",
    "0003-tombstones",
    "0004-guide-step-states",
  ]);
  const all = await store.changesSince(0, 10);
  assert.deepEqual(
    all.visitors.map((v) => [v.visitorId, v.updatedAt, v.customMetadata]),
    [
      ["v-early", 100, { plan: "pro" }],
      ["v-late", 300, {}],
    ],
  );
  assert.deepEqual(
    all.accounts.map((a) => a.accountId),
    ["acme"],
  );
  assert.equal(all.cursor, 3);
  const paged = await store.changesSince(0, 1);
  assert.deepEqual(
    [paged.visitors.map((v) => v.visitorId), paged.accounts.length, paged.cursor],
    [["v-early"], 0, 1],
  );
  await store.apply({
    patches: {
      visitors: [],
      accounts: [],
      aliases: [],
      customMetadata: [{ subscriptionId: "sub_test", kind: "account", id: "acme", values: { tier: 2 } }],
    },
    sequence: 1,
  });
  const next = await store.changesSince(all.cursor, 10);
  assert.deepEqual(
    [next.visitors.length, next.accounts.map((a) => a.customMetadata), next.cursor],
    [0, [{ tier: 2 }], 4],
  );
  await store.close();
});
