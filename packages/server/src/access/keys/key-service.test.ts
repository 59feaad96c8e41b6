import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { installedStore, otherSubscription } from "../../start/test-support/installed-store.js";
import { listAudit } from "../audit/audit-log.js";
import { hashKey } from "./key-format.js";
import { createKey, listKeys, revokeKey, rollKey, setIntegrationKeysEnabled } from "./key-service.js";

const code = (expected: string) => (error: unknown) => error instanceof CairnError && error.code === expected;

describe("key service", () => {
  test("a created key is returned once; the store and every listing keep only its hash and start", async () => {
    const { store, installation, file } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const { key, record } = await createKey(store.db, {
      subscriptionId,
      kind: "integration",
      description: " ETL nightly ",
      actor: "usr_x",
    });
    assert.equal(record.description, "ETL nightly");
    assert.equal(record.scope, "read", "read-only by default");
    assert.equal(record.start, key.slice(0, 8));
    assert.ok(!JSON.stringify(record).includes(key));

    const row = await store.db.selectFrom("api_keys").selectAll().executeTakeFirstOrThrow();
    assert.equal(row.key_hash, hashKey(key));
    assert.ok(!Object.values(row).includes(key));
    const page = await listKeys(store.db, subscriptionId);
    assert.ok(!JSON.stringify(page).includes(key));
    assert.deepEqual(
      page.keys.map((k) => [k.id, k.state]),
      [[record.id, "active"]],
    );

    await store.close();
    for (const suffix of ["", "-wal"]) {
      let bytes = "";
      try {
        bytes = readFileSync(file + suffix, "latin1");
      } catch {}
      assert.ok(
        !bytes.includes(key) && !bytes.includes(key.slice(4)),
        `metadata.sqlite${suffix} holds no key`,
      );
    }
  });

  test("refused inputs change nothing", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const other = await otherSubscription(store);
    const cases: Array<[Parameters<typeof createKey>[1], string]> = [
      [{ subscriptionId, kind: "integration", description: "   ", actor: "cli" }, "bad_request"],
      [{ subscriptionId, kind: "integration", description: "x".repeat(201), actor: "cli" }, "bad_request"],
      [{ subscriptionId, kind: "feedback", description: "fb", write: true, actor: "cli" }, "bad_request"],
      [{ subscriptionId, kind: "track", description: "no app", actor: "cli" }, "bad_request"],
      [
        { subscriptionId, kind: "track", description: "their app", appId: other.appId, actor: "cli" },
        "not_found",
      ],
      [
        {
          subscriptionId,
          kind: "integration",
          description: "with app",
          appId: installation.app.id,
          actor: "cli",
        },
        "bad_request",
      ],
      [
        {
          subscriptionId,
          kind: "integration",
          description: "past",
          expiresAt: new Date(Date.now() - 1000),
          actor: "cli",
        },
        "bad_request",
      ],
      [{ subscriptionId: "sub_nope", kind: "feedback", description: "x", actor: "cli" }, "not_found"],
    ];
    for (const [input, expected] of cases)
      await assert.rejects(createKey(store.db, input), code(expected), JSON.stringify(input));
    assert.equal((await listKeys(store.db, subscriptionId)).keys.length, 0);
    await store.close();
  });

  test("integration keys need the owner's switch (rule 1); feedback and track keys do not", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    await setIntegrationKeysEnabled(store.db, { subscriptionId, enabled: true, actor: "cli" });
    const before = await createKey(store.db, {
      subscriptionId,
      kind: "integration",
      description: "x",
      actor: "cli",
    });
    await setIntegrationKeysEnabled(store.db, { subscriptionId, enabled: false, actor: "cli" });
    await assert.rejects(
      rollKey(store.db, { subscriptionId, id: before.record.id, actor: "cli" }),
      code("integration_keys_disabled"),
      "a roll is a new key: refused while the switch is off",
    );
    await assert.rejects(
      createKey(store.db, { subscriptionId, kind: "integration", description: "x", actor: "cli" }),
      code("integration_keys_disabled"),
    );
    await createKey(store.db, { subscriptionId, kind: "feedback", description: "x", actor: "cli" });
    await createKey(store.db, {
      subscriptionId,
      kind: "track",
      description: "x",
      appId: installation.app.id,
      actor: "cli",
    });
    await store.close();
  });

  test("there is no limit: 1,000 keys are created and listed page by page", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const created = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      created.add(
        (
          await createKey(store.db, {
            subscriptionId,
            kind: "integration",
            description: `key ${i}`,
            actor: "cli",
          })
        ).record.id,
      );
    }
    const listed: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await listKeys(store.db, subscriptionId, { limit: 300, after });
      listed.push(...page.keys.map((k) => k.id));
      after = page.next;
      pages += 1;
    } while (after);
    assert.equal(pages, 4);
    assert.equal(listed.length, 1000);
    assert.deepEqual(new Set(listed), created);
    await store.close();
  });

  test("roll: a new key like the old; the old one expires at the earlier of its expiry and now + grace", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const now = new Date("2026-11-29T12:00:00Z");
    const original = await createKey(
      store.db,
      { subscriptionId, kind: "integration", description: "ETL", write: true, actor: "usr_a" },
      now,
    );
    const rolled = await rollKey(
      store.db,
      { subscriptionId, id: original.record.id, grace: "1h", actor: "usr_b" },
      now,
    );
    assert.notEqual(rolled.key, original.key);
    assert.deepEqual(
      [rolled.record.kind, rolled.record.description, rolled.record.scope, rolled.record.state],
      ["integration", "ETL", "write", "active"],
    );
    assert.equal(rolled.old.expiresAt, "2026-11-29T13:00:00.000Z");
    assert.equal(rolled.old.rolledTo, rolled.record.id);
    await assert.rejects(
      rollKey(store.db, { subscriptionId, id: original.record.id, actor: "cli" }, now),
      code("conflict"),
      "rolled once",
    );

    const soon = await createKey(
      store.db,
      {
        subscriptionId,
        kind: "feedback",
        description: "fb",
        expiresAt: new Date("2026-11-29T12:30:00Z"),
        actor: "cli",
      },
      now,
    );
    const soonRolled = await rollKey(
      store.db,
      { subscriptionId, id: soon.record.id, grace: "24h", actor: "cli" },
      now,
    );
    assert.equal(soonRolled.old.expiresAt, "2026-11-29T12:30:00.000Z", "its own earlier expiry stands");

    await assert.rejects(
      rollKey(store.db, { subscriptionId, id: soon.record.id, grace: "2h", actor: "cli" }, now),
      code("bad_request"),
    );
    const later = new Date("2026-11-29T13:00:00Z");
    await assert.rejects(
      rollKey(store.db, { subscriptionId, id: original.record.id, actor: "cli" }, later),
      code("conflict"),
      "expired",
    );
    await store.close();
  });

  test("revoke is final, idempotent, audited in its transaction, and rolling a revoked key is a 409", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const { record } = await createKey(store.db, {
      subscriptionId,
      kind: "feedback",
      description: "fb",
      actor: "cli",
    });
    const revoked = await revokeKey(store.db, {
      subscriptionId,
      id: record.id,
      actor: "usr_a",
      ip: "192.0.2.1",
    });
    assert.equal(revoked.state, "revoked");
    const again = await revokeKey(store.db, { subscriptionId, id: record.id, actor: "usr_a" });
    assert.equal(again.revokedAt, revoked.revokedAt);
    await assert.rejects(
      rollKey(store.db, { subscriptionId, id: record.id, actor: "cli" }),
      code("conflict"),
    );
    const audit = await listAudit(store.db, subscriptionId, { target: record.id });
    // Both can fall in the same millisecond, so compare without relying on their order.
    assert.deepEqual(audit.map((a) => `${a.action} by ${a.actor}`).sort(), [
      "key.created by cli",
      "key.revoked by usr_a",
    ]);
    await store.close();
  });

  test("another subscription's key answers as if it did not exist", async () => {
    const { store, installation } = await installedStore();
    const other = await otherSubscription(store);
    const theirs = await createKey(store.db, {
      subscriptionId: other.subscriptionId,
      kind: "feedback",
      description: "theirs",
      actor: "cli",
    });
    const mine = installation.subscription.id;
    await assert.rejects(
      revokeKey(store.db, { subscriptionId: mine, id: theirs.record.id, actor: "cli" }),
      code("not_found"),
    );
    await assert.rejects(
      rollKey(store.db, { subscriptionId: mine, id: theirs.record.id, actor: "cli" }),
      code("not_found"),
    );
    await assert.rejects(listKeys(store.db, mine, { after: theirs.record.id }), code("not_found"));
    assert.equal((await listKeys(store.db, mine)).keys.length, 0);
    await store.close();
  });
});
