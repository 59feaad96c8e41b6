import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { type Kysely, type Migration, Migrator } from "kysely";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { metadataMigrations } from "../../store/metadata/migrations/index.js";
import { openSqliteStore } from "../../store/metadata/sqlite/open-sqlite-store.js";

test("hooks from before signing get a secret each from the migration; their owners roll it to read it", async () => {
  const store = openSqliteStore(path.join(tempDir("hook-secrets"), "metadata.sqlite"));
  try {
    const before = Object.fromEntries(
      Object.entries(metadataMigrations).filter(([name]) => name < "0014"),
    ) as Record<string, Migration>;
    const migrator = new Migrator({
      db: store.db as Kysely<unknown>,
      provider: { getMigrations: async () => before },
      migrationTableName: "cairn_migrations",
      migrationLockTableName: "cairn_migrations_lock",
    });
    const { error } = await migrator.migrateToLatest();
    assert.ifError(error);
    const at = new Date().toISOString();
    const old = store.db as unknown as Kysely<{
      subscriptions: { id: string; name: string; default_app_id: null; created_at: string };
      feedback_hooks: Record<
        "id" | "subscription_id" | "event" | "target_url" | "created_by_key" | "created_at",
        string
      >;
    }>;
    await old
      .insertInto("subscriptions")
      .values({ id: "sub_1", name: "A", default_app_id: null, created_at: at })
      .execute();
    for (const id of ["hook_1", "hook_2"]) {
      await old
        .insertInto("feedback_hooks")
        .values({
          id,
          subscription_id: "sub_1",
          event: "feature_created",
          target_url: `https://a.example/${id}`,
          created_by_key: "key_1",
          created_at: at,
        })
        .execute();
    }

    assert.equal((await store.migrate()).applied[0], "0014-webhook-secrets");
    const secrets = await store.db
      .selectFrom("feedback_hooks")
      .select("signing_secret")
      .orderBy("id")
      .execute();
    assert.equal(secrets.length, 2);
    for (const { signing_secret } of secrets) assert.match(signing_secret, /^cws_[0-9A-Za-z]{43}$/);
    assert.notEqual(secrets[0]?.signing_secret, secrets[1]?.signing_secret, "one secret per hook");
  } finally {
    await store.close();
  }
});
