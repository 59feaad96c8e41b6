import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { testClickhouseUrl } from "../../start/test-support/clickhouse-engine.js";
import { loadEvents } from "../../start/test-support/load-events.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openClickhouseEvents } from "./clickhouse/open-clickhouse-events.js";
import { openDuckdbEvents } from "./duckdb/open-duckdb-events.js";
import { type EventQuery, QueryEngineMismatchError } from "./event-query.js";
import { countEvents, lastReceivedAt, readEvents } from "./event-reads.js";
import type { EventSink } from "./event-sink.js";

type Opened = { sink: EventSink; query: EventQuery };

/** Every engine passes the same suite; a server engine adds its entry here, opened against a real server. */
const engines: Array<{ name: string; open: (dir: string) => Promise<Opened> }> = [
  { name: "duckdb", open: (dir) => openDuckdbEvents(path.join(dir, "events.duckdb")) },
  { name: "clickhouse", open: () => openClickhouseEvents(testClickhouseUrl("query")) },
];

for (const engine of engines) {
  describe(`event query conformance: ${engine.name}`, () => {
    async function withEvents(): Promise<Opened> {
      const opened = await engine.open(tempDir(`query-${engine.name}`));
      await opened.sink.migrate();
      await loadEvents(
        opened.sink,
        [
          sampleEvent({ subscriptionId: "sub_a", appId: "app_1", visitorId: "v1" }),
          sampleEvent({ subscriptionId: "sub_a", appId: "app_2", visitorId: "v2" }),
          sampleEvent({ subscriptionId: "sub_b", appId: "app_1", visitorId: "v1" }),
        ],
        1,
      );
      return opened;
    }

    test("runs a compiled query with named parameters through the dialect", async () => {
      const { sink, query } = await withEvents();
      const { dialect } = query;
      assert.equal(dialect.engine, engine.name);
      const rows = await query.run<{ visitor: string; n: number }>({
        engine: dialect.engine,
        sql: `SELECT ${dialect.ident("visitor_id")} AS ${dialect.ident("visitor")}, count(*)::DOUBLE AS n
              FROM events WHERE subscription_id = ${dialect.param("sub")} AND app_id <> ${dialect.param("app")}
              GROUP BY visitor_id ORDER BY visitor_id`,
        params: { sub: "sub_a", app: "app_1" },
      });
      assert.deepEqual(rows, [{ visitor: "v2", n: 1 }]);
      const hostile = await query.run<{ n: number }>({
        engine: dialect.engine,
        sql: `SELECT count(*)::DOUBLE AS n FROM events WHERE subscription_id = ${dialect.param("sub")}`,
        params: { sub: "sub_a' OR '1'='1" },
      });
      assert.deepEqual(hostile, [{ n: 0 }], "a parameter is a value, never SQL");
      const typed = await query.run<{ missing: boolean; next: number; flag: boolean }>({
        engine: dialect.engine,
        sql: `SELECT CAST(${dialect.param("none")} IS NULL AS BOOLEAN) AS missing, ${dialect.param("n", "number")} + 1 AS next, ${dialect.param("flag", "boolean")} AS flag`,
        params: { none: null, n: 41, flag: true },
      });
      assert.deepEqual(
        typed,
        [{ missing: true, next: 42, flag: true }],
        "null, number and boolean parameters",
      );
      await sink.close();
    });

    test("jsonEntries gives one row per key of a JSON object, none for a list, a scalar or null", async () => {
      const { sink, query } = await withEvents();
      const d = query.dialect;
      const rows = await query.run<{ id: string; key: string; kind: string; text: string | null }>({
        engine: d.engine,
        sql: `SELECT t.id, kv.__key AS ${d.ident("key")}, ${d.jsonKind("kv.__value")} AS kind, ${d.jsonText("kv.__value")} AS ${d.ident("text")}
              FROM (SELECT 'a' AS id, ${d.param("a")} AS doc UNION ALL SELECT 'b', ${d.param("b")} UNION ALL SELECT 'c', ${d.param("c")}
                    UNION ALL SELECT 'd', ${d.param("d")}) t
              ${d.jsonEntries(d.parseJson("t.doc"))}
              ORDER BY t.id, kv.__key`,
        params: { a: '{"plan":"pro","seats":4,"x.y":true,"tags":["a"]}', b: "[1,2]", c: "7", d: null },
      });
      assert.deepEqual(rows, [
        { id: "a", key: "plan", kind: "string", text: "pro" },
        { id: "a", key: "seats", kind: "number", text: "4" },
        { id: "a", key: "tags", kind: "list", text: null },
        { id: "a", key: "x.y", kind: "boolean", text: "true" },
      ]);
      await sink.close();
    });

    test("refuses a query compiled for another engine, with a clear error", async () => {
      const { sink, query } = await withEvents();
      const other = engine.name === "duckdb" ? "clickhouse" : "duckdb";
      await assert.rejects(
        query.run({ engine: other, sql: "SELECT 1", params: {} }),
        (error: unknown) =>
          error instanceof QueryEngineMismatchError &&
          error.message.includes(`compiled for ${other}`) &&
          error.message.includes(engine.name),
      );
      await sink.close();
    });

    test("reads see only the asked subscription and app", async () => {
      const { sink, query } = await withEvents();
      assert.equal(await countEvents(query, { subscriptionId: "sub_a" }), 2);
      assert.equal(await countEvents(query, { subscriptionId: "sub_a", appId: "app_2" }), 1);
      assert.equal(await countEvents(query, { subscriptionId: "sub_c" }), 0);
      assert.deepEqual(
        (await readEvents(query, { subscriptionId: "sub_b" })).map((e) => [e.subscriptionId, e.appId]),
        [["sub_b", "app_1"]],
      );
      assert.equal((await readEvents(query, { subscriptionId: "sub_a", limit: 1 })).length, 1);
      await sink.close();
    });
    test("lastReceivedAt: when one app's newest event was received, from a time on or ever; null without one", async () => {
      const opened = await engine.open(tempDir(`query-${engine.name}`));
      await opened.sink.migrate();
      const t = Date.UTC(2026, 0, 15, 12);
      const at = (appId: string, receivedAt: number, type = "load") =>
        sampleEvent({ subscriptionId: "sub_a", appId, receivedAt, occurredAt: receivedAt - 5_000, type });
      await loadEvents(
        opened.sink,
        [at("app_1", t - 60_000), at("app_1", t, "track"), at("app_2", t + 1)],
        1,
      );
      await loadEvents(
        opened.sink,
        [sampleEvent({ subscriptionId: "sub_b", appId: "app_1", receivedAt: t + 9 })],
        2,
      );
      const { query } = opened;
      assert.equal(await lastReceivedAt(query, { subscriptionId: "sub_a", appId: "app_1" }), t);
      assert.equal(await lastReceivedAt(query, { subscriptionId: "sub_a", appId: "app_1", since: t }), t);
      assert.equal(
        await lastReceivedAt(query, { subscriptionId: "sub_a", appId: "app_1", since: t + 1 }),
        null,
      );
      assert.equal(await lastReceivedAt(query, { subscriptionId: "sub_a", appId: "app_3" }), null);
      assert.equal(await lastReceivedAt(query, { subscriptionId: "sub_b", appId: "app_1" }), t + 9);
      await opened.sink.close();
    });
  });
}
