import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { testClickhouseUrl } from "../../../start/test-support/clickhouse-engine.js";
import { loadEvents } from "../../../start/test-support/load-events.js";
import { sampleEvent } from "../../../start/test-support/sample-events.js";
import { countEvents, readEvents } from "../event-reads.js";
import { execute, selectRows } from "./clickhouse-statements.js";
import { openClickhouseEvents } from "./open-clickhouse-events.js";

const all = { subscriptionId: "sub_test" };

describe("ClickHouse event store", () => {
  test("a load repeated after a crash that lost its checkpoint is dropped by its deduplication token, rollups included", async () => {
    const url = testClickhouseUrl("dedup");
    const first = await openClickhouseEvents(url, { log: "server-a" });
    await first.sink.migrate();
    const events = [sampleEvent({ type: "load" }), sampleEvent({ type: "click" })];
    await loadEvents(first.sink, events, 5);
    // The crash: the rows are in, the checkpoint that covers them is not.
    await execute(first.connection.client, "TRUNCATE TABLE ingest_checkpoints");
    await first.sink.close();

    const replayed = await openClickhouseEvents(url, { log: "server-a" });
    assert.equal(await replayed.sink.loadedSequence(), 0);
    await loadEvents(replayed.sink, events, 5);
    assert.equal(await countEvents(replayed.query, all), 2, "the replay's rows are dropped");
    const [rolled] = await selectRows<{ n: number }>(
      replayed.connection.client,
      "SELECT sum(num_events) AS n FROM visit_hours",
    );
    assert.equal(rolled?.n, 2, "and so are its rollup rows");
    assert.equal(await replayed.sink.loadedSequence(), 5);
    await replayed.sink.close();
  });

  test("servers sharing a database load their own logs: the same sequence from two logs is two loads", async () => {
    const url = testClickhouseUrl("two-logs");
    const a = await openClickhouseEvents(url, { log: "server-a" });
    const b = await openClickhouseEvents(url, { log: "server-b" });
    await Promise.all([a.sink.migrate(), b.sink.migrate()]);
    await loadEvents(a.sink, [sampleEvent({ eventId: "from-a" })], 1);
    await loadEvents(b.sink, [sampleEvent({ eventId: "from-b" })], 1);
    await loadEvents(b.sink, [sampleEvent({ eventId: "from-b-2" })], 2);
    assert.deepEqual(
      (await readEvents(a.query, all)).map((e) => e.eventId).sort(),
      ["from-a", "from-b", "from-b-2"],
      "each server reads every server's events",
    );
    assert.equal(await a.sink.loadedSequence(), 1);
    assert.equal(await b.sink.loadedSequence(), 2);
    await a.sink.close();
    await b.sink.close();
  });

  test("two servers migrating one empty database at once make one set of tables, each migration recorded once", async () => {
    const url = testClickhouseUrl("race");
    const [a, b] = await Promise.all([openClickhouseEvents(url), openClickhouseEvents(url)]);
    await Promise.all([a.sink.migrate(), b.sink.migrate()]);
    const status = await a.sink.migrationStatus();
    assert.ok(status.every((s) => s.appliedAt !== null));
    assert.deepEqual((await b.sink.migrate()).applied, []);
    await loadEvents(a.sink, [sampleEvent()], 1);
    assert.equal(await countEvents(b.query, all), 1);
    await a.sink.close();
    await b.sink.close();
  });

  test("a query past its budget is cancelled with QueryTimeoutError", async () => {
    const opened = await openClickhouseEvents(testClickhouseUrl("timeout"));
    await assert.rejects(
      opened.query.run(
        {
          engine: "clickhouse",
          sql: "SELECT count() AS n FROM numbers(100000000000) WHERE sipHash64(number) = 0",
          params: {},
        },
        { timeoutMs: 300 },
      ),
      { name: "QueryTimeoutError", message: /300 ms budget/ },
    );
    // The budget was that query's own (chdb applies settings with SET, which would outlive the query).
    const [after] = await opened.query.run<{ budget: number }>({
      engine: "clickhouse",
      sql: "SELECT getSetting('max_execution_time') AS budget",
      params: {},
    });
    assert.equal(after?.budget, 0, "the next query runs without a budget");
    await opened.sink.close();
  });
});
