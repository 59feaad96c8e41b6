import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { tempDir } from "../../../test-support/temp-dir.js";
import { duckdbMigrations } from "./duckdb-migrations.js";
import { openDuckdbStore } from "./open-duckdb-store.js";

test("0003 upgrades a store that already holds visitors and accounts, keeping them", async () => {
  const file = path.join(tempDir("duckdb-upgrade"), "events.duckdb");
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

  const store = await openDuckdbStore(file);
  assert.deepEqual((await store.migrate()).applied, ["0003-profiles-without-visits"]);
  const visitor = await store.visitor("sub_test", "v1");
  assert.deepEqual(
    [visitor?.firstVisit, visitor?.lastVisit, visitor?.lastAppId, visitor?.agentMetadata],
    [1_000, 2_000, "app_a", { email: "a@b.c" }],
  );
  await store.append([], {
    profiles: {
      visitors: [],
      accounts: [],
      aliases: [],
      customMetadata: [{ subscriptionId: "sub_test", kind: "visitor", id: "v2", values: { plan: "pro" } }],
    },
  });
  await store.close();
  const again = await openDuckdbStore(file);
  assert.deepEqual((await again.migrate()).applied, []);
  assert.equal((await again.visitor("sub_test", "v2"))?.firstVisit, null);
  assert.equal((await again.account("sub_test", "acme"))?.lastVisit, 2_000);
  await again.close();
});
