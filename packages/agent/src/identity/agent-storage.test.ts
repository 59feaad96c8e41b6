import assert from "node:assert/strict";
import { it } from "node:test";
import { identityLifetimeMs, identityStore, memoryStore, webStore } from "./agent-storage.js";

it("stores identity as _pendo_<name>.<apiKey> = {ttl, value} and forgets expired entries", () => {
  const backing = memoryStore();
  let now = 1_000;
  const store = identityStore(backing, "key-1", () => now);
  store.set("visitorId", "v1");
  assert.deepEqual(JSON.parse(backing.get("_pendo_visitorId.key-1") ?? ""), {
    ttl: 1_000 + identityLifetimeMs,
    value: "v1",
  });
  assert.equal(store.get("visitorId"), "v1");
  now += identityLifetimeMs;
  assert.equal(store.get("visitorId"), undefined);
  assert.equal(backing.get("_pendo_visitorId.key-1"), null, "the expired entry is removed");
  backing.set("_pendo_accountId.key-1", "not json");
  assert.equal(store.get("accountId"), undefined);
});

it("falls back to memory when Web Storage throws (privacy modes, quota)", () => {
  const store = webStore(() => {
    throw new Error("SecurityError");
  });
  store.set("a", "1");
  assert.equal(store.get("a"), "1");
  store.remove("a");
  assert.equal(store.get("a"), null);
});
