import assert from "node:assert/strict";
import { it } from "node:test";
import { inflateSync } from "node:zlib";
import { seededRandom } from "../test-support/seeded-random.js";
import { encodeBatch, maxJzbLength, packEvents } from "./batch-packing.js";

it("closes a batch when the estimated compressed size would pass 1900 characters", () => {
  const event = { type: "click", pad: "x".repeat(980) }; // about 1000 JSON characters
  const batches = packEvents(Array.from({ length: 30 }, () => event));
  assert.deepEqual(
    batches.map((batch) => batch.length),
    [9, 9, 9, 3],
  );
  assert.equal(
    packEvents([{ big: "y".repeat(100_000) }]).length,
    1,
    "a single big event still forms a batch",
  );
  assert.deepEqual(packEvents([]), []);
});

it("halves batches whose jzb passes 64 KiB and drops a single event that large", () => {
  const random = seededRandom(3);
  const noisy = () => ({
    noise: Array.from({ length: 30_000 }, () => Math.floor(random() * 36).toString(36)).join(""),
  });
  const events = Array.from({ length: 6 }, noisy);
  const parts = encodeBatch(events);
  assert.ok(parts.length > 1);
  for (const part of parts) assert.ok(part.length <= maxJzbLength);
  const decoded = parts.flatMap((part) => JSON.parse(inflateSync(Buffer.from(part, "base64url")).toString()));
  assert.deepEqual(decoded, events);
  assert.deepEqual(
    encodeBatch([{ noise: Array.from({ length: 120_000 }, () => random().toString(36)[2]).join("") }]),
    [],
  );
});
