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

test("tokens spent elsewhere are taken from the key's bucket, down to a debt of one burst", () => {
  const buckets = createTokenBuckets({ ratePerSecond: 1, burst: 4 });
  buckets.spend("a", 3, 0);
  assert.equal(buckets.take("a", 0), 0, "one token left of four");
  assert.equal(buckets.take("a", 0), 1, "then none");
  buckets.spend("b", 100, 0);
  assert.equal(buckets.take("b", 0), 5, "a debt of four plus the one token wanted: 5 s at 1/s");
  assert.equal(buckets.take("b", 5_000), 0, "paid back at the rate");
});
