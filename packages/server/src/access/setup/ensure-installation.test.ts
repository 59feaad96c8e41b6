import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { testPostgresUrl } from "../../start/test-support/postgres-cluster.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openPostgresStore } from "../../store/metadata/postgres/open-postgres-store.js";
import { openSqliteStore } from "../../store/metadata/sqlite/open-sqlite-store.js";
import { signInWithLink } from "../sessions/sessions.js";
import { hashToken as hashSignInToken } from "../users/sign-in-tokens.js";
import { ensureInstallation } from "./ensure-installation.js";

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("first start creates a subscription, its default app and an owner; a second start reuses them", async () => {
  const file = path.join(tempDir("install"), "metadata.sqlite");
  const store = openSqliteStore(file);
  await store.migrate();

  const first = await ensureInstallation(store, new Date("2026-11-29T10:00:00Z"));
  assert.equal(first.created, true);
  assert.match(first.subscription.id, /^sub_[0-9A-Za-z]{22}$/);
  assert.match(first.app.id, /^app_[0-9A-Za-z]{22}$/);
  assert.match(first.app.appKey, uuidV4);
  assert.match(first.owner.id, /^usr_/);
  assert.ok(first.signInToken && first.signInToken.length >= 43);

  const second = await ensureInstallation(store, new Date("2026-11-29T11:00:00Z"));
  assert.equal(second.created, false);
  assert.deepEqual(
    [second.subscription, second.app, second.owner],
    [first.subscription, first.app, first.owner],
  );
  assert.ok(second.signInToken && second.signInToken !== first.signInToken, "a new sign-in token each start");

  const subscription = await store.db.selectFrom("subscriptions").selectAll().executeTakeFirstOrThrow();
  assert.equal(subscription.default_app_id, first.app.id);
  assert.equal((await store.db.selectFrom("subscriptions").selectAll().execute()).length, 1);
  assert.equal((await store.db.selectFrom("apps").selectAll().execute()).length, 1);
  const owners = await store.db.selectFrom("users").selectAll().execute();
  assert.deepEqual(
    owners.map((u) => [u.role, u.password_hash]),
    [["owner", null]],
    "no default password exists",
  );

  // Each start's link works (with several servers, or after a restart, the one an operator copied from any
  // server's output) until it expires or one of them is used: that spends the others.
  const tokens = await store.db.selectFrom("sign_in_tokens").selectAll().orderBy("created_at").execute();
  assert.deepEqual(
    tokens.map((t) => [t.token_hash, t.expires_at]),
    [
      [hashSignInToken(first.signInToken), "2026-11-30T10:00:00.000Z"],
      [hashSignInToken(second.signInToken), "2026-11-30T11:00:00.000Z"],
    ],
  );
  const usedAt = new Date("2026-11-29T12:00:00Z");
  assert.ok(await signInWithLink(store.db, first.signInToken, null, usedAt), "the first start's link");
  assert.equal(await signInWithLink(store.db, second.signInToken, null, usedAt), null, "spent with it");
  assert.equal(await signInWithLink(store.db, first.signInToken, null, usedAt), null, "used once");
  await store.close();

  // The tokens are stored as hashes only: neither appears anywhere in the database files.
  const dir = path.dirname(file);
  for (const name of ["metadata.sqlite", "metadata.sqlite-wal"]) {
    let bytes = "";
    try {
      bytes = readFileSync(path.join(dir, name), "latin1");
    } catch {}
    assert.ok(
      !bytes.includes(first.signInToken) && !bytes.includes(second.signInToken),
      `${name} holds no token`,
    );
  }
});

test("once the owner has a password, start prints no sign-in link", async () => {
  const store = openSqliteStore(path.join(tempDir("install"), "metadata.sqlite"));
  await store.migrate();
  const first = await ensureInstallation(store);
  await store.db
    .updateTable("users")
    .set({ password_hash: "$argon2id$placeholder" })
    .where("id", "=", first.owner.id)
    .execute();
  const second = await ensureInstallation(store);
  assert.equal(second.signInToken, null);
  await store.close();
});

test("two servers starting at once on one empty PostgreSQL database migrate it once and make one subscription", async () => {
  const url = await testPostgresUrl("install");
  const stores = await Promise.all([openPostgresStore(url), openPostgresStore(url)]);
  const reports = await Promise.all(stores.map((store) => store.migrate()));
  assert.deepEqual(
    reports.map((report) => report.applied.length > 0).sort(),
    [false, true],
    "one of them applies the migrations, the other finds them applied",
  );
  const installations = await Promise.all(stores.map((store) => ensureInstallation(store)));
  assert.deepEqual(installations.map((i) => i.created).sort(), [false, true]);
  assert.deepEqual(installations[0]?.subscription, installations[1]?.subscription);
  assert.deepEqual(installations[0]?.app, installations[1]?.app);
  const [store] = stores;
  assert.ok(store);
  assert.equal((await store.db.selectFrom("subscriptions").selectAll().execute()).length, 1);
  assert.equal((await store.db.selectFrom("apps").selectAll().execute()).length, 1);
  assert.equal((await store.db.selectFrom("users").selectAll().execute()).length, 1);
  await Promise.all(stores.map((s) => s.close()));
});
