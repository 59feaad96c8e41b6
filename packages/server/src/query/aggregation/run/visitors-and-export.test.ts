import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sampleEvent } from "../../../start/test-support/sample-events.js";
import type { AccountPatch, VisitorPatch } from "../../../store/profiles/profile-records.js";
import {
  type AggregationFixture,
  aggregationFixture,
  fixtureEngines,
  fixtureNow,
} from "../test-support/aggregation-fixture.js";

const day = 86_400_000;
const today = Math.floor(fixtureNow / day) * day;

for (const engine of fixtureEngines) {
  describe(`visitors and accounts, and a connector's incremental export: ${engine}`, () => {
    let f: AggregationFixture;
    const visitorIds = Array.from({ length: 25 }, (_, i) => `user-${String(i).padStart(2, "0")}`);
    before(async () => {
      f = await aggregationFixture(undefined, { engine });
      const visit = (visitorId: string, at: number): VisitorPatch => ({
        subscriptionId: f.subscriptionId,
        visitorId,
        firstVisit: at,
        lastVisit: at + 1000,
        lastAppId: f.appId,
        lastAccountId: "acme",
        lastUserAgent: "Mozilla/5.0 Chrome/150",
        lastBrowserName: "Chrome",
        lastBrowserVersion: "150",
        lastOperatingSystem: "Linux",
        lastServerName: "app.example.com",
        agentMetadata: visitorId === "user-00" ? JSON.stringify({ email: "zero@example.com" }) : null,
      });
      const acme: AccountPatch = {
        subscriptionId: f.subscriptionId,
        accountId: "acme",
        firstVisit: today - day,
        lastVisit: today,
        agentMetadata: null,
      };
      await f.applyProfiles({
        visitors: [
          ...visitorIds.map((id, i) => visit(id, today - i * 3_600_000)),
          visit("_PENDO_T_anon", today),
        ],
        accounts: [acme],
        aliases: [],
        customMetadata: [
          {
            subscriptionId: f.subscriptionId,
            kind: "visitor",
            id: "user-01",
            values: { plan: "pro", seats: 3 },
          },
        ],
      });
      await f.applyProfiles({
        visitors: [{ ...visit("other-sub", today), subscriptionId: "sub_other" }],
        accounts: [],
        aliases: [],
      });
      // three days of events, a few visitors a day
      const events = [];
      for (let d = 1; d <= 3; d++)
        for (const [i, id] of visitorIds.slice(0, 4 + d).entries())
          events.push(
            sampleEvent({
              subscriptionId: f.subscriptionId,
              appId: f.appId,
              visitorId: id,
              accountId: "acme",
              type: "load",
              occurredAt: today - d * day + i * 60_000,
            }),
          );
      await f.load(events);
    });
    after(() => f.close());

    const run = async (pipeline: unknown[]) => (await f.aggregate({ request: { pipeline } })).results;

    test("Appendix A: identified visitors with first and last visit", async () => {
      const rows = await run([
        { source: { visitors: null } },
        { identified: "visitorId" },
        {
          select: {
            visitorId: "visitorId",
            firstvisit: "metadata.auto.firstvisit",
            lastvisit: "metadata.auto.lastvisit",
          },
        },
      ]);
      assert.equal(rows.length, 25);
      assert.deepEqual(rows[1], {
        visitorId: "user-01",
        firstvisit: today - 3_600_000,
        lastvisit: today - 3_600_000 + 1000,
      });
      assert.ok(!rows.some((r) => r.visitorId === "other-sub" || r.visitorId === "_PENDO_T_anon"));
    });

    test("visitor rows carry Pendo's metadata groups, every field present", async () => {
      const [zero, one] = await run([{ source: { visitors: { identified: true } } }, { limit: 2 }]);
      assert.deepEqual(Object.keys(zero as object), ["metadata", "visitorId"]);
      const metadata = (zero as { metadata: Record<string, Record<string, unknown>> }).metadata;
      assert.deepEqual(metadata.agent, { email: "zero@example.com" });
      assert.deepEqual(Object.keys(metadata.auto as object), [
        "accountid",
        "firstvisit",
        "id",
        "lastbrowsername",
        "lastbrowserversion",
        "lastoperatingsystem",
        "lastservername",
        "lastupdated",
        "lastuseragent",
        "lastvisit",
      ]);
      assert.equal(typeof metadata.auto?.lastupdated, "number");
      assert.deepEqual((one as { metadata: { custom: unknown } }).metadata.custom, { plan: "pro", seats: 3 });
      const pro = await run([
        { source: { visitors: null } },
        { filter: 'metadata.custom.plan == "pro" && metadata.custom.seats >= 3' },
        { select: { id: "visitorId" } },
      ]);
      assert.deepEqual(pro, [{ id: "user-01" }]);
    });

    test("accounts and expand", async () => {
      assert.deepEqual(
        await run([
          { source: { accounts: null } },
          { select: { accountId: "accountId", last: "metadata.auto.lastvisit" } },
        ]),
        [{ accountId: "acme", last: today }],
      );
      const expanded = await run([
        { source: { events: null, timeSeries: { period: "dayRange", first: "now()", count: -1 } } },
        { filter: 'visitorId == "user-01"' },
        { expand: { visitorInfo: { visitor: "visitorId" } } },
        {
          select: {
            visitorId: "visitorId",
            plan: "visitorInfo.metadata.custom.plan",
            browser: "visitorInfo.metadata.auto.lastbrowsername",
          },
        },
      ]);
      assert.deepEqual(expanded, [{ visitorId: "user-01", plan: "pro", browser: "Chrome" }]);
    });

    test("tap-pendo's incremental export: visitors by key set, events day by day, each page the same when asked again", async () => {
      const visitorsPage = (after: string) =>
        f.aggregate({
          response: { mimeType: "application/json" },
          request: {
            requestId: "visitors",
            pipeline: [
              { source: { visitors: { identified: true } } },
              { sort: ["visitorId"] },
              { filter: `visitorId>="${after}"` },
              { limit: 10 },
            ],
          },
        });
      const exported: string[] = [];
      let after = "";
      for (;;) {
        const page = await visitorsPage(after);
        assert.deepEqual(
          (await visitorsPage(after)).results,
          page.results,
          "the same request, the same page",
        );
        const ids = page.results
          .map((r) => r.visitorId as string)
          .filter((id) => id !== after || exported.length === 0);
        exported.push(...ids.filter((id) => !exported.includes(id)));
        if (page.results.length < 10) break;
        after = page.results.at(-1)?.visitorId as string;
      }
      assert.deepEqual(exported, visitorIds);

      const perDay: number[] = [];
      for (let d = 3; d >= 1; d--) {
        const body = {
          request: {
            pipeline: [
              {
                source: {
                  events: { appId: 'expandAppIds("*")' },
                  timeSeries: { period: "dayRange", first: today - d * day, count: 1 },
                },
              },
              { identified: "visitorId" },
            ],
          },
        };
        const first = await f.aggregate(body);
        assert.deepEqual((await f.aggregate(body)).results, first.results);
        assert.ok(first.results.every((r) => r.day === today - d * day));
        perDay.push(first.results.length);
      }
      assert.deepEqual(perDay, [7, 6, 5]);
    });
  });
}
