import assert from "node:assert/strict";
import { test } from "node:test";
import { createRecentBatches } from "./recent-batches.js";

test("a key is claimed once; a released key can be claimed again; the oldest keys go past the bound", () => {
  const recent = createRecentBatches(3);
  assert.equal(recent.claim("a"), true);
  assert.equal(recent.claim("a"), false, "a copy");
  recent.release("a");
  assert.equal(recent.claim("a"), true, "a beacon that could not be logged may come again");
  for (const key of ["b", "c", "d"]) assert.equal(recent.claim(key), true);
  assert.equal(recent.claim("a"), true, "the oldest key was forgotten");
  assert.equal(recent.claim("d"), false, "newer keys are still remembered");
});

test("a memory of size 0 remembers nothing", () => {
  const recent = createRecentBatches(0);
  assert.equal(recent.claim("a"), true);
  assert.equal(recent.claim("a"), true);
});
