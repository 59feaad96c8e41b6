import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { loadConfig } from "../../platform/config/load-config.js";
import { startCairn } from "../../start/start-cairn.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { duckdbMigrations } from "../events/duckdb/duckdb-migrations.js";

test("a visitor, account and alias written by the old layout (profiles in DuckDB) are readable after start", async () => {
  const dataDir = tempDir("legacy-profiles");
  const config = loadConfig({ dataDir, port: "0", logLevel: "silent" }, {}, process.cwd());
  if (config.events.engine !== "duckdb") throw new Error("the default events engine is DuckDB");
  // An event store as the previous release left it: every migration applied, profiles beside the events.
  const old = await DuckDBInstance.create(config.events.file);
  const connection = await old.connect();
  await connection.run(
    "CREATE TABLE cairn_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)",
  );
  for (const migration of duckdbMigrations) {
    await connection.run(migration.sql);
    await connection.run("INSERT INTO cairn_migrations VALUES ($name, now())", { name: migration.name });
  }
  await connection.run("INSERT INTO ingest_checkpoints VALUES ('ingest', 42)");
  await connection.run(`INSERT INTO visitors VALUES ('sub_test', 'v-old', make_timestamp(1000000), make_timestamp(2000000),
    'app_a', 'acme', 'UA', 'Chrome', '150', 'Linux', 'app.example.com', '{"email":"a@b.c"}', '{"plan":"pro"}', make_timestamp(3000000))`);
  await connection.run(`INSERT INTO visitors VALUES ('sub_test', 'v-api', NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}', '{"seats":3}', now())`);
  await connection.run(`INSERT INTO accounts VALUES ('sub_test', 'acme', make_timestamp(1000000),
    make_timestamp(2000000), '{"name":"Acme"}', '{"tier":2}', make_timestamp(3000000))`);
  await connection.run(
    "INSERT INTO visitor_aliases VALUES ('sub_test', '_PENDO_T_abc', 'v-old', make_timestamp(1500000))",
  );
  connection.closeSync();
  old.closeSync();

  const cairn = await startCairn(config);
  try {
    assert.deepEqual(await cairn.profiles.visitor("sub_test", "v-old"), {
      subscriptionId: "sub_test",
      visitorId: "v-old",
      firstVisit: 1_000,
      lastVisit: 2_000,
      lastAppId: "app_a",
      lastAccountId: "acme",
      lastUserAgent: "UA",
      lastBrowserName: "Chrome",
      lastBrowserVersion: "150",
      lastOperatingSystem: "Linux",
      lastServerName: "app.example.com",
      agentMetadata: { email: "a@b.c" },
      customMetadata: { plan: "pro" },
      updatedAt: 3_000,
    });
    assert.equal((await cairn.profiles.visitor("sub_test", "v-api"))?.firstVisit, null);
    assert.deepEqual((await cairn.profiles.visitor("sub_test", "v-api"))?.customMetadata, { seats: 3 });
    assert.deepEqual(await cairn.profiles.account("sub_test", "acme"), {
      subscriptionId: "sub_test",
      accountId: "acme",
      firstVisit: 1_000,
      lastVisit: 2_000,
      agentMetadata: { name: "Acme" },
      customMetadata: { tier: 2 },
      updatedAt: 3_000,
    });
    assert.deepEqual(await cairn.profiles.aliasesOf("sub_test", "v-old"), ["_PENDO_T_abc"]);
    assert.equal(
      await cairn.profiles.loadedSequence(),
      42,
      "the old layout applied profiles with the events: nothing at or before their checkpoint is applied again",
    );
  } finally {
    await cairn.shutdown();
  }
});
