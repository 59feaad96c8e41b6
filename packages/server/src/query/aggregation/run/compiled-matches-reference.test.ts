import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import type { StoredEvent } from "../../../store/events/stored-event.js";
import {
  type AggregationFixture,
  aggregationFixture,
  fixtureEngines,
  fixtureNow,
} from "../test-support/aggregation-fixture.js";
import { Chooser, eventsFrom, pipelineFrom } from "../test-support/random-pipelines.js";
import { referenceRun } from "../test-support/reference-evaluator.js";

/**
 * Random valid pipelines over random events give the same rows, in the same order, through the compiled
 * SQL on each engine as through the in-memory reference evaluator written from the spec; random invalid ones
 * give a 400 invalid_pipeline, never another error.
 */

for (const engine of fixtureEngines) {
  describe(`compiled pipelines match the reference evaluator: ${engine}`, () => {
    let f: AggregationFixture;
    let events: StoredEvent[];
    before(async () => {
      f = await aggregationFixture(undefined, { engine });
      events = eventsFrom(
        new Chooser(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 10007)),
        f.subscriptionId,
        f.appId,
        400,
      );
      await f.load(events);
    });
    after(() => f.close());

    test("random valid pipelines give the reference evaluator's rows through the compiled SQL", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 60 }),
          async (picks) => {
            const pipeline = pipelineFrom(new Chooser(picks));
            const expected = referenceRun(
              { events, subscriptionId: f.subscriptionId, defaultAppId: f.appId, now: fixtureNow },
              pipeline,
            );
            const { results } = await f.aggregate({ request: { pipeline } });
            assert.deepEqual(results, expected, JSON.stringify(pipeline));
          },
        ),
        { numRuns: 150 },
      );
    });

    test("random pipelines with the list and activity aggregators give the reference evaluator's rows", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 60 }),
          async (picks) => {
            const pipeline = pipelineFrom(new Chooser(picks), true);
            const expected = referenceRun(
              { events, subscriptionId: f.subscriptionId, defaultAppId: f.appId, now: fixtureNow },
              pipeline,
            );
            const { results } = await f.aggregate({ request: { pipeline } });
            assert.deepEqual(results, expected, JSON.stringify(pipeline));
          },
        ),
        { numRuns: 100 },
      );
    });

    const breakers: ((p: Record<string, unknown>[], c: Chooser) => Record<string, unknown>[])[] = [
      (p) => [...p, { explode: null }],
      (p) => [...p, { group: { group: ["noSuchField"] } }],
      (p) => [...p, { filter: "numEvents >" }],
      (p) => [...p, { filter: '"text"' }],
      (p) => [...p, { limit: -1 }],
      (p) => [...p, { sort: ["-noSuchField"] }],
      (p) => [...p, { select: {} }],
      (p) => [...p, { reduce: { x: { nosuch: "numEvents" } } }],
      (p, c) => [
        p[0] as Record<string, unknown>,
        {
          reduce: {
            x: c.one([
              { listAverage: "numEvents" },
              { concat: "visitorId" },
              { daysActiveCreate: "minutesActive" },
              { daysActiveUnion: "lastTime" },
              { daysActiveCount: { field: "minutesActive", window: 7 } },
              { minutesActiveUnion: "numMinutes" },
              { minutesActiveCount: "visitorId" },
              { sequence: { new: "numEvents", sort: ["lastTime"] } },
              { sequence: { new: "true", sort: ["nope"] } },
            ]),
          },
        },
      ],
      (p) => p.slice(1),
      (p) => [{ source: { events: null } }, ...p.slice(1)],
      (p, c) => [...p, { filter: `${c.one(["foo", "bar"])}(numEvents)` }],
      (p) => [...p, { eval: { total: "visitorId * 2" } }],
      (p) => [p[0] as Record<string, unknown>, p[0] as Record<string, unknown>],
      (p) => [
        { source: { events: null, timeSeries: { period: "weekRange", first: "now()", count: 1 } } },
        ...p.slice(1),
      ],
    ];

    test("random invalid pipelines give a 400 invalid_pipeline and nothing else", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 40 }),
          fc.nat(),
          async (picks, which) => {
            const c = new Chooser(picks);
            const broken = (breakers[which % breakers.length] as (typeof breakers)[number])(
              pipelineFrom(c),
              c,
            );
            await assert.rejects(
              f.aggregate({ request: { pipeline: broken } }),
              (error: unknown) =>
                error instanceof CairnError && error.code === "invalid_pipeline" && error.status === 400,
              JSON.stringify(broken),
            );
          },
        ),
        { numRuns: 100 },
      );
    });
  });
}
