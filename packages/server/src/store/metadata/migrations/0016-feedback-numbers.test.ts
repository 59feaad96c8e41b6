import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { type Kysely, sql } from "kysely";
import { tempDir } from "../../../start/test-support/temp-dir.js";
import { openSqliteStore } from "../sqlite/open-sqlite-store.js";
import { metadataMigrations } from "./index.js";

const numbers = "0016-feedback-numbers";

test("0016 numbers the feedback rows already stored in the order they were created, for good", async () => {
  const store = await openSqliteStore(path.join(tempDir("migration-0016"), "metadata.sqlite"));
  const db = store.db as unknown as Kysely<unknown>;
  for (const [name, migration] of Object.entries(metadataMigrations)) {
    if (name === numbers) break;
    await migration.up(db);
  }
  await sql`insert into subscriptions (id, name, created_at) values ('sub_1', 's', '2026-01-01T00:00:00.000Z')`.execute(
    db,
  );
  // Created out of id order: numbers follow the creation time.
  for (const [id, at] of [
    ["eacc_b", "2026-01-01T00:00:00.000Z"],
    ["eacc_a", "2026-01-02T00:00:00.000Z"],
  ]) {
    await sql`insert into feedback_accounts (id, subscription_id, external_id, created_at, updated_at)
      values (${id}, 'sub_1', ${id}, ${at}, ${at})`.execute(db);
  }
  await metadataMigrations[numbers]?.up(db);
  const rows = await store.db
    .selectFrom("feedback_accounts")
    .select(["id", "number"])
    .orderBy("id")
    .execute();
  assert.deepEqual(rows, [
    { id: "eacc_a", number: 2 },
    { id: "eacc_b", number: 1 },
  ]);
  await assert.rejects(
    sql`update feedback_accounts set number = 1 where id = 'eacc_a'`.execute(db),
    /UNIQUE/,
    "a number names one row",
  );
  await store.close();
});
