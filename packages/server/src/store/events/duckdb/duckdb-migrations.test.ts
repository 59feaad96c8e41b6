import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { tempDir } from "../../../start/test-support/temp-dir.js";
import { moveLegacyProfiles } from "../../profiles/move-legacy-profiles.js";
import { openSqliteProfiles } from "../../profiles/sqlite/open-sqlite-profiles.js";
import { duckdbMigrations } from "./duckdb-migrations.js";
import { openDuckdbEvents } from "./open-duckdb-events.js";

test("0003 upgrades a store that already holds visitors and accounts, which then move to the profile store intact", async () => {
  const dir = tempDir("duckdb-upgrade");
  const file = path.join(dir, "events.duckdb");
  // A store as the release before 0003 left it: its migrations applied and recorded, one visitor, one account.
  const old = await DuckDBInstance.create(file);
  const connection = await old.connect();
  await connection.run(
    "CREATE TABLE cairn_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)",
  );
  for (const migration of duckdbMigrations.slice(0, 2)) {
    await connection.run(migration.sql);
    await connection.run("INSERT INTO cairn_migrations VALUES ($name, now())", { name: migration.name });
  }
  await connection.run(`INSERT INTO visitors VALUES ('sub_test', 'v1', make_timestamp(1000000), make_timestamp(2000000),
    'app_a', 'acme', NULL, NULL, NULL, NULL, NULL, '{"email":"a@b.c"}', '{}', now())`);
  await connection.run(`INSERT INTO accounts VALUES ('sub_test', 'acme', make_timestamp(1000000),
    make_timestamp(2000000), '{}', '{}', now())`);
  connection.closeSync();
  old.closeSync();

  const events = await openDuckdbEvents(file);
  assert.deepEqual((await events.sink.migrate()).applied, [
    "0003-profiles-without-visits",
    "0004-profile-mirror",
    "0005-event-rollups",
    "0006-unsigned-identity",
  ]);
  const store = openSqliteProfiles(path.join(dir, "profiles.sqlite"));
  await store.migrate();
  assert.equal(await moveLegacyProfiles(events.legacyProfiles, store, await events.sink.loadedSequence()), 2);
  const visitor = await store.visitor("sub_test", "v1");
  assert.deepEqual(
    [visitor?.firstVisit, visitor?.lastVisit, visitor?.lastAppId, visitor?.agentMetadata],
    [1_000, 2_000, "app_a", { email: "a@b.c" }],
  );
  await store.apply({
    patches: {
      visitors: [],
      accounts: [],
      aliases: [],
      customMetadata: [{ subscriptionId: "sub_test", kind: "visitor", id: "v2", values: { plan: "pro" } }],
    },
    sequence: 1,
  });
  assert.equal(await events.legacyProfiles.present(), false, "the old tables are gone once moved");
  await store.close();
  await events.sink.close();
  const again = await openDuckdbEvents(file);
  assert.deepEqual((await again.sink.migrate()).applied, []);
  const profiles = openSqliteProfiles(path.join(dir, "profiles.sqlite"));
  assert.equal(await moveLegacyProfiles(again.legacyProfiles, profiles, 0), 0, "moved once");
  assert.equal((await profiles.visitor("sub_test", "v2"))?.firstVisit, null);
  assert.equal((await profiles.account("sub_test", "acme"))?.lastVisit, 2_000);
  await profiles.close();
  await again.sink.close();
});
