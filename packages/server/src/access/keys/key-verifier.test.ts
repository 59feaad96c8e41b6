import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { base62Alphabet } from "../../platform/ids/random-base62.js";
import { installedStore } from "../../start/test-support/installed-store.js";
import { listAudit } from "../audit/audit-log.js";
import { setExposedKeyPolicy } from "../subscription/subscription-settings.js";
import type { KeyFamily } from "./key-families.js";
import { createKey, revokeKey, rollKey } from "./key-service.js";
import { createKeyVerifier, type VerifyRequest } from "./key-verifier.js";

const refusal = (expected: string, message?: RegExp) => (error: unknown) =>
  error instanceof CairnError &&
  error.code === expected &&
  (!message || message.test(`${error.message} ${error.hint}`));

async function setup(options: Parameters<typeof createKeyVerifier>[1] = {}) {
  const { store, installation } = await installedStore();
  const subscriptionId = installation.subscription.id;
  let clock = new Date("2026-11-29T12:00:00.000Z");
  const verifier = createKeyVerifier(store.db, { pollMs: 50, now: () => clock, ...options });
  const make = async (
    kind: "integration" | "feedback" | "track",
    extra: { write?: boolean; expiresAt?: Date } = {},
  ) =>
    createKey(
      store.db,
      {
        subscriptionId,
        kind,
        description: kind,
        appId: kind === "track" ? installation.app.id : null,
        actor: "usr_creator",
        ...extra,
      },
      clock,
    );
  const request = (
    presented: string | undefined,
    family: KeyFamily,
    extra: Partial<VerifyRequest> = {},
  ): VerifyRequest => ({
    presented,
    family,
    write: false,
    ip: "198.51.100.7",
    origin: undefined,
    ...extra,
  });
  return {
    store,
    installation,
    subscriptionId,
    verifier,
    make,
    request,
    setClock: (date: Date) => {
      clock = date;
    },
    async done() {
      await verifier.close();
      await store.close();
    },
  };
}

