import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sampleEvent } from "../../../start/test-support/sample-events.js";
import {
  type AggregationFixture,
  aggregationFixture,
  fixtureEngines,
  fixtureNow,
} from "../test-support/aggregation-fixture.js";

const day = 86_400_000;
const today = Math.floor(fixtureNow / day) * day;
const yesterday = today - day;

/** Pendo's worked examples (pendo-api.md §3.3.3, Appendix A), on events loaded as the collector loads them. */
for (const engine of fixtureEngines) {
  describe(`Pendo's worked aggregation examples: ${engine}`, () => {
    let f: AggregationFixture;
    before(async () => {
      f = await aggregationFixture(undefined, { engine });
      const at = (visitorId: string, accountId: string | null, time: number, overrides = {}) =>
        sampleEvent({
          subscriptionId: f.subscriptionId,
          appId: f.appId,
          visitorId,
          accountId,
          occurredAt: time,
          type: "load",
          ...overrides,
        });
      await f.load([
        // yesterday: v1 three events over two minutes, v2 one, an anonymous visitor one
        at("v1", "acme", yesterday + 10 * 60_000),
        at("v1", "acme", yesterday + 10 * 60_000 + 5_000, { type: "click" }),
        at("v1", "acme", yesterday + 11 * 60_000, { ip: "198.51.100.9" }),
        at("v2", "globex", yesterday + 3 * 3_600_000),
        at("_PENDO_T_anon1", null, yesterday + 60_000),
        // today and 10 days ago: outside "yesterday"
        at("v1", "acme", today + 60_000),
        at("v3", "acme", today - 10 * day),
        // guide events: v1 saw the guide twice, v2 once, v2 dismissed another
        at("v1", "acme", yesterday + 20 * 60_000, {
          type: "guideSeen",
          properties: JSON.stringify({ props: { guide_id: "g1", guide_step_id: "s1", reason: "auto" } }),
        }),
        at("v1", "acme", yesterday + 30 * 60_000, {
          type: "guideSeen",
          properties: JSON.stringify({ props: { guide_id: "g1", guide_step_id: "s2", reason: "continue" } }),
        }),
        at("v2", "globex", yesterday + 40 * 60_000, {
          type: "guideSeen",
          properties: JSON.stringify({ props: { guide_id: "g1", guide_step_id: "s1", reason: "auto" } }),
        }),
        at("v2", "globex", yesterday + 41 * 60_000, {
          type: "guideDismissed",
          properties: JSON.stringify({ props: { guide_id: "g2", guide_step_id: "t1", seen_reason: "auto" } }),
        }),
        // NPS poll responses on guide g-nps: v1 answered both polls (the score twice: the later counts), v2 one
        ...[
          ["v1", "acme", 50, "p-score", 5],
          ["v1", "acme", 52, "p-score", 9],
          ["v1", "acme", 53, "p-why", "great product"],
          ["v2", "globex", 55, "p-score", 7],
        ].map(([visitor, account, minute, poll, response]) =>
          at(visitor as string, account as string, yesterday + (minute as number) * 60_000, {
            type: "pollResponse",
            properties: JSON.stringify({
              props: { guide_id: "g-nps", guide_step_id: "s1", poll_id: poll, poll_response: response },
            }),
          }),
        ),
        // excluded by the Exclude List
        at("v9", "acme", yesterday + 60_000, { excluded: true }),
        // another subscription's event
        sampleEvent({
          subscriptionId: "sub_other",
          appId: f.appId,
          visitorId: "v1",
          occurredAt: yesterday + 1000,
          type: "load",
        }),
      ]);
    });
    after(() => f.close());

    test("daily events per visitor and account, yesterday (§3.3.3)", async () => {
      const answer = await f.aggregate({
        response: { mimeType: "application/json" },
        request: {
          name: "Events",
          requestId: "Events",
          pipeline: [
            {
              source: {
                events: { eventClass: ["web", "ios"] },
                timeSeries: { period: "dayRange", first: "now()", count: -1 },
              },
            },
            { identified: "visitorId" },
            {
              select: {
                numEvents: "numEvents",
                numMinutes: "numMinutes",
                accountId: "accountId",
                visitorId: "visitorId",
                day: "day",
              },
            },
            {
              group: {
                group: ["visitorId", "accountId", "day"],
                fields: { totalTime: { sum: "numMinutes" }, totalEvents: { sum: "numEvents" } },
              },
            },
            { sort: ["accountId", "totalTime"] },
          ],
        },
      });
      assert.equal(answer.startTime, fixtureNow);
      assert.deepEqual(answer.results, [
        { visitorId: "v1", accountId: "acme", day: yesterday, totalTime: 2, totalEvents: 3 },
        { visitorId: "v2", accountId: "globex", day: yesterday, totalTime: 1, totalEvents: 1 },
      ]);
    });

    test("unique visitors over 30 days across all apps (§3.3.3)", async () => {
      const answer = await f.aggregate({
        response: { mimeType: "application/json" },
        request: {
          name: "VisitorCount",
          requestId: "VisitorCount",
          pipeline: [
            {
              source: {
                events: { appId: "expandAppIds(`*`)" },
                timeSeries: { period: "dayRange", first: "now() - 30 * 1000 * 60 *60 * 24", count: 30 },
              },
            },
            { identified: "visitorId" },
            { reduce: { uniqueVisitors: { count: "visitorId" } } },
            { select: { uniqueVisitors: "uniqueVisitors", date: "now()" } },
          ],
        },
      });
      // v1, v2, v3 (v9 is on the Exclude List; today is outside the 30 whole days before today)
      assert.deepEqual(answer.results, [{ uniqueVisitors: 3, date: fixtureNow }]);
    });

    test("Appendix A: guide events for one guide, all apps, Exclude List applied, last 30 days", async () => {
      const answer = await f.aggregate({
        response: { mimeType: "application/json" },
        request: {
          pipeline: [
            {
              source: {
                guideEvents: { guideId: "g1", appId: 'expandAppIds("*")', blacklist: "apply" },
                timeSeries: { period: "dayRange", first: "now()", count: -30 },
              },
            },
            { identified: "visitorId" },
            { filter: 'eventSubType(type) == "guideSeen"' },
            { group: { group: ["visitorId"], fields: [{ firstTime: { min: "browserTime" } }] } },
            { reduce: { firstTimeTotal: { count: null } } },
          ],
        },
      });
      assert.deepEqual(answer.results, [{ firstTimeTotal: 2 }]);
    });

    test("§3.3.3 NPS data: both polls' responses per visitor, spawned from pollsSeenEver and joined", async () => {
      const branch = (pollId: string, time: string, response: string) => [
        { source: { pollsSeenEver: { guideId: "g-nps", pollId } } },
        { identified: "visitorId" },
        { cat: null },
        {
          select: { visitorId: "visitorId", accountId: "accountId", [time]: "time", [response]: "response" },
        },
      ];
      const answer = await f.aggregate({
        response: { mimeType: "application/json" },
        request: {
          name: "NPS Data",
          pipeline: [
            {
              spawn: [
                branch("p-score", "quantitativeTime", "quantitativeResponse"),
                branch("p-why", "qualitativeTime", "qualitativeResponse"),
              ],
            },
            { join: { fields: ["visitorId"], width: 2 } },
          ],
        },
      });
      assert.deepEqual(answer.results, [
        {
          visitorId: "v1",
          accountId: "acme",
          quantitativeTime: yesterday + 52 * 60_000,
          quantitativeResponse: 9,
          qualitativeTime: yesterday + 53 * 60_000,
          qualitativeResponse: "great product",
        },
      ]);
    });

    test("event rows carry Pendo's fields, in alphabetical order, for yesterday's bucket; minutesActive when named", async () => {
      const answer = await f.aggregate({
        request: {
          pipeline: [
            { source: { events: null, timeSeries: { period: "dayRange", first: "now()", count: -1 } } },
            { filter: 'visitorId == "v1"' },
          ],
        },
      });
      assert.equal(answer.results.length, 1);
      const row = answer.results[0] as Record<string, unknown>;
      assert.deepEqual(Object.keys(row), [
        "accountId",
        "appId",
        "day",
        "lastTime",
        "numEvents",
        "numMinutes",
        "remoteIp",
        "server",
        "userAgent",
        "visitorId",
      ]);
      assert.equal(row.remoteIp, "198.51.100.9", "the period's last event's address");
      assert.equal(row.server, "app.example.com");
      assert.equal(row.lastTime, yesterday + 11 * 60_000);
      const named = await f.aggregate({
        request: {
          pipeline: [
            { source: { events: null, timeSeries: { period: "dayRange", first: "now()", count: -1 } } },
            { filter: 'visitorId == "v1"' },
            { select: { minutesActive: "minutesActive" } },
          ],
        },
      });
      assert.deepEqual(named.results, [
        { minutesActive: [yesterday + 10 * 60_000, yesterday + 11 * 60_000] },
      ]);
    });

    test("blacklist: apply (default) leaves the Exclude List out, only keeps just it, ignore keeps both", async () => {
      const visitors = async (blacklist?: string) => {
        const answer = await f.aggregate({
          request: {
            pipeline: [
              {
                source: {
                  events: blacklist ? { blacklist } : null,
                  timeSeries: { period: "dayRange", first: "now()", count: -1 },
                },
              },
              { group: { group: ["visitorId"] } },
            ],
          },
        });
        return answer.results.map((r) => r.visitorId);
      };
      assert.deepEqual(await visitors(), ["_PENDO_T_anon1", "v1", "v2"]);
      assert.deepEqual(await visitors("apply"), ["_PENDO_T_anon1", "v1", "v2"]);
      assert.deepEqual(await visitors("only"), ["v9"]);
      assert.deepEqual(await visitors("ignore"), ["_PENDO_T_anon1", "v1", "v2", "v9"]);
    });

    test("a trailing count stage gives [{count: N}]", async () => {
      const answer = await f.aggregate({
        request: {
          pipeline: [
            { source: { events: null, timeSeries: { period: "hourRange", first: "now()", count: -48 } } },
            { count: null },
          ],
        },
      });
      // hourly rows in the 48 hours before this hour: v1 00:xx yesterday, v2 03:xx, the anonymous visitor, v1 today
      assert.deepEqual(answer.results, [{ count: 4 }]);
    });
  });
}
