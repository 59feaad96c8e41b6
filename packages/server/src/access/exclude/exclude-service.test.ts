import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { installedStore, otherSubscription } from "../../start/test-support/installed-store.js";
import { listAudit } from "../audit/audit-log.js";
import { addExcludeRule, listExcludeRules, removeExcludeRule } from "./exclude-service.js";

async function revision(store: Awaited<ReturnType<typeof installedStore>>["store"]): Promise<number> {
  const row = await store.db
    .selectFrom("cache_revisions")
    .select("revision")
    .where("name", "=", "exclude")
    .executeTakeFirstOrThrow();
  return row.revision;
}

describe("Exclude List service", () => {
  test("add, list and remove; each change is audited and bumps the exclude revision", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const now = new Date("2026-11-29T12:00:00Z");
    assert.equal(await revision(store), 0);

    const rule = await addExcludeRule(
      store.db,
      {
        subscriptionId,
        kind: "host",
        pattern: " Staging.Example.com ",
        note: " QA box ",
        actor: "usr_a",
        ip: "198.51.100.1",
      },
      now,
    );
    assert.match(rule.id, /^exr_[0-9A-Za-z]{22}$/);
    assert.deepEqual(
      { ...rule, id: "" },
      {
        id: "",
        kind: "host",
        pattern: "staging.example.com",
        note: "QA box",
        createdAt: now.toISOString(),
        createdBy: "usr_a",
      },
    );
    assert.equal(await revision(store), 1);
    const second = await addExcludeRule(store.db, {
      subscriptionId,
      kind: "ip",
      pattern: "10.0.0.0/8",
      actor: "cli",
    });
    assert.equal(second.note, null);
    assert.deepEqual(
      (await listExcludeRules(store.db, subscriptionId)).map((r) => r.id),
      [rule.id, second.id],
    );

    const removed = await removeExcludeRule(store.db, { subscriptionId, id: rule.id, actor: "usr_b" });
    assert.equal(removed.pattern, "staging.example.com");
    assert.deepEqual(
      (await listExcludeRules(store.db, subscriptionId)).map((r) => r.id),
      [second.id],
    );
    assert.equal(await revision(store), 3);

    const audit = await listAudit(store.db, subscriptionId, { target: rule.id });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [
        ["exclude_rule.removed", "usr_b"],
        ["exclude_rule.added", "usr_a"],
      ],
    );
    assert.deepEqual(audit[1]?.detail, { kind: "host", pattern: "staging.example.com", note: "QA box" });
    assert.equal(audit[1]?.ip, "198.51.100.1");
    await store.close();
  });

  test("a duplicate (after normalisation) is a 409 naming the existing rule, and changes nothing", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const first = await addExcludeRule(store.db, {
      subscriptionId,
      kind: "ip",
      pattern: "2001:db8::1",
      actor: "cli",
    });
    const auditBefore = (await listAudit(store.db, subscriptionId)).length;
    await assert.rejects(
      addExcludeRule(store.db, { subscriptionId, kind: "ip", pattern: "2001:DB8:0::0001", actor: "cli" }),
      (e: unknown) =>
        e instanceof CairnError &&
        e.code === "conflict" &&
        e.status === 409 &&
        e.message === `The Exclude List already has the ip rule "2001:db8::1" (${first.id}).`,
    );
    assert.equal((await listExcludeRules(store.db, subscriptionId)).length, 1);
    assert.equal((await listAudit(store.db, subscriptionId)).length, auditBefore);
    assert.equal(await revision(store), 1);
    // The same pattern under another kind is another rule; ids are case-sensitive.
    await addExcludeRule(store.db, { subscriptionId, kind: "visitor", pattern: "2001:db8::1", actor: "cli" });
    await addExcludeRule(store.db, { subscriptionId, kind: "visitor", pattern: "2001:DB8::1", actor: "cli" });
    assert.equal((await listExcludeRules(store.db, subscriptionId)).length, 3);
    await store.close();
  });

  test("bad input changes nothing: no row, no audit record, no revision bump", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const auditBefore = (await listAudit(store.db, subscriptionId)).length;
    const attempts = [
      { kind: "ip", pattern: "10.0.0.0/33" },
      { kind: "email", pattern: "a@b.c" },
      { kind: "visitor", pattern: "" },
      { kind: "visitor", pattern: "v", note: "n".repeat(201) },
    ];
    for (const attempt of attempts) {
      await assert.rejects(
        addExcludeRule(store.db, { subscriptionId, ...attempt, actor: "cli" }),
        (e: unknown) => e instanceof CairnError && e.code === "bad_request",
        JSON.stringify(attempt),
      );
    }
    assert.deepEqual(await listExcludeRules(store.db, subscriptionId), []);
    assert.equal((await listAudit(store.db, subscriptionId)).length, auditBefore);
    assert.equal(await revision(store), 0);
    await store.close();
  });

  test("another subscription's rules are neither listed nor removable (404)", async () => {
    const { store, installation } = await installedStore();
    const mine = installation.subscription.id;
    const other = await otherSubscription(store);
    const theirs = await addExcludeRule(store.db, {
      subscriptionId: other.subscriptionId,
      kind: "visitor",
      pattern: "v1",
      actor: "cli",
    });
    // The same rule may exist once per subscription.
    await addExcludeRule(store.db, { subscriptionId: mine, kind: "visitor", pattern: "v1", actor: "cli" });
    assert.deepEqual((await listExcludeRules(store.db, mine)).map((r) => r.id).includes(theirs.id), false);
    await assert.rejects(
      removeExcludeRule(store.db, { subscriptionId: mine, id: theirs.id, actor: "cli" }),
      (e: unknown) => e instanceof CairnError && e.code === "not_found" && e.status === 404,
    );
    assert.equal((await listExcludeRules(store.db, other.subscriptionId)).length, 1);
    await store.close();
  });
});
