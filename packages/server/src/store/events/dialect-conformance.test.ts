import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { testClickhouseUrl } from "../../start/test-support/clickhouse-engine.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openClickhouseEvents } from "./clickhouse/open-clickhouse-events.js";
import { openDuckdbEvents } from "./duckdb/open-duckdb-events.js";
import type { EventQuery } from "./event-query.js";
import type { EventSink } from "./event-sink.js";
import type { SqlDialect, SqlValue, TimeUnit } from "./sql-dialect.js";

/**
 * The dialects' functions give the same values on both engines, input by input, at the edges the aggregation
 * suites rarely reach: JSON of every kind, numeric text, fractional times, month ends, years before 1970.
 */

type Row = Record<string, unknown>;
type Opened = { sink: EventSink; query: EventQuery };

async function valuesOf(
  query: EventQuery,
  inputs: readonly SqlValue[],
  type: "string" | "number",
  columns: (d: SqlDialect, x: string) => Record<string, string>,
): Promise<Row[]> {
  const d = query.dialect;
  const select = Object.entries(columns(d, d.param("x", type)))
    .map(([name, sql]) => `${sql} AS ${d.ident(name)}`)
    .join(", ");
  const rows: Row[] = [];
  for (const x of inputs) {
    const [row] = await query.run<Row>({ engine: d.engine, sql: `SELECT ${select}`, params: { x } });
    // DuckDB answers 64-bit integers as bigints, ClickHouse as numbers.
    rows.push(JSON.parse(JSON.stringify({ x, ...row }, (_, v) => (typeof v === "bigint" ? Number(v) : v))));
  }
  return rows;
}

const jsonInputs = [
  '"text"',
  '"  12.5 "',
  '"+5"',
  '"0x10"',
  "7",
  "-2.25",
  "12345678901234567890",
  "true",
  "false",
  "null",
  "[]",
  '[1, "a", null, [2]]',
  '{"a": {"b": [10, {"c": "deep"}]}, "x.y": 1, "q\'uote": "\\u00e9\\n"}',
  "{}",
  "not json",
  "",
  null,
];

const json = (d: SqlDialect, x: string): Record<string, string> => {
  const v = d.parseJson(x);
  return {
    kind: d.jsonKind(v),
    text: d.jsonText(v),
    number: d.jsonNumber(v),
    boolean: d.jsonBoolean(v),
    serialized: d.jsonSerialize(v),
    first: d.jsonSerialize(d.jsonGet(v, [0])),
    last: d.jsonSerialize(d.jsonGet(v, [3, 0])),
    deep: d.jsonText(d.jsonGet(v, ["a", "b", 1, "c"])),
    dotted: d.jsonNumber(d.jsonGet(v, ["x.y"])),
    quoted: d.jsonText(d.jsonGet(v, ["q'uote"])),
    objectIndex: d.jsonSerialize(d.jsonGet(v, ["a", 0])),
    missing: d.jsonKind(d.jsonGet(v, ["nothing"])),
    asText: d.toJson(d.jsonText(v), "string"),
    asNumber: d.toJson(d.jsonNumber(v), "number"),
    asBoolean: d.toJson(d.jsonBoolean(v), "boolean"),
  };
};

const day = 86_400_000;
const times = [
  Date.UTC(2024, 0, 31, 13, 5),
  Date.UTC(2024, 1, 29, 23, 59, 59, 999),
  Date.UTC(2023, 11, 31),
  Date.UTC(2026, 10, 22),
  Date.UTC(1969, 11, 31, 12),
  Date.UTC(1950, 5, 15),
  // Fractions: both engines make a time whole as DuckDB casts a double (halves to even).
  1.5,
  2.5,
  -0.5,
  Date.UTC(2026, 10, 23) + 0.5,
];

const units: TimeUnit[] = ["hour", "day", "week", "month", "quarter", "year"];
const time = (d: SqlDialect, x: string): Record<string, string> => ({
  ...Object.fromEntries(units.map((u) => [u, d.truncateTime(x, u)])),
  nextMonth: d.addMonths(x, d.number(1)),
  yearAndMonthBack: d.addMonths(x, d.number(-13)),
  halfMonths: d.addMonths(x, d.number(-2.5)),
  rounded: d.round(`(${x} / ${d.number(day)})`),
  text: d.numberText(x),
});

