import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createSharedCounts, packCounts, type SharedCounts } from "../../platform/limits/shared-counts.js";
import { testPostgresUrl } from "../../start/test-support/postgres-cluster.js";
import type { MetadataStore } from "./metadata-store.js";
import { openPostgresStore } from "./postgres/open-postgres-store.js";

// Two stores on one database stand for two servers: what one counts reaches the other through NOTIFY.
let first: MetadataStore;
let second: MetadataStore;

before(async () => {
  const url = await testPostgresUrl("shared-counts");
  first = await openPostgresStore(url);
  second = await openPostgresStore(url);
});
after(async () => {
  await first?.close();
  await second?.close();
});

function broadcastOf(store: MetadataStore) {
  assert.ok(store.broadcast, "PostgreSQL broadcasts");
  return store.broadcast;
}

/** Everything one stream receives, in order. */
function receiver(counts: SharedCounts, stream: string) {
  const received: Array<[string, number]> = [];
  const send = counts.stream(stream, (key, delta) => received.push([key, delta]));
  return { send, received };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; !check(); i++) {
    assert.ok(i < 100, `${what} within 5 s`);
    await sleep(50);
  }
}

test("messages stay under NOTIFY's 8,000 bytes, whatever the number of keys, and lose none", () => {
  const counts = Array.from({ length: 5_000 }, (_, i) => ["public-address", `198.51.${i}.é`, i + 1] as const);
  const messages = packCounts("server", counts);
  assert.ok(messages.length > 1);
  for (const message of messages) assert.ok(Buffer.byteLength(message) <= 7_000, `${message.length}`);
  const unpacked = messages.flatMap((message) => (JSON.parse(message) as { counts: unknown[] }).counts);
  assert.deepEqual(unpacked, counts);
  assert.deepEqual(
    packCounts("server", [["s", "x".repeat(8_000), 1]]),
    [],
    "a key that never fits is left out",
  );
});

test("counts sent by one server arrive summed per key at the other, not at itself", async () => {
  const a = await createSharedCounts(broadcastOf(first), { flushMs: 50 });
  const b = await createSharedCounts(broadcastOf(second), { flushMs: 50 });
  try {
    const onA = receiver(a, "test-stream");
    const onB = receiver(b, "test-stream");
    const otherOnB = receiver(b, "other-stream");
    for (let i = 0; i < 5; i++) onA.send("198.51.100.1", 1);
    onA.send("198.51.100.2", -1);
    onA.send("198.51.100.3", 1);
    onA.send("198.51.100.3", -1); // nets to nothing: not sent
    await until(() => onB.received.length >= 2, "the counts");
    assert.deepEqual(
      onB.received.sort(([x], [y]) => x.localeCompare(y)),
      [
        ["198.51.100.1", 5],
        ["198.51.100.2", -1],
      ],
    );
    assert.deepEqual(onA.received, [], "a server does not count its own twice");
    assert.deepEqual(otherOnB.received, [], "streams are kept apart");
  } finally {
    await a.close();
    await b.close();
  }
});

test("close sends what is pending; malformed messages on the channel are ignored", async () => {
  const a = await createSharedCounts(broadcastOf(first), { flushMs: 60_000 });
  const b = await createSharedCounts(broadcastOf(second), { flushMs: 60_000 });
  try {
    const onB = receiver(b, "test-stream");
    await broadcastOf(first).publish([
      "not json",
      "[]",
      '{"from":"x","counts":[["test-stream",1,1],["test-stream","k","1"],["test-stream","k",null],7]}',
      '{"from":"x","counts":[["test-stream","k",1e400]]}',
    ]);
    receiver(a, "test-stream").send("pending", 3);
    await a.close();
    await until(() => onB.received.length > 0, "the pending count");
    assert.deepEqual(onB.received, [["pending", 3]]);
  } finally {
    await b.close();
  }
});
