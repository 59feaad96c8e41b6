import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import type { KyselyPlugin } from "kysely";
import { installedStore } from "../start/test-support/installed-store.js";
import { createAppKeyCache } from "./apps/app-key-cache.js";
import { generateSecretKey } from "./keys/key-format.js";
import { createKey, setIntegrationKeysEnabled } from "./keys/key-service.js";
import { createKeyVerifier } from "./keys/key-verifier.js";

/** Counts the statements a store handle runs: what a cache saves is reads. */
function countingReads(): { plugin: KyselyPlugin; count: () => number } {
  let statements = 0;
  return {
    plugin: {
      transformQuery(args) {
        statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    count: () => statements,
  };
}

test("a flood of unknown secret keys never pushes a valid key out of the key cache", async () => {
  const { store, installation } = await installedStore();
  const subscriptionId = installation.subscription.id;
  await setIntegrationKeysEnabled(store.db, { subscriptionId, enabled: true, actor: "cli" });
  const { key } = await createKey(store.db, {
    subscriptionId,
    kind: "integration",
    description: "x",
    actor: "cli",
  });
  const verifier = createKeyVerifier(store.db, { maxEntries: 10, maxFailuresPerWindow: 10_000 });
  const request = (presented: string, ip = "192.0.2.1") =>
    ({ presented, family: "v1", write: false, ip, origin: undefined }) as const;
  await verifier.verify(request(key));
  const readsAfterFirst = verifier.storeReads();
  for (let i = 0; i < 50; i++)
    await assert.rejects(verifier.verify(request(generateSecretKey("integration"))), () => true);
  await verifier.verify(request(key));
  assert.equal(verifier.storeReads(), readsAfterFirst + 50, "the valid key was served from memory");
  await verifier.close();
  await store.close();
});

test("secret-shaped strings on collector URLs are look-ups limited per address like any key", async () => {
  const { store } = await installedStore();
  const verifier = createKeyVerifier(store.db, { maxFailuresPerWindow: 20 });
  for (let i = 0; i < 60; i++)
    await verifier.flagExposedKey(generateSecretKey("integration"), {
      ip: "198.51.100.3",
      origin: undefined,
      place: "beacon",
    });
  assert.equal(verifier.storeReads(), 20, "past 20 unknown keys from one address, no more store reads");
  await verifier.flagExposedKey(generateSecretKey("integration"), {
    ip: "198.51.100.4",
    origin: undefined,
    place: "beacon",
  });
  assert.equal(verifier.storeReads(), 21, "another address is not held back");
  await verifier.close();
  await store.close();
});

test("a flood of random app keys never pushes a real app out of the app-key cache", async () => {
  const { store, installation } = await installedStore();
  const reads = countingReads();
  const cache = createAppKeyCache(store.db.withPlugin(reads.plugin), { maxEntries: 10, pollMs: 60_000 });
  const resolve = (appKey: string) => cache.resolve(appKey, null).catch(() => null);
  await resolve(installation.app.appKey);
  await resolve(installation.app.appKey);
  const readsForOneApp = reads.count();
  for (let i = 0; i < 50; i++) await resolve(randomUUID());
  const readsAfterFlood = reads.count();
  await resolve(installation.app.appKey);
  assert.ok(readsForOneApp > 0);
  assert.equal(reads.count(), readsAfterFlood, "the real app was served from memory");
  cache.close();
  await store.close();
});

test("parallel guesses from one address: no more look-ups than the limit, however many arrive at once", async () => {
  const { store } = await installedStore();
  const verifier = createKeyVerifier(store.db, { maxFailuresPerWindow: 5 });
  const guesses = Array.from({ length: 30 }, () =>
    verifier
      .verify({
        presented: generateSecretKey("integration"),
        family: "v1",
        write: false,
        ip: "203.0.113.8",
        origin: undefined,
      })
      .then(
        () => "accepted",
        (error: { code?: string }) => error.code ?? "unknown",
      ),
  );
  const outcomes = await Promise.all(guesses);
  assert.equal(outcomes.filter((o) => o === "invalid_key").length, 5);
  assert.equal(outcomes.filter((o) => o === "rate_limited").length, 25);
  assert.equal(verifier.storeReads(), 5, "the other 25 were refused before any look-up");
  await verifier.close();
  await store.close();
});
