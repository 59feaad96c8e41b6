import assert from "node:assert/strict";
import { test } from "node:test";
import { createFailureLimiter, defaultFailureLimiterCapacity } from "./failure-limiter.js";
import { createRecentEntries, maxSpared } from "./recent-entries.js";

const minute = 60_000;
const at = 1_795_416_050_000;

test("an attempt is counted when it starts: past the limit the rest are refused, whatever is in flight", () => {
  const limiter = createFailureLimiter({ maxFailures: 3, windowMs: 15 * minute });
  const attempts = Array.from({ length: 10 }, () => limiter.countAttempt("198.51.100.1", at));
  assert.equal(attempts.filter((a) => a.admitted).length, 3);
  const refused = attempts.at(-1);
  assert.ok(refused && !refused.admitted);
  assert.equal(refused.retryAfterSeconds, 15 * 60);
  assert.equal(limiter.retryAfterSeconds("198.51.100.2", at), 0, "other addresses are not affected");
});

test("a refund takes back one attempt, once; a new window starts over", () => {
  const limiter = createFailureLimiter({ maxFailures: 3, windowMs: minute });
  const first = limiter.countAttempt("a", at);
  limiter.countAttempt("a", at);
  assert.ok(first.admitted);
  first.refund();
  first.refund();
  assert.ok(limiter.countAttempt("a", at).admitted, "two counted, one refunded (twice, taken once)");
  assert.ok(limiter.countAttempt("a", at).admitted, "three counted");
  assert.equal(limiter.countAttempt("a", at).admitted, false);
  assert.ok(limiter.countAttempt("a", at + minute).admitted);
});

test("recordFailure and retryAfterSeconds, as key verification and the feedback panel use them", () => {
  const limiter = createFailureLimiter({ maxFailures: 2, windowMs: minute });
  limiter.recordFailure("k", at);
  assert.equal(limiter.retryAfterSeconds("k", at), 0);
  limiter.recordFailure("k", at + 1_000);
  assert.equal(limiter.retryAfterSeconds("k", at + 1_000), 59);
  assert.equal(limiter.retryAfterSeconds("k", at + minute), 0);
});

test("100,000 other addresses arriving do not unlock an address that was locked out", () => {
  const limiter = createFailureLimiter({ maxFailures: 2, windowMs: 15 * minute });
  limiter.recordFailure("locked", at);
  limiter.recordFailure("locked", at);
  for (let i = 0; i <= defaultFailureLimiterCapacity; i++) limiter.recordFailure(`flood-${i}`, at + 1);
  assert.ok(limiter.retryAfterSeconds("locked", at + 2) > 0);
});

test("at capacity the least recently used address goes, locked-out ones last", () => {
  const limiter = createFailureLimiter({ maxFailures: 2, windowMs: 15 * minute, capacity: 100 });
  limiter.recordFailure("locked", at);
  limiter.recordFailure("locked", at);
  limiter.recordFailure("old", at);
  limiter.recordFailure("used", at);
  for (let i = 0; i < 1_000; i++) {
    limiter.recordFailure(`flood-${i}`, at + 1);
    if (i % 50 === 0) limiter.retryAfterSeconds("used", at + 1); // looked at: recently used
  }
  assert.ok(limiter.retryAfterSeconds("locked", at + 2) > 0, "still locked out");
  limiter.recordFailure("used", at + 2);
  assert.ok(limiter.retryAfterSeconds("used", at + 2) > 0, "its first failure was remembered");
  limiter.recordFailure("old", at + 2);
  assert.equal(limiter.retryAfterSeconds("old", at + 2), 0, "forgotten: this is its first failure again");
});

test("memory stays bounded even when every remembered entry is worth keeping", () => {
  const entries = createRecentEntries<number>(10, () => true);
  for (let i = 0; i < 1_000; i++) entries.put(`k${i}`, i, at);
  assert.equal(entries.size, 10);
  assert.equal(entries.use("k999"), 999);
  const spared = createRecentEntries<boolean>(maxSpared * 4, (keep) => keep);
  spared.put("keep", true, at);
  for (let i = 0; i < maxSpared * 40; i++) spared.put(`k${i}`, false, at);
  assert.equal(spared.use("keep"), true);
  assert.equal(spared.size, maxSpared * 4);
});
