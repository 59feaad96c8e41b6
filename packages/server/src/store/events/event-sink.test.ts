import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { testClickhouseUrl } from "../../start/test-support/clickhouse-engine.js";
import { loadEvents } from "../../start/test-support/load-events.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openClickhouseEvents } from "./clickhouse/open-clickhouse-events.js";
import { openDuckdbEvents } from "./duckdb/open-duckdb-events.js";
import type { EventQuery } from "./event-query.js";
import { countEvents, readEvents } from "./event-reads.js";
import { eventRowsNdjson, rowsBytes } from "./event-rows.js";
import type { EventSink } from "./event-sink.js";

type Opened = { sink: EventSink; query: EventQuery };

const clickhouseUrls = new Map<string, string>();
const clickhouseUrlOf = (dir: string): string => {
  const url = clickhouseUrls.get(dir) ?? testClickhouseUrl("sink");
  clickhouseUrls.set(dir, url);
  return url;
};

/** Every engine passes the same suite; a server engine adds its entry here, opened against a real server. */
const engines: Array<{ name: string; open: (dir: string) => Promise<Opened>; migrations: string[] }> = [
  {
    name: "duckdb",
    open: (dir) => openDuckdbEvents(path.join(dir, "events.duckdb")),
    migrations: [
      "0001-events",
      "0002-ingest-checkpoints-and-profiles",
      "0003-profiles-without-visits",
      "0004-profile-mirror",
      "0005-event-rollups",
      "0006-unsigned-identity",
    ],
  },
  {
    name: "clickhouse",
    // One database per folder, so a store opened again on the same folder finds its data.
    open: (dir) => openClickhouseEvents(clickhouseUrlOf(dir)),
    migrations: ["0001-events", "0002-event-rollups", "0003-profile-mirror"],
  },
];