// Whole numbers from 1e15 on, and numbers under 1e-6, are written differently: see numberText's doc comment.
const numbers = [0, 3, -2.5, 2.5, 0.1, -0.001, 1_795_000_000_000.25, 123_456_789_012_345, 98_765.4321];
const number = (d: SqlDialect, x: string): Record<string, string> => ({
  text: d.numberText(x),
  rounded: d.round(x),
  json: d.toJson(x, "number"),
  list: d.toJson(d.listOf([x, d.nullOf("number")]), { listOf: "number" }),
  floored: d.toJson(d.floorItems(d.listOf([x, d.number(7.5)]), 2), { listOf: "number" }),
  average: d.listAverage(d.listOf([x, d.number(1), d.nullOf("number")])),
  set: d.toJson(d.sortedSet(d.listOf([d.number(2), x, d.number(2)])), { listOf: "number" }),
  item: d.listItem(d.listOf([x]), d.number(1)),
});

const texts = ["Ärger über Öl", "a,b,,c", "", "https://app.example.com:8080/x?y=1"];
const text = (d: SqlDialect, x: string): Record<string, string> => ({
  lower: d.lower(x),
  upper: d.upper(x),
  length: d.textLength(x),
  md5: d.md5(x),
  host: d.regexExtract(x, "'^[a-z]+://([^/:]+)'"),
  matches: d.regexMatches(x, "'[Üü]'"),
  starts: d.startsWith(x, "'a'"),
  contains: d.containsText(x, "','"),
  concat: d.concat([x, "'!'"]),
  parts: d.toJson(d.split(x, "','"), { listOf: "string" }),
  object: d.jsonObject([
    ["'t'", d.toJson(x, "string")],
    ["'n'", d.nullOf("json")],
  ]),
});

const engines: Array<{ name: string; open: () => Promise<Opened> }> = [
  { name: "duckdb", open: () => openDuckdbEvents(path.join(tempDir("dialect"), "events.duckdb")) },
  { name: "clickhouse", open: () => openClickhouseEvents(testClickhouseUrl("dialect")) },
];

describe("the DuckDB and ClickHouse dialects give the same values", () => {
  const opened: Opened[] = [];
  before(async () => {
    for (const engine of engines) opened.push(await engine.open());
  });
  after(async () => {
    for (const o of opened) await o.sink.close();
  });

  const same = async (
    inputs: readonly SqlValue[],
    type: "string" | "number",
    columns: (d: SqlDialect, x: string) => Record<string, string>,
  ) => {
    const [duckdb, clickhouse] = await Promise.all(
      opened.map((o) => valuesOf(o.query, inputs, type, columns)),
    );
    // JSON text is compared as the values it encodes: the engines space and escape it their own ways.
    const decoded = (rows: Row[] | undefined) =>
      (rows ?? []).map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => {
            // ClickHouse's tests are 0 or 1: read as booleans, as the aggregation answers read them by type.
            if (["matches", "starts", "contains"].includes(k) && typeof v === "number") return [k, v !== 0];
            if (
              typeof v !== "string" ||
              !/^(serialized|first|last|objectIndex|as|json|list|floored|set|parts|object)/.test(k)
            )
              return [k, v];
            try {
              return [k, JSON.parse(v)];
            } catch {
              return [k, v];
            }
          }),
        ),
      );
    assert.deepEqual(decoded(clickhouse), decoded(duckdb));
  };

  test("JSON values of every kind, read every way", () => same(jsonInputs, "string", json));
  test("times cut to periods and moved by months", () => same(times, "number", time));
  test("numbers as text, rounded, and in lists", () => same(numbers, "number", number));
  test("text functions", () => same(texts, "string", text));
  test("text functions of null", () =>
    same([null], "string", (d, x) => {
      const { parts: _, ...rest } = text(d, x);
      return rest;
    }));

  test("a null list: ClickHouse has none, so splitting null text gives an empty list there", async () => {
    const lists = await Promise.all(
      opened.map((o) => valuesOf(o.query, [null], "string", (d, x) => ({ parts: d.split(x, "','") }))),
    );
    assert.deepEqual(
      lists.map((rows) => rows[0]?.parts),
      [null, []],
    );
  });
});
