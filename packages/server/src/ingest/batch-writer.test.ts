import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { CairnError } from "../errors/cairn-error.js";
import { openDuckdbStore } from "../store/events/duckdb/open-duckdb-store.js";
import type { EventStore } from "../store/events/event-store.js";
import { sampleEvent } from "../test-support/sample-events.js";
import { tempDir } from "../test-support/temp-dir.js";
import { createBatchWriter } from "./batch-writer.js";

/** The real DuckDB store, with its appends counted. */
async function countedStore(): Promise<{ store: EventStore; appends: number[] }> {
  const real = await openDuckdbStore(path.join(tempDir("writer"), "events.duckdb"));
  await real.migrate();
  const appends: number[] = [];
  const store: EventStore = {
    ...real,
    append(events) {
      appends.push(events.length);
      return real.append(events);
    },
  };
  return { store, appends };
}

test("concurrent writes share appends, and each resolves only when its events are readable", async () => {
  const { store, appends } = await countedStore();
  const writer = createBatchWriter(store, { maxDelayMs: 5 });
  const writes = Array.from({ length: 200 }, (_, i) => [
    sampleEvent({ eventId: `w${i}-a` }),
    sampleEvent({ eventId: `w${i}-b` }),
  ]);
  await Promise.all(
    writes.map(async (events) => {
      await writer.write(events);
      const stored = new Set((await store.read({ subscriptionId: "sub_test" })).map((e) => e.eventId));
      for (const e of events) assert.ok(stored.has(e.eventId), `${e.eventId} readable once acknowledged`);
    }),
  );
  assert.equal(
    appends.reduce((a, b) => a + b, 0),
    400,
  );
  assert.ok(appends.length < 20, `200 writes grouped into ${appends.length} appends`);
  assert.equal(writer.pending(), 0);
  await store.close();
});

test("a full batch is written without waiting for the timer", async () => {
  const { store, appends } = await countedStore();
  const writer = createBatchWriter(store, { maxBatch: 3, maxDelayMs: 60_000 });
  await writer.write([sampleEvent(), sampleEvent(), sampleEvent()]);
  assert.deepEqual(appends, [3]);
  await store.close();
});

test("flush makes every waiting event durable", async () => {
  const { store } = await countedStore();
  const writer = createBatchWriter(store, { maxDelayMs: 60_000 });
  const acknowledged = writer.write([sampleEvent(), sampleEvent()]);
  assert.equal(writer.pending(), 2);
  await writer.flush();
  await acknowledged;
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 2);
  assert.equal(writer.pending(), 0);
  await store.close();
});

test("when a batch fails, its writers are told and nothing is acknowledged", async () => {
  const { store } = await countedStore();
  const writer = createBatchWriter(store, { maxDelayMs: 1 });
  const good = writer.write([sampleEvent()]);
  const bad = writer.write([sampleEvent({ occurredAt: Number.MAX_SAFE_INTEGER * 1000 })]);
  await assert.rejects(good);
  await assert.rejects(bad);
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 0);
  await writer.write([sampleEvent()]);
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 1, "later batches still land");
  await store.close();
});

test("past maxPending, writes are refused at once with 503 overloaded, and nothing of them is kept", async () => {
  const { store } = await countedStore();
  const writer = createBatchWriter(store, { maxDelayMs: 60_000, maxPending: 5 });
  const accepted = writer.write([sampleEvent(), sampleEvent(), sampleEvent(), sampleEvent()]);
  await assert.rejects(writer.write([sampleEvent(), sampleEvent()]), (error: unknown) => {
    assert.ok(error instanceof CairnError);
    assert.equal(error.code, "overloaded");
    assert.equal(error.status, 503);
    assert.equal(error.headers["retry-after"], "1");
    return true;
  });
  await writer.flush();
  await accepted;
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 4);
  await store.close();
});
