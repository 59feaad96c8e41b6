import assert from "node:assert/strict";
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { encodeJzb } from "../collect/jzb.js";
import { CairnError } from "../platform/errors/cairn-error.js";
import { sampleEvent } from "../start/test-support/sample-events.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { openDuckdbEvents } from "../store/events/duckdb/open-duckdb-events.js";
import { countEvents, readEvents } from "../store/events/event-reads.js";
import type { EventSink } from "../store/events/event-sink.js";
import type { EventFilter } from "../store/events/stored-event.js";
import type { ProfileStore } from "../store/profiles/profile-store.js";
import { openSqliteProfiles } from "../store/profiles/sqlite/open-sqlite-profiles.js";
import { IngestLogDamagedError } from "./ingest-log.js";
import { openIngestWriter } from "./ingest-writer.js";
import { createPreparePool } from "./prepare-pool.js";

/** The real stores (DuckDB sink, SQLite profiles), with the sink's loads counted and optionally held or failed. */
async function realStore(dir: string) {
  const real = await openDuckdbEvents(path.join(dir, "events.duckdb"));
  await real.sink.migrate();
  const profiles = openSqliteProfiles(path.join(dir, "profiles.sqlite"));
  await profiles.migrate();
  const appends: number[] = [];
  const control = {
    appends,
    gate: null as Promise<void> | null,
    fail: (_events: readonly { eventId: string }[]): boolean => false,
    /** Holds every load until the returned function is called. */
    hold(): () => void {
      let release = () => {};
      control.gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => release();
    },
  };
  const sink: EventSink = {
    ...real.sink,
    async load(batch) {
      // The loader hands over newline-delimited rows; count and inspect the events in them.
      const loaded = Buffer.concat(batch.rows)
        .toString("utf8")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => ({ eventId: (JSON.parse(line) as { event_id: string }).event_id }));
      appends.push(loaded.length);
      if (control.gate) await control.gate;
      if (control.fail(loaded)) throw new Error("store refused the batch");
      return real.sink.load(batch);
    },
  };
  const store = {
    sink,
    profiles,
    count: (filter: EventFilter) => countEvents(real.query, filter),
    read: (filter: EventFilter) => readEvents(real.query, filter),
    visitor: (subscriptionId: string, visitorId: string) => profiles.visitor(subscriptionId, visitorId),
    async close() {
      await profiles.close();
      await real.sink.close();
    },
  };
  return { store, control };
}

const ids = (events: readonly { eventId: string }[]) => events.map((e) => e.eventId).sort();

test("writes are acknowledged once logged, then loaded in large appends; flush makes them readable", async () => {
  const dir = tempDir("ingest");
  const { store, control } = await realStore(dir);
  const writer = await openIngestWriter(store, path.join(dir, "log"));
  const writes = Array.from({ length: 300 }, (_, i) => [
    sampleEvent({ eventId: `w${i}-a` }),
    sampleEvent({ eventId: `w${i}-b` }),
  ]);
  await Promise.all(writes.map((events) => writer.write(events)));
  await writer.flush();
  assert.equal(writer.pending(), 0);
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 600);
  assert.equal(
    control.appends.reduce((a, b) => a + b, 0),
    600,
    "each event loaded once",
  );
  assert.ok(control.appends.length < 50, `300 writes went in ${control.appends.length} appends`);
  await writer.close();
  await store.close();
});

test("an acknowledgement does not wait for the event store, and what it held is loaded at the next open", async () => {
  const dir = tempDir("ingest");
  const first = await realStore(dir);
  const release = first.control.hold();
  const writer = await openIngestWriter(first.store, path.join(dir, "log"));
  const events = Array.from({ length: 50 }, (_, i) => sampleEvent({ eventId: `held-${i}` }));
  await writer.write(events.slice(0, 25));
  await writer.write(events.slice(25));
  assert.equal(writer.pending(), 50, "acknowledged while the store is held");
  assert.equal(await first.store.count({ subscriptionId: "sub_test" }), 0);
  // The process "dies" with the store still held: nothing more reaches it.
  first.control.fail = () => true;
  release();
  await writer.close({ loadTimeoutMs: 0 });
  await first.store.close();

  const second = await realStore(dir);
  const reopened = await openIngestWriter(second.store, path.join(dir, "log"));
  assert.equal(reopened.replayed, 50);
  assert.deepEqual(ids(await second.store.read({ subscriptionId: "sub_test" })), ids(events));
  await reopened.close();
  // Opening again loads nothing twice: the store recorded how far the log was loaded.
  const third = await openIngestWriter(second.store, path.join(dir, "log"));
  assert.equal(third.replayed, 0);
  assert.equal(await second.store.count({ subscriptionId: "sub_test" }), 50);
  await third.close();
  await second.store.close();
});

