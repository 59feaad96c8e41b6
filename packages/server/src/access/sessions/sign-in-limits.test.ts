import assert from "node:assert/strict";
import { test } from "node:test";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { accountDelayMs, defaultAccountBackoff } from "./account-backoff.js";
import { createSignInLimits } from "./sign-in-limits.js";

const at = 1_795_416_050_000;
const minute = 60_000;

/** The Retry-After of a refused attempt, or null when it was admitted (and counted as a failure). */
function tryOnce(
  limits: ReturnType<typeof createSignInLimits>,
  address: string,
  account: string | null,
  nowMs: number,
): number | null {
  try {
    limits.begin(address, account, nowMs);
    return null;
  } catch (error) {
    assert.ok(error instanceof CairnError && error.code === "rate_limited");
    return Number(error.headers?.["retry-after"]);
  }
}

test("the account backoff's numbers: 5 free failures, then 1 s doubling to at most 15 minutes", () => {
  const delays = Array.from({ length: 18 }, (_, i) => accountDelayMs(i + 1, defaultAccountBackoff) / 1000);
  assert.deepEqual(delays, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
});

test("failures against one account from many addresses lock it for a growing delay", () => {
  const limits = createSignInLimits();
  let address = 0;
  const fromNewAddress = (nowMs: number, account = "Owner@Example.com") =>
    tryOnce(limits, `198.51.100.${address++}`, account, nowMs);
  for (let i = 0; i < 5; i++) assert.equal(fromNewAddress(at), null, `free failure ${i + 1}`);
  let now = at;
  for (const expectedSeconds of [1, 2, 4, 8, 16]) {
    assert.equal(fromNewAddress(now), null, "admitted once the lock is over");
    assert.equal(fromNewAddress(now), expectedSeconds, "locked for the next delay");
    assert.equal(fromNewAddress(now, " owner@example.COM "), expectedSeconds, "the same account, spelt so");
    now += expectedSeconds * 1000;
  }
  assert.equal(fromNewAddress(now, "someone-else@example.com"), null, "other accounts are not affected");
  assert.equal(fromNewAddress(now + 60 * minute), null, "an hour without failures starts over");
  assert.equal(fromNewAddress(now + 60 * minute), null);
});

test("a success refunds: the address's attempt and the account's whole backoff", () => {
  const limits = createSignInLimits({ maxFailuresPerAddress: 5 });
  for (let i = 0; i < 4; i++) assert.equal(tryOnce(limits, "a", "owner@x", at), null);
  limits.begin("a", "owner@x", at).succeeded();
  assert.equal(tryOnce(limits, "a", "owner@x", at), null, "the success did not count: a fifth failure");
  assert.ok((tryOnce(limits, "a", "owner@x", at) ?? 0) > 0, "now the address is locked out");
  for (let i = 0; i < 5; i++) assert.equal(tryOnce(limits, `b${i}`, "owner@x", at), null, "account fresh");
});

test("an attempt refused for its account does not count against its address", () => {
  const limits = createSignInLimits({ maxFailuresPerAddress: 8 });
  for (let i = 0; i < 6; i++) tryOnce(limits, `x${i}`, "target@x", at);
  for (let i = 0; i < 20; i++) assert.ok((tryOnce(limits, "a", "target@x", at) ?? 0) > 0);
  for (let i = 0; i < 8; i++) assert.equal(tryOnce(limits, "a", `other${i}@x`, at), null);
});
