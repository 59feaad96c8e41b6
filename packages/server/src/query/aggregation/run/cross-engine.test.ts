import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { AggregationFixture } from "../test-support/aggregation-fixture.js";
import { aggregationFixture } from "../test-support/aggregation-fixture.js";
import {
  crossEngineDefinitions,
  crossEngineEvents,
  crossEngineProfiles,
} from "../test-support/cross-engine-data.js";
import { crossEnginePipelines } from "../test-support/cross-engine-pipelines.js";
import { Chooser, pipelineFrom } from "../test-support/random-pipelines.js";

/**
 * The same events and profiles loaded into DuckDB and into ClickHouse give the same rows, in the same order,
 * for the same pipelines: hand-picked ones that reach every source, stage, aggregator and function, and
 * random ones.
 */

/**
 * Counts, times and sums of whole numbers are exact in doubles, so they must be equal. Averages, standard
 * deviations, variances and sums of fractions add in an order each engine picks, so numbers may differ in
 * their last bits: equal up to a relative 1e-9.
 */
function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** Where the two answers differ (a path and both values), or null when they are the same. */
function difference(a: unknown, b: unknown, at = ""): string | null {
  if (typeof a === "number" && typeof b === "number") return close(a, b) ? null : `${at}: ${a} ≠ ${b}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at}: ${a.length} items ≠ ${b.length} items`;
    for (const [i, item] of a.entries()) {
      const found = difference(item, b[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = Object.keys(a);
    if (keys.join() !== Object.keys(b).join()) return `${at}: keys ${keys} ≠ ${Object.keys(b)}`;
    for (const key of keys) {
      const found = difference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
      if (found) return found;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${at}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

interface Engine {
  readonly f: AggregationFixture;
  /** The answer with this fixture's own ids (its installation's subscription and app) named alike. */
  run(pipeline: unknown[]): Promise<unknown>;
}

async function engine(name: "duckdb" | "clickhouse"): Promise<Engine> {
  const f = await aggregationFixture(crossEngineDefinitions, { engine: name });
  await f.load(crossEngineEvents(f.subscriptionId, f.appId));
  await f.applyProfiles(crossEngineProfiles(f.subscriptionId, f.appId));
  return {
    f,
    async run(pipeline) {
      const { results } = await f.aggregate({ request: { pipeline } });
      // Each installation has its own ids; a profile's lastupdated is when this fixture's store took it.
      return JSON.parse(
        JSON.stringify(results).replaceAll(f.appId, "<app>").replaceAll(f.subscriptionId, "<subscription>"),
        (key, value) => (key === "lastupdated" && typeof value === "number" ? "<time>" : value),
      );
    },
  };
}

describe("DuckDB and ClickHouse give the same rows", () => {
  let duckdb: Engine;
  let clickhouse: Engine;
  before(async () => {
    [duckdb, clickhouse] = [await engine("duckdb"), await engine("clickhouse")];
  });
  after(async () => {
    await duckdb.f.close();
    await clickhouse.f.close();
  });

  for (const [name, pipeline] of Object.entries(crossEnginePipelines))
    test(name, async () => {
      const expected = await duckdb.run(pipeline);
      const actual = await clickhouse.run(pipeline);
      assert.ok(Array.isArray(expected) && expected.length > 0, "the pipeline gives rows");
      const found = difference(actual, expected);
      assert.equal(
        found,
        null,
        `${found}\nClickHouse: ${JSON.stringify(actual)}\nDuckDB: ${JSON.stringify(expected)}`,
      );
    });

  test("random pipelines over the events source", async () => {
    for (let seed = 1; seed <= 120; seed++) {
      const picks = Array.from({ length: 60 }, (_, i) => (seed * 7919 + i * 104_729) % 10_007);
      const pipeline = pipelineFrom(new Chooser(picks), seed % 3 === 0);
      const found = difference(await clickhouse.run(pipeline), await duckdb.run(pipeline));
      assert.equal(found, null, `${found}\n${JSON.stringify(pipeline)}`);
    }
  });
});