test("acknowledge stored: a write resolves only once its events are in the event store, loads not waiting out their interval", async () => {
  const dir = tempDir("ingest");
  const { store, control } = await realStore(dir);
  const writer = await openIngestWriter(store, path.join(dir, "log"), {
    acknowledge: "stored",
    loadIntervalMs: 60_000,
  });
  const all = { subscriptionId: "sub_test" };
  const started = Date.now();
  await Promise.all([writer.write([sampleEvent(), sampleEvent()]), writer.write([sampleEvent()])]);
  assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`);
  assert.equal(await store.count(all), 3, "in the store when acknowledged");
  // While the store takes nothing, nothing is acknowledged.
  const release = control.hold();
  let answered = false;
  const held = writer.write([sampleEvent()]).then(() => {
    answered = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(answered, false);
  release();
  await held;
  assert.equal(await store.count(all), 4);
  await writer.close();
  await store.close();
});

test("a torn record at the log's tail is cut off; the log goes on working after it", async () => {
  const dir = tempDir("ingest");
  const first = await realStore(dir);
  first.control.fail = () => true;
  const writer = await openIngestWriter(first.store, path.join(dir, "log"));
  await writer.write([sampleEvent({ eventId: "kept-1" })]);
  await writer.close({ loadTimeoutMs: 0 });
  await first.store.close();
  const [segment] = readdirSync(path.join(dir, "log")).filter((f) => f.endsWith(".log"));
  assert.ok(segment);
  // Half a header and a few bytes of payload: what a crash in the middle of a write leaves.
  appendFileSync(path.join(dir, "log", segment), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7]));

  const second = await realStore(dir);
  const reopened = await openIngestWriter(second.store, path.join(dir, "log"));
  assert.equal(reopened.replayed, 1);
  await reopened.write([sampleEvent({ eventId: "kept-2" })]);
  await reopened.close();
  await second.store.close();
  const third = await realStore(dir);
  const again = await openIngestWriter(third.store, path.join(dir, "log"));
  assert.deepEqual(ids(await third.store.read({ subscriptionId: "sub_test" })), ["kept-1", "kept-2"]);
  await again.close();
  await third.store.close();
});

test("damage before the log's last record stops start-up with a clear error instead of skipping events", async () => {
  const dir = tempDir("ingest");
  const first = await realStore(dir);
  first.control.fail = () => true;
  const writer = await openIngestWriter(first.store, path.join(dir, "log"), { segmentBytes: 200 });
  for (let i = 0; i < 4; i++) await writer.write([sampleEvent({ eventId: `seg-${i}` })]);
  await writer.close({ loadTimeoutMs: 0 });
  await first.store.close();
  const segments = readdirSync(path.join(dir, "log"))
    .filter((f) => f.endsWith(".log"))
    .sort();
  assert.ok(segments.length >= 2, `small segments roll (${segments.length})`);
  const firstSegment = path.join(dir, "log", segments[0] ?? "");
  const bytes = readFileSync(firstSegment);
  bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
  writeFileSync(firstSegment, bytes);

  const second = await realStore(dir);
  await assert.rejects(openIngestWriter(second.store, path.join(dir, "log")), IngestLogDamagedError);
  assert.equal(await second.store.count({ subscriptionId: "sub_test" }), 0);
  await second.store.close();
});

test("a store failure is retried; a record the store keeps refusing is set aside and the rest go on", async () => {
  const dir = tempDir("ingest");
  const { store, control } = await realStore(dir);
  let transient = 2;
  control.fail = (events) => events.some((e) => e.eventId === "poison") || transient-- > 0;
  const errors: number[] = [];
  const rejected: string[] = [];
  const writer = await openIngestWriter(store, path.join(dir, "log"), {
    onLoadError: (_error, attempt) => errors.push(attempt),
    onRejected: (file) => rejected.push(file),
  });
  await writer.write([sampleEvent({ eventId: "before" })]);
  await writer.write([sampleEvent({ eventId: "poison" })]);
  await writer.write([sampleEvent({ eventId: "after" })]);
  await writer.flush();
  assert.deepEqual(ids(await store.read({ subscriptionId: "sub_test" })), ["after", "before"]);
  assert.ok(errors.length >= 2, "failures were reported");
  assert.equal(rejected.length, 1);
  const setAside = readFileSync(rejected[0] ?? "", "utf8");
  assert.match(setAside, /"event_id":"poison"/);
  await writer.close();
  const again = await openIngestWriter(store, path.join(dir, "log"));
  assert.equal(again.replayed, 0, "the set-aside record is not replayed at the next start");
  await again.close();
  await store.close();
});

test("past maxPending, writes are refused at once with 503 overloaded, and nothing of them is kept", async () => {
  const dir = tempDir("ingest");
  const { store, control } = await realStore(dir);
  const release = control.hold();
  const writer = await openIngestWriter(store, path.join(dir, "log"), { maxPending: 5 });
  await writer.write([sampleEvent(), sampleEvent(), sampleEvent(), sampleEvent()]);
  await assert.rejects(writer.write([sampleEvent(), sampleEvent()]), (error: unknown) => {
    assert.ok(error instanceof CairnError);
    assert.equal(error.code, "overloaded");
    assert.equal(error.status, 503);
    assert.equal(error.headers["retry-after"], "1");
    return true;
  });
  release();
  await writer.flush();
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 4);
  await writer.close();
  await store.close();
});

test("loaded segments are deleted; the log does not grow without bound", async () => {
  const dir = tempDir("ingest");
  const { store } = await realStore(dir);
  const writer = await openIngestWriter(store, path.join(dir, "log"), { segmentBytes: 4_096 });
  for (let i = 0; i < 60; i++) {
    await writer.write(Array.from({ length: 5 }, () => sampleEvent()));
    await writer.flush();
  }
  const segments = readdirSync(path.join(dir, "log")).filter((f) => f.endsWith(".log"));
  assert.ok(segments.length <= 2, `${segments.length} segments left`);
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 300);
  await writer.close();
  await store.close();
});

test("without a flush, logged events still reach the store within the load interval", async () => {
  const dir = tempDir("ingest");
  const { store } = await realStore(dir);
  const writer = await openIngestWriter(store, path.join(dir, "log"), { loadIntervalMs: 100 });
  await writer.write([sampleEvent()]);
  await writer.write([sampleEvent()]);
  const started = Date.now();
  // The commit is visible to readers a moment before the loader counts it done.
  while ((await store.count({ subscriptionId: "sub_test" })) < 2 || writer.pending() > 0) {
    assert.ok(Date.now() - started < 3_000, "loaded within three seconds");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await writer.close();
  await store.close();
});

test("loadedWithin waits for what was acknowledged before it, at the loads' own pace, or gives up after its timeout", async () => {
  const dir = tempDir("ingest");
  const { store, control } = await realStore(dir);
  const writer = await openIngestWriter(store, path.join(dir, "log"), { loadIntervalMs: 200 });
  assert.equal(await writer.loadedWithin(1_000), true, "nothing acknowledged: at once");
  await writer.write([sampleEvent({ eventId: "first" })]);
  await writer.write([sampleEvent({ eventId: "second" })]);
  const waiting = [writer.loadedWithin(5_000), writer.loadedWithin(5_000)];
  assert.deepEqual(await Promise.all(waiting), [true, true], "several callers wait for one sequence");
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 2);
  const release = control.hold();
  await writer.write([sampleEvent({ eventId: "held" })]);
  const started = Date.now();
  assert.equal(await writer.loadedWithin(300), false, "a held load: false after the timeout");
  assert.ok(Date.now() - started < 2_000);
  release();
  assert.equal(await writer.loadedWithin(5_000), true);
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 3);
  await writer.close();
  await store.close();
});

test("a flush does not wait out the load interval between batches, however large the backlog", async () => {
  const dir = tempDir("ingest");
  const { store, control } = await realStore(dir);
  const writer = await openIngestWriter(store, path.join(dir, "log"), {
    loadIntervalMs: 60_000,
    maxLoadBatch: 10,
  });
  for (let i = 0; i < 6; i++) await writer.write(Array.from({ length: 10 }, () => sampleEvent()));
  const started = Date.now();
  await writer.flush();
  assert.ok(Date.now() - started < 5_000, `flushed in ${Date.now() - started} ms`);
  assert.equal(await store.count({ subscriptionId: "sub_test" }), 60);
  assert.ok(control.appends.length >= 6, "in batches of at most 10 events");
  await writer.close();
  await store.close();
});

test("a raw beacon is acknowledged once logged; after a crash it is prepared on a worker and loaded at the next open", async () => {
  const dir = tempDir("ingest");
  const first = await realStore(dir);
  first.control.fail = () => true;
  const writer = await openIngestWriter(first.store, path.join(dir, "log"));
  const at = Date.now() - 1_000;
  const beacon = {
    jzb: encodeJzb([
      { type: "load", browser_time: at, visitor_id: "v-raw", url: "https://app.example.com/", props: {} },
      {
        type: "click",
        browser_time: at + 1,
        visitor_id: "v-raw",
        props: { target: { tag: "BUTTON", id: "b" } },
      },
      { type: "bogus", visitor_id: "v-raw" },
    ]),
    batchKey: "batch-raw",
    subscriptionId: "sub_test",
    appId: "app_test",
    receivedAt: at + 500,
    ip: "203.0.113.7",
    userAgent: null,
    excludeRules: [],
  };
  await writer.writeBeacon(beacon, 3);
  assert.equal(writer.pending(), 3);
  await writer.close({ loadTimeoutMs: 0 });
  await first.store.close();

  const second = await realStore(dir);
  const pool = createPreparePool({ threads: 1 });
  const drops: Array<Record<string, number>> = [];
  const reopened = await openIngestWriter(second.store, path.join(dir, "log"), {
    prepare: pool,
    onDrops: (counts) => drops.push(counts as Record<string, number>),
  });
  assert.equal(reopened.replayed, 3, "counted as the beacon's events until they are validated");
  const stored = await second.store.read({ subscriptionId: "sub_test" });
  assert.deepEqual(stored.map((e) => [e.type, e.visitorId, e.elementPath]).sort(), [
    ["click", "v-raw", "BUTTON#b"],
    ["load", "v-raw", null],
  ]);
  assert.deepEqual(drops, [{ unknown_type: 1 }]);
  assert.equal((await second.store.visitor("sub_test", "v-raw"))?.firstVisit, at);
  await reopened.close();
  await pool.close();
  await second.store.close();
});

const plan = (id: string, value: string | null) => ({
  subscriptionId: "sub_test",
  kind: "visitor" as const,
  id,
  values: { plan: value },
});

test("custom metadata resolves only once loaded, so a read right after sees it, however long the load interval", async () => {
  const dir = tempDir("ingest");
  const { store } = await realStore(dir);
  const writer = await openIngestWriter(store, path.join(dir, "log"), { loadIntervalMs: 60_000 });
  await writer.write([sampleEvent({ visitorId: "v1" })]);
  await writer.flush();
  // The loader now waits a minute before its next load, unless a caller waits for one.
  const started = Date.now();
  await writer.writeCustomMetadata([plan("v1", "pro"), plan("v-new", "free")]);
  assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`);
  assert.deepEqual((await store.visitor("sub_test", "v1"))?.customMetadata, { plan: "pro" });
  assert.deepEqual((await store.visitor("sub_test", "v-new"))?.customMetadata, { plan: "free" });
  await Promise.all([
    writer.writeCustomMetadata([plan("v1", "team")]),
    writer.writeCustomMetadata([plan("v-new", null)]),
  ]);
  assert.deepEqual((await store.visitor("sub_test", "v1"))?.customMetadata, { plan: "team" });
  assert.deepEqual((await store.visitor("sub_test", "v-new"))?.customMetadata, {});
  await writer.close();
  await store.close();
});

