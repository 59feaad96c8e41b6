import assert from "node:assert/strict";
import { test } from "node:test";
import { createTokenBuckets } from "./token-buckets.js";

test("a key spends its burst, then earns tokens back at its rate; other keys are unaffected", () => {
  const buckets = createTokenBuckets({ ratePerSecond: 2, burst: 3 });
  for (let i = 0; i < 3; i++) assert.equal(buckets.take("a", 0), 0);
  assert.equal(buckets.take("a", 0), 1, "empty: retry after a second");
  assert.equal(buckets.take("b", 0), 0);
  assert.equal(buckets.take("a", 500), 0, "half a second at 2/s earns one token");
  assert.equal(buckets.take("a", 500), 1);
  assert.equal(buckets.take("a", 10_000), 0, "refilled, but never past the burst");
  assert.equal(buckets.take("a", 10_000), 0);
  assert.equal(buckets.take("a", 10_000), 0);
  assert.equal(buckets.take("a", 10_000), 1);
});

test("a flood of new keys evicts the least recently used, never the key being limited", () => {
  const buckets = createTokenBuckets({ ratePerSecond: 1, burst: 1, capacity: 100 });
  assert.equal(buckets.take("abuser", 0), 0);
  for (let i = 0; i < 1_000; i++) {
    assert.equal(buckets.take("abuser", 0), 1, "still limited");
    buckets.take(`random-${i}`, 0);
  }
});
