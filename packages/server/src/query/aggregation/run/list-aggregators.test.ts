import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { sampleEvent } from "../../../start/test-support/sample-events.js";
import {
  type AggregationFixture,
  aggregationFixture,
  fixtureEngines,
  fixtureNow,
} from "../test-support/aggregation-fixture.js";

const day = 86_400_000;
const minute = 60_000;
/** The starts of today (D0, the fixture's now is noon), yesterday (D1) and the day before (D2). */
const D0 = fixtureNow - 12 * 3_600_000;
const D1 = D0 - day;
const D2 = D0 - 2 * day;
const at = (dayStart: number, hour: number, minutes: number, seconds = 0) =>
  dayStart + hour * 3_600_000 + minutes * minute + seconds * 1000;
const threeDays = { period: "dayRange", first: "now() - 2 * 24 * 60 * 60 * 1000", count: 3 };
const events = { source: { events: null, timeSeries: threeDays } };
const singleEvents = { source: { singleEvents: null, timeSeries: threeDays } };

for (const engine of fixtureEngines) {
  describe(`list and activity aggregators: ${engine}`, () => {
    let f: AggregationFixture;
    before(async () => {
      f = await aggregationFixture(undefined, { engine });
      const e = (visitorId: string, type: string, time: number) =>
        sampleEvent({
          subscriptionId: f.subscriptionId,
          appId: f.appId,
          visitorId,
          accountId: "acme",
          type,
          occurredAt: time,
        });
      await f.load([
        e("v1", "load", at(D2, 10, 0)),
        e("v1", "click", at(D2, 10, 0, 30)),
        e("v1", "load", at(D2, 10, 5)),
        e("v1", "load", at(D0, 9, 0)),
        e("v1", "click", at(D0, 9, 1)),
        e("v2", "click", at(D1, 8, 0)),
        e("v2", "load", at(D0, 9, 0, 20)),
      ]);
    });
    after(() => f.close());

    const run = async (pipeline: unknown[]) => (await f.aggregate({ request: { pipeline } })).results;

    test("event rows carry minutesActive: their minutes' starts, ascending", async () => {
      const rows = await run([
        events,
        { select: { v: "visitorId", day: "day", m: "minutesActive", n: "numMinutes" } },
      ]);
      assert.deepEqual(rows, [
        { v: "v1", day: D2, m: [at(D2, 10, 0), at(D2, 10, 5)], n: 2 },
        { v: "v1", day: D0, m: [at(D0, 9, 0), at(D0, 9, 1)], n: 2 },
        { v: "v2", day: D1, m: [at(D1, 8, 0)], n: 1 },
        { v: "v2", day: D0, m: [at(D0, 9, 0)], n: 1 },
      ]);
    });

    test("minutesActiveUnion and minutesActiveCount: distinct minutes across rows, from sets or times", async () => {
      const perVisitor = await run([
        events,
        {
          group: {
            group: ["visitorId"],
            fields: {
              minutes: { minutesActiveUnion: "minutesActive" },
              n: { minutesActiveCount: "minutesActive" },
              summed: { sum: "numMinutes" },
            },
          },
        },
      ]);
      assert.deepEqual(perVisitor, [
        {
          visitorId: "v1",
          minutes: [at(D2, 10, 0), at(D2, 10, 5), at(D0, 9, 0), at(D0, 9, 1)],
          n: 4,
          summed: 4,
        },
        { visitorId: "v2", minutes: [at(D1, 8, 0), at(D0, 9, 0)], n: 2, summed: 2 },
      ]);
      // Both visitors were active in today's 09:00 minute: it counts once.
      assert.deepEqual(await run([events, { reduce: { n: { minutesActiveCount: "minutesActive" } } }]), [
        { n: 5 },
      ]);
      assert.deepEqual(await run([singleEvents, { reduce: { n: { minutesActiveCount: "browserTime" } } }]), [
        { n: 5 },
      ]);
      assert.deepEqual(
        await run([events, { filter: "false" }, { reduce: { m: { minutesActiveUnion: "minutesActive" } } }]),
        [{ m: [] }],
      );
    });

    test("daysActiveCreate, daysActiveUnion and daysActiveCount: sets of days, merged and counted", async () => {
      const rows = await run([
        events,
        {
          group: {
            group: ["visitorId"],
            fields: { days: { daysActiveCreate: "day" }, n: { daysActiveCount: "day" } },
          },
        },
      ]);
      assert.deepEqual(rows, [
        { visitorId: "v1", days: [D2, D0], n: 2 },
        { visitorId: "v2", days: [D1, D0], n: 2 },
      ]);
      const merged = await run([
        events,
        { group: { group: ["visitorId"], fields: { days: { daysActiveCreate: "lastTime" } } } },
        {
          reduce: {
            all: { daysActiveUnion: "days" },
            n: { daysActiveCount: "days" },
            sameN: { daysActiveCount: { field: "days" } },
          },
        },
      ]);
      assert.deepEqual(merged, [{ all: [D2, D1, D0], n: 3, sameN: 3 }]);
      // A set of minutes is read as the days it falls on.
      assert.deepEqual(await run([events, { reduce: { d: { daysActiveUnion: "minutesActive" } } }]), [
        { d: [D2, D1, D0] },
      ]);
    });

    test("listAverage averages every number of the group's lists; concat joins them in row order", async () => {
      const rows = await run([
        events,
        { eval: { pair: "list(numEvents, numMinutes)" } },
        { sort: ["-day"] },
        {
          group: {
            group: ["visitorId"],
            fields: {
              avg: { listAverage: "pair" },
              pairs: { concat: "pair" },
              minutes: { concat: "minutesActive" },
            },
          },
        },
      ]);
      // v1: [3, 2] on D2 and [2, 2] today; newest day first, as sorted
      assert.deepEqual(rows, [
        {
          visitorId: "v1",
          avg: 2.25,
          pairs: [2, 2, 3, 2],
          minutes: [at(D0, 9, 0), at(D0, 9, 1), at(D2, 10, 0), at(D2, 10, 5)],
        },
        { visitorId: "v2", avg: 1, pairs: [1, 1, 1, 1], minutes: [at(D0, 9, 0), at(D1, 8, 0)] },
      ]);
      assert.deepEqual(
        await run([
          events,
          { filter: "false" },
          { reduce: { avg: { listAverage: "minutesActive" }, all: { concat: "minutesActive" } } },
        ]),
        [{ avg: null, all: [] }],
      );
    });

    test("sequence cuts the group's rows, sorted, into runs starting where new holds", async () => {
      const rows = await run([
        singleEvents,
        { select: { visitorId: "visitorId", "e.type": "type", t: "browserTime" } },
        {
          group: {
            group: ["visitorId"],
            fields: { runs: { sequence: { new: 'e.type == "load"', sort: ["t"] } } },
          },
        },
      ]);
      const row = (type: string, t: number, visitorId = "v1") => ({ visitorId, e: { type }, t });
      assert.deepEqual(rows, [
        {
          visitorId: "v1",
          runs: [
            [row("load", at(D2, 10, 0)), row("click", at(D2, 10, 0, 30))],
            [row("load", at(D2, 10, 5))],
            [row("load", at(D0, 9, 0)), row("click", at(D0, 9, 1))],
          ],
        },
        // The first row starts a run even where new does not hold.
        {
          visitorId: "v2",
          runs: [[row("click", at(D1, 8, 0), "v2")], [row("load", at(D0, 9, 0, 20), "v2")]],
        },
      ]);
      const backwards = await run([
        singleEvents,
        { filter: 'visitorId == "v1"' },
        { select: { type: "type", t: "browserTime" } },
        { reduce: { runs: { sequence: { new: 'type == "click"', sort: ["-t"] } } } },
      ]);
      assert.deepEqual(backwards, [
        {
          runs: [
            [
              { type: "click", t: at(D0, 9, 1) },
              { type: "load", t: at(D0, 9, 0) },
              { type: "load", t: at(D2, 10, 5) },
            ],
            [
              { type: "click", t: at(D2, 10, 0, 30) },
              { type: "load", t: at(D2, 10, 0) },
            ],
          ],
        },
      ]);
    });

    test("a wrong argument is an invalid pipeline naming the stage, the output and the problem", async () => {
      const cases: [unknown, RegExp][] = [
        [{ listAverage: "numEvents" }, /listAverage needs a list of numbers, but this is a number/],
        [
          { listAverage: 'split(visitorId, ",")' },
          /listAverage needs a list of numbers, but this is a list of string/,
        ],
        [{ concat: "visitorId" }, /concat joins lists, but this is a string; list collects single values/],
        [
          { daysActiveCreate: "minutesActive" },
          /daysActiveCreate needs a time \(epoch ms\), but this is a list of number/,
        ],
        [
          { daysActiveCreate: "visitorId" },
          /daysActiveCreate needs a time \(epoch ms\), but this is a string/,
        ],
        [
          { daysActiveUnion: "day" },
          /daysActiveUnion needs a set of days \(a list of times\), but this is a number/,
        ],
        [
          { daysActiveCount: "visitorId" },
          /daysActiveCount needs a set of days \(a list of times\) or a time, but this is a string/,
        ],
        [
          { daysActiveCount: { field: "day", window: 30 } },
          /daysActiveCount counts the days of one set; windows \(window\) are not built/,
        ],
        [
          { minutesActiveUnion: 'split(visitorId, ",")' },
          /minutesActiveUnion needs a set of minutes \(a list of times\), but this is a list of string/,
        ],
        [
          { minutesActiveCount: "accountId" },
          /minutesActiveCount needs a set of minutes \(a list of times\) or a time, but this is a string/,
        ],
        [{ sequence: { sort: ["day"] } }, /sequence takes \{"new": "condition", "sort"/],
        [{ sequence: { new: "numEvents" } }, /sequence's new must be true or false, but this is a number/],
        [
          { sequence: { new: "true", sort: ["-nope"] } },
          /sequence cannot sort by nope: no such field; the rows have accountId/,
        ],
      ];
      for (const [aggregator, problem] of cases) {
        const pipeline = [events, { group: { group: ["visitorId"], fields: { x: aggregator } } }];
        await assert.rejects(f.aggregate({ request: { pipeline } }), (error: unknown) => {
          assert.ok(error instanceof CairnError, `${JSON.stringify(aggregator)}: ${String(error)}`);
          assert.equal(error.code, "invalid_pipeline");
          assert.equal(error.status, 400);
          assert.match(error.message, /^pipeline\[1\] \(group\), "x": /, JSON.stringify(aggregator));
          assert.match(error.message, problem, JSON.stringify(aggregator));
          return true;
        });
      }
    });
  });
}