for (const engine of engines) {
  describe(`event sink conformance: ${engine.name}`, () => {
    async function fresh(): Promise<Opened & { dir: string }> {
      const dir = tempDir(`events-${engine.name}`);
      const opened = await engine.open(dir);
      await opened.sink.migrate();
      return { ...opened, dir };
    }
    const all = { subscriptionId: "sub_test" };

    test("migrations are numbered, applied once, and reported", async () => {
      const dir = tempDir(`events-${engine.name}`);
      const { sink } = await engine.open(dir);
      assert.deepEqual(
        (await sink.migrationStatus()).map((s) => [s.name, s.appliedAt]),
        engine.migrations.map((name) => [name, null]),
      );
      assert.deepEqual((await sink.migrate()).applied, engine.migrations);
      assert.deepEqual((await sink.migrate()).applied, [], "a second run applies nothing");
      const [status] = await sink.migrationStatus();
      assert.match(status?.appliedAt ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      await sink.close();
    });

    test("loads keep the hourly rollups; rebuilding them from the events gives the same totals", async () => {
      const { sink, query } = await fresh();
      const hour = 1_795_413_600_000;
      const at = (minute: number, overrides = {}) =>
        sampleEvent({ visitorId: "v1", type: "load", occurredAt: hour + minute * 60_000, ...overrides });
      await loadEvents(sink, [at(1), at(1.5), at(7, { ip: "198.51.100.1" })], 1);
      // A later load of the same visitor and hour: its rows merge with the first load's in queries.
      await loadEvents(sink, [at(7.2), at(30, { type: "guideSeen" }), at(9, { type: "click" })], 2);
      const totals = async () =>
        query.run<Record<string, unknown>>({
          engine: query.dialect.engine,
          sql: `SELECT sum(num_events)::DOUBLE AS events, ${query.dialect.bitCount(query.dialect.bitOrAgg("minute_mask"))} AS minutes,
                  ${query.dialect.valueAtMax("last_ip", "last_at")} AS ip,
                  (SELECT sum(num_events)::DOUBLE FROM subject_hours WHERE type = 'load') AS loads
                FROM visit_hours`,
          params: {},
        });
      const expected = [{ events: 5, minutes: 3, ip: "203.0.113.7", loads: 4 }];
      assert.deepEqual(
        await totals(),
        expected,
        "guide events are not rolled up; minute 7 counts once across loads",
      );
      await sink.rebuildRollups();
      assert.deepEqual(await totals(), expected);
      await sink.close();
    });

    test("imported rows are stored once per token, with their rollups, and move no checkpoint", async () => {
      const { sink, query } = await fresh();
      const hour = 1_795_413_600_000;
      const events = [1, 2, 3].map((minute) =>
        sampleEvent({ type: "load", occurredAt: hour + minute * 60_000 }),
      );
      const rows = [rowsBytes(eventRowsNdjson(events))];
      await sink.importRows({ rows, token: "export-1:events/events-000001.ndjson.gz" });
      // A run cut short after the rows were stored repeats the file: nothing is stored twice.
      await sink.importRows({ rows, token: "export-1:events/events-000001.ndjson.gz" });
      assert.equal(await countEvents(query, all), 3);
      const [rollup] = await query.run<{ events: number }>({
        engine: query.dialect.engine,
        sql: "SELECT sum(num_events)::DOUBLE AS events FROM visit_hours",
        params: {},
      });
      assert.equal(rollup?.events, 3);
      await sink.importRows({ rows, token: "export-1:events/events-000002.ndjson.gz" });
      assert.equal(await countEvents(query, all), 6, "another token is other rows");
      assert.equal(await sink.loadedSequence(), 0);
      await loadEvents(sink, [sampleEvent()], 1);
      assert.equal(await countEvents(query, all), 7, "the server's first load after an import is stored");
      await sink.close();
    });

    test("a loaded event reads back field by field, nulls and hostile text included", async () => {
      const { sink, query } = await fresh();
      const full = sampleEvent({ occurredAt: 1_795_416_050_653, receivedAt: 1_795_416_051_002 });
      const sparse = sampleEvent({
        accountId: null,
        url: null,
        title: null,
        elementPath: null,
        trackName: "Signed Up",
        ip: null,
        userAgent: null,
        batchKey: null,
        isBot: true,
        excluded: true,
        unsignedIdentity: true,
        type: "track",
        visitorId: `<script>alert("x")</script>'; DROP TABLE events; -- ü 🪨 \u0000 \u2028`,
        properties: JSON.stringify({
          plan: "pro",
          nested: { a: [1, 2.5, null] },
          text: 'ü 🪨 "q" \\ \u2028 </script>',
        }),
        receivedAt: full.receivedAt + 1,
      });
      await loadEvents(sink, [full, sparse], 1);
      assert.deepEqual(await readEvents(query, all), [full, sparse]);
      await sink.close();
    });

    test("concurrent loads all land, none interleaved or lost", async () => {
      const { sink, query } = await fresh();
      const batches = Array.from({ length: 20 }, (_, b) =>
        Array.from({ length: 500 }, (_, i) => sampleEvent({ eventId: `b${b}-e${i}` })),
      );
      await Promise.all(batches.map((batch, b) => loadEvents(sink, batch, b + 1)));
      const ids = new Set((await readEvents(query, all)).map((e) => e.eventId));
      assert.equal(ids.size, 10_000);
      for (const batch of batches) for (const event of batch) assert.ok(ids.has(event.eventId));
      assert.equal(await sink.loadedSequence(), 20);
      await sink.close();
    });

    test("what was loaded is there after the sink is closed and opened again", async () => {
      const { sink, dir } = await fresh();
      const event = sampleEvent();
      await loadEvents(sink, [event], 1);
      await sink.close();
      const again = await engine.open(dir);
      assert.deepEqual((await again.sink.migrate()).applied, []);
      assert.deepEqual(await readEvents(again.query, all), [event]);
      assert.equal(await again.sink.loadedSequence(), 1);
      await again.sink.close();
    });

    test("a load that fails leaves nothing of itself, its checkpoint included, and the sink keeps working", async () => {
      const { sink, query } = await fresh();
      assert.equal(await sink.loadedSequence(), 0);
      await loadEvents(sink, [sampleEvent({ eventId: "first" })], 9);
      const good = sampleEvent({ eventId: "good" });
      // A row the engine cannot read (a time that is not a number: not JSON): the whole load must be refused.
      const broken = [sampleEvent(), sampleEvent({ occurredAt: Number.NaN })];
      await assert.rejects(loadEvents(sink, broken, 12));
      assert.equal(await sink.loadedSequence(), 9);
      assert.equal(await countEvents(query, all), 1);
      await loadEvents(sink, [good], 12);
      assert.deepEqual((await readEvents(query, all)).map((e) => e.eventId).sort(), ["first", "good"]);
      assert.equal(await sink.loadedSequence(), 12);
      await sink.close();
    });

    test("deleteVisitors deletes those visitors' events of that subscription only, idempotently, after queued loads", async () => {
      const { sink, query } = await fresh();
      await loadEvents(
        sink,
        [
          sampleEvent({ visitorId: "gone" }),
          sampleEvent({ visitorId: "gone" }),
          sampleEvent({ visitorId: "o'brien@example.com" }),
          sampleEvent({ visitorId: "kept" }),
          sampleEvent({ visitorId: "gone", subscriptionId: "sub_other" }),
        ],
        1,
      );
      // Queued behind a load that is not awaited: the deletion sees its rows.
      const late = loadEvents(sink, [sampleEvent({ visitorId: "gone" })], 2);
      const deleted = await sink.deleteVisitors({
        subscriptionId: "sub_test",
        visitorIds: ["gone", "o'brien@example.com", "never-seen", "gone"],
      });
      await late;
      assert.equal(deleted, 4);
      assert.deepEqual(
        (await readEvents(query, all)).map((e) => e.visitorId),
        ["kept"],
      );
      assert.equal(
        await countEvents(query, { subscriptionId: "sub_other" }),
        1,
        "another subscription's stay",
      );
      const rolledVisitors = await query.run<{ visitor: string; subscription: string }>({
        engine: query.dialect.engine,
        sql: `SELECT DISTINCT visitor_id AS visitor, subscription_id AS subscription FROM visit_hours
              UNION DISTINCT SELECT DISTINCT visitor_id, subscription_id FROM subject_hours ORDER BY 2, 1`,
        params: {},
      });
      assert.deepEqual(
        rolledVisitors,
        [
          { visitor: "gone", subscription: "sub_other" },
          { visitor: "kept", subscription: "sub_test" },
        ],
        "their rollups go with them",
      );
      assert.equal(await sink.deleteVisitors({ subscriptionId: "sub_test", visitorIds: ["gone"] }), 0);
      assert.equal(await sink.deleteVisitors({ subscriptionId: "sub_test", visitorIds: [] }), 0);
      assert.equal(await sink.loadedSequence(), 2, "the checkpoint is not a deletion's business");
      await sink.close();
    });

    test("loading the same sequence twice changes nothing", async () => {
      const { sink, query } = await fresh();
      const events = [sampleEvent(), sampleEvent()];
      await loadEvents(sink, events, 5);
      await loadEvents(sink, events, 5);
      assert.equal(await countEvents(query, all), 2);
      assert.equal(await sink.loadedSequence(), 5);
      await sink.close();
    });

    test("a sequence below the checkpoint is skipped; an empty load only moves the checkpoint", async () => {
      const { sink, query } = await fresh();
      await loadEvents(sink, [sampleEvent({ eventId: "at-7" })], 7);
      await loadEvents(sink, [sampleEvent({ eventId: "at-3" })], 3);
      assert.deepEqual(
        (await readEvents(query, all)).map((e) => e.eventId),
        ["at-7"],
      );
      assert.equal(await sink.loadedSequence(), 7);
      await sink.load({ rows: [], sequence: 8 });
      assert.equal(await sink.loadedSequence(), 8);
      assert.equal(await countEvents(query, all), 1);
      await sink.close();
    });
  });
}
