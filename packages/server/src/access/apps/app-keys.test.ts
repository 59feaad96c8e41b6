import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { installedStore, otherSubscription } from "../../start/test-support/installed-store.js";
import { listAudit } from "../audit/audit-log.js";
import { originAllowed, parseOrigins, resolveAppKey, rollAppKey, setAllowedOrigins } from "./app-keys.js";

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("app keys", () => {
  test("a rolled app key works at once; the old one until the grace ends (30 days by default), then never", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const appId = installation.app.id;
    const oldKey = installation.app.appKey;
    const now = new Date("2026-11-29T12:00:00Z");
    const rolled = await rollAppKey(store.db, { subscriptionId, appId, actor: "usr_x" }, now);
    assert.match(rolled.appKey, uuidV4);
    assert.notEqual(rolled.appKey, oldKey);
    assert.equal(rolled.previousAppKeyExpiresAt, "2026-12-29T12:00:00.000Z");

    assert.deepEqual(await resolveAppKey(store.db, rolled.appKey, undefined, now), {
      ok: true,
      appId,
      subscriptionId,
      viaPreviousKey: false,
      feedbackWidget: false,
      identity: { mode: "off", unsignedEvents: "flag", verifiers: [] },
    });
    const justBefore = new Date("2026-12-29T11:59:59.999Z");
    assert.deepEqual(await resolveAppKey(store.db, oldKey, undefined, justBefore), {
      ok: true,
      appId,
      subscriptionId,
      viaPreviousKey: true,
      feedbackWidget: false,
      identity: { mode: "off", unsignedEvents: "flag", verifiers: [] },
    });
    const atEnd = new Date("2026-12-29T12:00:00.000Z");
    assert.deepEqual(await resolveAppKey(store.db, oldKey, undefined, atEnd), {
      ok: false,
      reason: "retired",
    });
    assert.deepEqual(await resolveAppKey(store.db, "6f1c1a9e-8f7b-4c53-9a57-1f2d3c4b5a69", undefined, now), {
      ok: false,
      reason: "unknown",
    });

    // Rolling again retires the first key at once: only one previous key is remembered.
    const again = await rollAppKey(store.db, { subscriptionId, appId, graceMs: 0, actor: "usr_x" }, now);
    assert.deepEqual(await resolveAppKey(store.db, oldKey, undefined, now), { ok: false, reason: "unknown" });
    assert.deepEqual(await resolveAppKey(store.db, rolled.appKey, undefined, now), {
      ok: false,
      reason: "retired",
    });
    assert.equal((await resolveAppKey(store.db, again.appKey, undefined, now)).ok, true);
    const actions = (await listAudit(store.db, subscriptionId, { target: appId })).map((a) => a.action);
    assert.deepEqual(actions, ["app.key_rolled", "app.key_rolled"]);
    await store.close();
  });

  test("allowed origins: exact and wildcard subdomains; others, and requests with no origin, are refused", async () => {
    const { store, installation } = await installedStore();
    const subscriptionId = installation.subscription.id;
    const appKey = installation.app.appKey;
    assert.equal(
      (await resolveAppKey(store.db, appKey, "https://anything.example")).ok,
      true,
      "any origin until a list is set",
    );
    const set = await setAllowedOrigins(store.db, {
      subscriptionId,
      appId: installation.app.id,
      origins: ["https://App.Example.com/", "https://*.example.org", "https://app.example.com"],
      actor: "cli",
    });
    assert.deepEqual(set, ["https://app.example.com", "https://*.example.org"]);
    assert.equal((await resolveAppKey(store.db, appKey, "https://app.example.com")).ok, true);
    assert.equal((await resolveAppKey(store.db, appKey, "https://eu.example.org")).ok, true);
    for (const origin of [
      "https://example.org",
      "http://eu.example.org",
      "https://app.example.com.evil.io",
      "https://evilexample.org",
      undefined,
    ]) {
      assert.deepEqual(
        await resolveAppKey(store.db, appKey, origin),
        { ok: false, reason: "origin_not_allowed" },
        String(origin),
      );
    }
    await store.close();
  });

  test("bad origins are refused with a clear message; another subscription's app is not found", async () => {
    for (const bad of [
      "example.com",
      "https://example.com/path",
      "javascript:alert(1)",
      "https://exa mple.com",
    ]) {
      assert.throws(
        () => parseOrigins([bad]),
        (e: unknown) =>
          e instanceof CairnError && e.code === "bad_request" && /is not an origin/.test(e.message),
        bad,
      );
    }
    assert.equal(originAllowed([], undefined), true);
    const { store, installation } = await installedStore();
    const other = await otherSubscription(store);
    const notFound = (e: unknown) => e instanceof CairnError && e.code === "not_found";
    await assert.rejects(
      rollAppKey(store.db, { subscriptionId: installation.subscription.id, appId: other.appId, actor: "x" }),
      notFound,
    );
    await assert.rejects(
      setAllowedOrigins(store.db, {
        subscriptionId: installation.subscription.id,
        appId: other.appId,
        origins: [],
        actor: "x",
      }),
      notFound,
    );
    await store.close();
  });
});
