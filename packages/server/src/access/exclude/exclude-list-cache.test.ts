import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { installedStore, otherSubscription } from "../../start/test-support/installed-store.js";
import { openSqliteStore } from "../../store/metadata/sqlite/open-sqlite-store.js";
import { createExcludeListCache } from "./exclude-list-cache.js";
import { addExcludeRule, removeExcludeRule } from "./exclude-service.js";

/** Polls until `check` holds or `withinMs` passes; answers how long it took, or null. */
async function within(withinMs: number, check: () => Promise<boolean>): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started <= withinMs) {
    if (await check()) return Date.now() - started;
    await sleep(10);
  }
  return null;
}

describe("Exclude List cache", () => {
  test("a change made through one process's store applies in another's cache within a second", async () => {
    const { store, installation, file } = await installedStore();
    const subscriptionId = installation.subscription.id;
    // A second connection to the same file stands for a second server (or the CLI).
    const otherServer = openSqliteStore(file);
    const near = createExcludeListCache(store.db, { pollMs: 50 });
    const far = createExcludeListCache(otherServer.db, { pollMs: 50 });
    const event = { ip: "::ffff:10.1.2.3", visitorId: "v-42" };
    try {
      for (const cache of [near, far]) {
        assert.equal((await cache.matcherFor(subscriptionId)).isExcluded(event), false);
      }
      const rule = await addExcludeRule(store.db, {
        subscriptionId,
        kind: "ip",
        pattern: "10.0.0.0/8",
        actor: "cli",
      });
      for (const cache of [near, far]) {
        const took = await within(1000, async () =>
          (await cache.matcherFor(subscriptionId)).isExcluded(event),
        );
        assert.notEqual(took, null, "the new rule applies within a second");
      }
      await removeExcludeRule(otherServer.db, { subscriptionId, id: rule.id, actor: "cli" });
      for (const cache of [near, far]) {
        const took = await within(
          1000,
          async () => !(await cache.matcherFor(subscriptionId)).isExcluded(event),
        );
        assert.notEqual(took, null, "the removal applies within a second");
      }
    } finally {
      near.close();
      far.close();
      await otherServer.close();
      await store.close();
    }
  });

  test("after the first load the matcher is answered from memory, without reading the store", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    await addExcludeRule(store.db, { subscriptionId, kind: "visitor", pattern: "qa-*", actor: "cli" });
    // A long poll interval: nothing but the first load can refresh the matcher during this test.
    const cache = createExcludeListCache(store.db, { pollMs: 60_000 });
    try {
      assert.equal(cache.cachedMatcher(subscriptionId), null, "nothing before the first load");
      const first = await cache.matcherFor(subscriptionId);
      assert.equal(first.isExcluded({ visitorId: "qa-7" }), true);
      assert.equal(cache.cachedMatcher(subscriptionId), first);
      // With the rules table gone, any store read would fail: the cached answer proves none happens.
      await store.db.schema.dropTable("exclude_rules").execute();
      assert.equal(await cache.matcherFor(subscriptionId), first);
      assert.equal(cache.cachedMatcher(subscriptionId)?.isExcluded({ visitorId: "qa-8" }), true);
    } finally {
      cache.close();
      await store.close();
    }
  });

  test("concurrent first calls share one load; another subscription's rules never apply", async () => {
    const { store, installation } = await installedStore();
    const mine = installation.subscription.id;
    const other = await otherSubscription(store);
    await addExcludeRule(store.db, {
      subscriptionId: other.subscriptionId,
      kind: "host",
      pattern: "localhost",
      actor: "cli",
    });
    await addExcludeRule(store.db, {
      subscriptionId: other.subscriptionId,
      kind: "visitor",
      pattern: "*",
      actor: "cli",
    });
    const cache = createExcludeListCache(store.db, { pollMs: 50 });
    try {
      const [a, b] = await Promise.all([cache.matcherFor(mine), cache.matcherFor(mine)]);
      assert.equal(a, b);
      assert.equal(a?.ruleCount, 0);
      const event = { visitorId: "anyone", url: "http://localhost:3000/" };
      assert.equal(a?.isExcluded(event), false);
      const theirs = await cache.matcherFor(other.subscriptionId);
      assert.equal(theirs.isExcluded(event), true, "the same event is excluded where the rule lives");
      assert.equal((await cache.matcherFor(mine)).isExcluded(event), false);
    } finally {
      cache.close();
      await store.close();
    }
  });
});