test("custom metadata logged but not loaded when the process stops is applied at the next open", async () => {
  const dir = tempDir("ingest");
  const first = await realStore(dir);
  const release = first.control.hold();
  const writer = await openIngestWriter(first.store, path.join(dir, "log"));
  const written = writer.writeCustomMetadata([plan("v-replay", "pro")]);
  written.catch(() => {}); // asserted below, after the close
  first.control.fail = () => true;
  const closing = writer.close({ loadTimeoutMs: 0 });
  release();
  await closing;
  await assert.rejects(
    written,
    (error: unknown) => error instanceof CairnError && error.code === "shutting_down",
  );
  assert.equal(await first.store.visitor("sub_test", "v-replay"), null);
  await first.store.close();

  const second = await realStore(dir);
  const reopened = await openIngestWriter(second.store, path.join(dir, "log"));
  assert.deepEqual((await second.store.visitor("sub_test", "v-replay"))?.customMetadata, { plan: "pro" });
  await reopened.close();
  await second.store.close();
});

test("custom metadata the store keeps refusing is set aside and its writer is told", async () => {
  const dir = tempDir("ingest");
  const { store } = await realStore(dir);
  const refusingProfiles: ProfileStore = {
    ...store.profiles,
    apply: (batch) =>
      batch.patches.customMetadata?.some((p) => p.id === "v-refused")
        ? Promise.reject(new Error("store refused the batch"))
        : store.profiles.apply(batch),
  };
  const refusing = { sink: store.sink, profiles: refusingProfiles };
  const rejected: string[] = [];
  const writer = await openIngestWriter(refusing, path.join(dir, "log"), {
    onRejected: (file) => rejected.push(file),
  });
  await assert.rejects(writer.writeCustomMetadata([plan("v-refused", "pro")]), /set aside/);
  assert.match(readFileSync(rejected[0] ?? "", "utf8"), /"customMetadata":\[\{"subscriptionId":"sub_test"/);
  await writer.writeCustomMetadata([plan("v-after", "pro")]);
  assert.deepEqual((await store.visitor("sub_test", "v-after"))?.customMetadata, { plan: "pro" });
  assert.equal(await store.visitor("sub_test", "v-refused"), null);
  await writer.close();
  await store.close();
});

test("a crash between the two stores' commits: at the next open the sink skips what it has, the profile store catches up", async () => {
  const dir = tempDir("ingest");
  const first = await realStore(dir);
  const failingProfiles: ProfileStore = {
    ...first.store.profiles,
    apply: () => Promise.reject(new Error("the process died before this commit")),
  };
  const writer = await openIngestWriter(
    { sink: first.store.sink, profiles: failingProfiles },
    path.join(dir, "log"),
  );
  const events = Array.from({ length: 20 }, (_, i) =>
    sampleEvent({ eventId: `both-${i}`, visitorId: "v-both" }),
  );
  await writer.write(events);
  while ((await first.store.count({ subscriptionId: "sub_test" })) < 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await writer.close({ loadTimeoutMs: 0 });
  assert.equal(await first.store.sink.loadedSequence(), 1, "the sink has the record");
  assert.equal(await first.store.profiles.loadedSequence(), 0, "the profile store has not");
  assert.equal(await first.store.visitor("sub_test", "v-both"), null);
  await first.store.close();

  const second = await realStore(dir);
  const reopened = await openIngestWriter(second.store, path.join(dir, "log"));
  assert.equal(reopened.replayed, 20);
  assert.deepEqual(
    ids(await second.store.read({ subscriptionId: "sub_test" })),
    ids(events),
    "nothing twice",
  );
  assert.deepEqual(second.control.appends, [], "the sink was not asked again");
  assert.equal((await second.store.visitor("sub_test", "v-both"))?.visitorId, "v-both");
  assert.equal(await second.store.profiles.loadedSequence(), 1);
  await reopened.close();
  await second.store.close();
});