describe("key verification", () => {
  test("the kind × family matrix: only the diagonal passes; every other cell names what it got and what is needed", async () => {
    const t = await setup();
    const keys = {
      integration: (await t.make("integration")).key,
      feedback: (await t.make("feedback")).key,
      track: (await t.make("track")).key,
      app: t.installation.app.appKey,
    };
    const expectedKind: Record<KeyFamily, keyof typeof keys> = {
      v1: "integration",
      feedback: "feedback",
      track: "track",
    };
    const where: Record<KeyFamily, RegExp> = {
      v1: /Settings → Integrations → Integration Keys/,
      feedback: /Feedback → Settings → Product Settings → API Access/,
      track: /app's details page/,
    };
    for (const family of ["v1", "feedback", "track"] as const) {
      for (const [kind, key] of Object.entries(keys) as Array<[keyof typeof keys, string]>) {
        if (kind === expectedKind[family]) {
          const verified = await t.verifier.verify(t.request(key, family));
          assert.equal(verified.kind, kind);
          assert.equal(verified.subscriptionId, t.subscriptionId);
        } else {
          await assert.rejects(
            t.verifier.verify(t.request(key, family)),
            refusal("wrong_key_kind", where[family]),
            `${kind} at ${family}`,
          );
        }
      }
    }
    await assert.rejects(
      t.verifier.verify(t.request(keys.app, "v1")),
      refusal(
        "wrong_key_kind",
        /public app key from the install snippet; the v1 API needs an integration key/,
      ),
    );
    await assert.rejects(
      t.verifier.verify(t.request(keys.integration, "feedback")),
      refusal("wrong_key_kind", /the Feedback API needs a Feedback integration key/),
    );
    await assert.rejects(
      t.verifier.verify(t.request(keys.integration, "track")),
      refusal("wrong_key_kind", /server-side events .* needs the app's track secret/),
    );
    await t.done();
  });

  test("no key: missing_key naming the header and the key each family needs", async () => {
    const t = await setup();
    await assert.rejects(
      t.verifier.verify(t.request(undefined, "v1")),
      refusal("missing_key", /integration key in the x-pendo-integration-key header/),
    );
    await assert.rejects(
      t.verifier.verify(t.request("", "feedback")),
      refusal("missing_key", /x-pendo-integration-key or auth-token header/),
    );
    await t.done();
  });

  test("a typo, a 10 kB string and a relabelled key are invalid_key; the first two never reach the store", async () => {
    const t = await setup();
    const { key } = await t.make("integration");
    const readsBefore = t.verifier.storeReads();
    for (let position = 4; position < key.length; position += 7) {
      const swapped = base62Alphabet[(base62Alphabet.indexOf(key[position] as string) + 1) % 62] as string;
      await assert.rejects(
        t.verifier.verify(t.request(key.slice(0, position) + swapped + key.slice(position + 1), "v1")),
        refusal("invalid_key"),
      );
    }
    await assert.rejects(
      t.verifier.verify(t.request("cik_".padEnd(10_000, "a"), "v1")),
      refusal("invalid_key"),
    );
    assert.equal(t.verifier.storeReads(), readsBefore, "refused from the text alone");

    // Same random part and a valid checksum under another kind's prefix: recognised, then unknown by hash.
    await assert.rejects(
      t.verifier.verify(t.request(`cfk_${key.slice(4)}`, "feedback")),
      refusal("invalid_key"),
    );
    assert.equal(t.verifier.storeReads(), readsBefore + 1);
    await t.done();
  });

  test("expiry boundary: valid 1 ms before, refused at and after, by server time, with the date", async () => {
    const t = await setup();
    const expiresAt = new Date("2026-11-29T13:00:00.000Z");
    const { key } = await t.make("integration", { expiresAt });
    t.setClock(new Date(expiresAt.getTime() - 1));
    await t.verifier.verify(t.request(key, "v1"));
    t.setClock(expiresAt);
    await assert.rejects(
      t.verifier.verify(t.request(key, "v1")),
      refusal("expired_key", /expired on 2026-11-29T13:00:00.000Z/),
    );
    t.setClock(new Date(expiresAt.getTime() + 60_000));
    await assert.rejects(t.verifier.verify(t.request(key, "v1")), refusal("expired_key"));
    await t.done();
  });

  test("a read-only key reads but every write is insufficient_scope; a write key writes", async () => {
    const t = await setup();
    const readOnly = (await t.make("integration")).key;
    const readWrite = (await t.make("integration", { write: true })).key;
    await t.verifier.verify(t.request(readOnly, "v1"));
    await assert.rejects(
      t.verifier.verify(t.request(readOnly, "v1", { write: true })),
      refusal("insufficient_scope"),
    );
    assert.equal((await t.verifier.verify(t.request(readWrite, "v1", { write: true }))).scope, "write");
    await t.done();
  });

  test("check answers a cached, allowed key without a promise, and leaves every doubt to verify's errors", async () => {
    const t = await setup();
    const readOnly = (await t.make("integration")).key;
    const first = t.verifier.check(t.request(readOnly, "v1"));
    assert.ok(first instanceof Promise, "the first use reads the store");
    assert.equal((await first).kind, "integration");
    const cached = t.verifier.check(t.request(readOnly, "v1"));
    assert.ok(!(cached instanceof Promise), "then the cache answers at once");
    assert.equal(cached.kind, "integration");
    const write = t.verifier.check(t.request(readOnly, "v1", { write: true }));
    assert.ok(write instanceof Promise);
    await assert.rejects(write, refusal("insufficient_scope"));
    await assert.rejects(
      Promise.resolve(t.verifier.check(t.request(readOnly, "feedback"))),
      refusal("wrong_key_kind"),
    );
    await assert.rejects(
      Promise.resolve(t.verifier.check(t.request(readOnly, "v1", { origin: "https://x.example" }))),
      refusal("secret_key_exposed"),
    );
    await t.done();
  });

  test("revocation in the store is refused within the poll interval, with its date", async () => {
    const t = await setup();
    const { key, record } = await t.make("integration");
    await t.verifier.verify(t.request(key, "v1"));
    const readsAfterFirst = t.verifier.storeReads();
    await t.verifier.verify(t.request(key, "v1"));
    assert.equal(t.verifier.storeReads(), readsAfterFirst, "the second check is served from the cache");
    await revokeKey(
      t.store.db,
      { subscriptionId: t.subscriptionId, id: record.id, actor: "cli" },
      new Date("2026-11-29T12:00:00Z"),
    );
    await sleep(150);
    await assert.rejects(
      t.verifier.verify(t.request(key, "v1")),
      refusal("revoked_key", /revoked on 2026-11-29T12:00:00.000Z/),
    );
    await t.done();
  });

  test("roll with grace: both keys work until the grace ends, then only the new one; grace 0 refuses at once", async () => {
    const t = await setup();
    const original = await t.make("integration");
    const rolled = await rollKey(
      t.store.db,
      { subscriptionId: t.subscriptionId, id: original.record.id, grace: "1h", actor: "cli" },
      new Date("2026-11-29T12:00:00Z"),
    );
    await sleep(150);
    await t.verifier.verify(t.request(original.key, "v1"));
    await t.verifier.verify(t.request(rolled.key, "v1"));
    t.setClock(new Date("2026-11-29T13:00:00Z"));
    await assert.rejects(t.verifier.verify(t.request(original.key, "v1")), refusal("expired_key"));
    await t.verifier.verify(t.request(rolled.key, "v1"));

    const second = await rollKey(
      t.store.db,
      { subscriptionId: t.subscriptionId, id: rolled.record.id, grace: "0", actor: "cli" },
      new Date("2026-11-29T13:00:00Z"),
    );
    await sleep(150);
    await assert.rejects(t.verifier.verify(t.request(rolled.key, "v1")), refusal("expired_key"));
    await t.verifier.verify(t.request(second.key, "v1"));
    await t.done();
  });

  test("a key keeps working after the user who created it is removed (rule 4)", async () => {
    const t = await setup();
    const { key } = await t.make("integration");
    await t.store.db.updateTable("users").set({ removed_at: new Date().toISOString() }).execute();
    await t.store.db.deleteFrom("sign_in_tokens").execute();
    await t.store.db.deleteFrom("users").execute();
    assert.equal((await t.verifier.verify(t.request(key, "v1"))).kind, "integration");
    await t.done();
  });

  test("a secret key sent with an Origin is refused, flagged and audited; with the revoke policy it is revoked", async () => {
    const t = await setup();
    const { key, record } = await t.make("integration");
    await assert.rejects(
      t.verifier.verify(t.request(key, "v1", { origin: "https://app.example.com" })),
      refusal("secret_key_exposed"),
    );
    const row = await t.store.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", record.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.exposed_at);
    assert.equal(row.revoked_at, null, "notify-only by default");
    assert.deepEqual(
      (await listAudit(t.store.db, t.subscriptionId, { target: record.id })).map((a) => a.action).sort(),
      ["key.created", "key.exposed"],
    );

    await t.store.db.updateTable("subscriptions").set({ exposed_key_policy: "revoke" }).execute();
    const second = await t.make("feedback");
    await assert.rejects(
      t.verifier.verify(t.request(second.key, "feedback", { origin: "https://x.example" })),
      refusal("secret_key_exposed"),
    );
    await assert.rejects(t.verifier.verify(t.request(second.key, "feedback")), refusal("revoked_key"));
    await t.done();
  });

  test("a key cached under the notify policy follows a change to revoke on every server", async () => {
    const t = await setup();
    const { key, record } = await t.make("integration");
    await t.verifier.verify(t.request(key, "v1"));
    await setExposedKeyPolicy(t.store.db, t.subscriptionId, "revoke", "cli");
    await sleep(150);
    await assert.rejects(
      t.verifier.verify(t.request(key, "v1", { origin: "https://app.example.com" })),
      refusal("secret_key_exposed"),
    );
    const row = await t.store.db
      .selectFrom("api_keys")
      .select("revoked_at")
      .where("id", "=", record.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.revoked_at, "revoked under the policy now in force");
    await t.done();
  });

  test("failed attempts are limited per client address: 429 with Retry-After, other addresses unaffected", async () => {
    const t = await setup({ maxFailuresPerWindow: 5, failureWindowMs: 60_000 });
    const { key } = await t.make("integration");
    for (let i = 0; i < 5; i++)
      await assert.rejects(t.verifier.verify(t.request("cik_nonsense", "v1")), refusal("invalid_key"));
    await assert.rejects(t.verifier.verify(t.request(key, "v1")), (error: unknown) => {
      assert.ok(error instanceof CairnError && error.code === "rate_limited");
      assert.match(error.headers["retry-after"] ?? "", /^[1-9]\d*$/);
      return true;
    });
    await t.verifier.verify(t.request(key, "v1", { ip: "203.0.113.9" }));
    t.setClock(new Date(Date.parse("2026-11-29T12:01:00Z")));
    await t.verifier.verify(t.request(key, "v1"));
    await t.done();
  });

  test("behind one shared address, others' bad keys never lock out a key already verified", async () => {
    const t = await setup({ maxFailuresPerWindow: 5, failureWindowMs: 60_000 });
    const { key } = await t.make("integration");
    const proxy = { ip: "198.51.100.1" };
    await t.verifier.verify(t.request(key, "v1", proxy));
    for (let i = 0; i < 20; i++)
      await assert.rejects(t.verifier.verify(t.request(`cik_guess${i}`, "v1", proxy)), () => true);
    await assert.rejects(t.verifier.verify(t.request("cik_guess", "v1", proxy)), refusal("rate_limited"));
    const verified = await t.verifier.check(t.request(key, "v1", proxy));
    assert.equal(verified.kind, "integration");
    await t.done();
  });

  test("failures from one IPv6 /64 count together, whatever address in it they come from", async () => {
    const t = await setup({ maxFailuresPerWindow: 5, failureWindowMs: 60_000 });
    const { key } = await t.make("integration");
    for (let i = 1; i <= 5; i++)
      await assert.rejects(
        t.verifier.verify(t.request("cik_nonsense", "v1", { ip: `2001:db8:7:7::${i.toString(16)}` })),
        refusal("invalid_key"),
      );
    await assert.rejects(
      t.verifier.verify(t.request(key, "v1", { ip: "2001:db8:7:7:ffff::1" })),
      refusal("rate_limited"),
    );
    await t.verifier.verify(t.request(key, "v1", { ip: "2001:db8:7:8::1" }));
    await t.done();
  });

  test("last used time and address are written in batches, only forward; the first use is audited once", async () => {
    const t = await setup({ usageFlushMs: 60_000 });
    const { key, record } = await t.make("integration");
    t.setClock(new Date("2026-11-29T12:05:00Z"));
    await t.verifier.verify(t.request(key, "v1", { ip: "192.0.2.10" }));
    let row = await t.store.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", record.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.last_used_at, null, "nothing written on the request's path");
    await t.verifier.flushUsage();
    row = await t.store.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", record.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([row.last_used_at, row.last_used_ip], ["2026-11-29T12:05:00.000Z", "192.0.2.10"]);

    // Another server flushing an older use afterwards does not move it back.
    const lagging = createKeyVerifier(t.store.db, {
      now: () => new Date("2026-11-29T12:01:00Z"),
      usageFlushMs: 60_000,
    });
    await lagging.verify(t.request(key, "v1", { ip: "192.0.2.99" }));
    await lagging.close();
    row = await t.store.db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", record.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([row.last_used_at, row.last_used_ip], ["2026-11-29T12:05:00.000Z", "192.0.2.10"]);

    t.setClock(new Date("2026-11-29T12:10:00Z"));
    await t.verifier.verify(t.request(key, "v1", { ip: "192.0.2.11" }));
    await t.verifier.flushUsage();
    const firstUses = (await listAudit(t.store.db, t.subscriptionId, { target: record.id })).filter(
      (a) => a.action === "key.first_used",
    );
    assert.equal(firstUses.length, 1);
    await t.done();
  });

  test("the look-up is one read through the unique index on the hash (SQLite's plan)", async () => {
    const t = await setup();
    const plan = await sql<{
      detail: string;
    }>`EXPLAIN QUERY PLAN SELECT id FROM api_keys WHERE key_hash = ${"x"}`.execute(t.store.db);
    assert.deepEqual(
      plan.rows.map((row) => row.detail),
      ["SEARCH api_keys USING INDEX sqlite_autoindex_api_keys_2 (key_hash=?)"],
    );
    await t.done();
  });
});
