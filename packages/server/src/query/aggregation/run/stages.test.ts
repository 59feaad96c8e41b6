import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CairnError } from "../../../platform/errors/cairn-error.js";
import { sampleEvent } from "../../../start/test-support/sample-events.js";
import type { Definitions } from "../compile/definitions.js";
import {
  type AggregationFixture,
  aggregationFixture,
  fixtureEngines,
  fixtureNow,
} from "../test-support/aggregation-fixture.js";

const lastWeek = { period: "dayRange", first: "now() - 6 * 24 * 60 * 60 * 1000", count: 7 };
const sinceToday = { period: "dayRange", first: "now()", count: 1 };

const definitions: Definitions = {
  pages: [
    {
      id: "page-dashboard",
      appId: "",
      name: "Dashboard",
      include: [["^https?://[^/]+/dashboard(/.*)?$"]],
      exclude: [["/dashboard/admin"]],
    },
    {
      id: "page-settings",
      appId: "",
      name: "Settings",
      include: [["^https?://[^/]+/settings([?#].*)?$"]],
      exclude: [],
    },
  ],
  features: [
    {
      id: "feature-save",
      appId: "",
      name: "Save",
      pageId: null,
      appWide: true,
      selectors: [["^BUTTON#save(\\.| |$)"]],
    },
    {
      id: "feature-export",
      appId: "",
      name: "Export on dashboard",
      pageId: "page-dashboard",
      appWide: false,
      selectors: [["^BUTTON[^ ]*\\.export"]],
    },
  ],
  trackTypes: [{ id: "tt-registered", appId: "", name: "Registered", displayName: "Registered" }],
};

for (const engine of fixtureEngines) {
  describe(`aggregation stages and sources: ${engine}`, () => {
    let f: AggregationFixture;
    before(async () => {
      f = await aggregationFixture(
        (appId) => ({
          pages: definitions.pages.map((p) => ({ ...p, appId })),
          features: definitions.features.map((x) => ({ ...x, appId })),
          trackTypes: definitions.trackTypes.map((t) => ({ ...t, appId })),
        }),
        { engine },
      );
      const e = (visitorId: string, minutesAgo: number, overrides = {}) =>
        sampleEvent({
          subscriptionId: f.subscriptionId,
          appId: f.appId,
          visitorId,
          accountId: "acme",
          occurredAt: fixtureNow - minutesAgo * 60_000,
          type: "load",
          ...overrides,
        });
      await f.load([
        e("v1", 50, { url: "https://app.example.com/dashboard" }),
        e("v1", 49, { url: "https://app.example.com/dashboard/42" }),
        e("v2", 48, { url: "https://app.example.com/dashboard/admin" }),
        e("v2", 47, { url: "https://app.example.com/settings?tab=1" }),
        e("v1", 46, {
          type: "click",
          url: "https://app.example.com/dashboard",
          elementPath: "BUTTON#save.btn < FORM < BODY",
        }),
        e("v2", 45, {
          type: "click",
          url: "https://app.example.com/settings",
          elementPath: "BUTTON.btn.export < DIV < BODY",
        }),
        e("v1", 44, {
          type: "click",
          url: "https://app.example.com/dashboard",
          elementPath: "BUTTON.btn.export < DIV < BODY",
        }),
        e("v1", 43, {
          type: "track",
          trackName: "Registered",
          properties: JSON.stringify({ properties: { plan: "pro" } }),
        }),
        e("v2", 42, { type: "track", trackName: "Other" }),
        e("v1", 41, {
          type: "guideSeen",
          properties: JSON.stringify({ props: { guide_id: "g1", guide_step_id: "s1", reason: "auto" } }),
        }),
        e("v2", 40, {
          type: "pollResponse",
          properties: JSON.stringify({
            props: { guide_id: "g1", guide_step_id: "s2", poll_id: "p1", poll_response: 9 },
          }),
        }),
        e("v3", 39, {
          url: "https://app.example.com/home",
          userAgent:
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
          properties: JSON.stringify({ raw: '{"a":[1,2]}' }),
        }),
      ]);
    });
    after(() => f.close());

    const run = async (pipeline: unknown[]) => (await f.aggregate({ request: { pipeline } })).results;

    test("pageEvents count loads per page by its rules, exclude rules winning", async () => {
      const rows = await run([
        { source: { pageEvents: null, timeSeries: sinceToday } },
        { group: { group: ["pageId", "visitorId"], fields: { n: { sum: "numEvents" } } } },
      ]);
      assert.deepEqual(rows, [
        { pageId: "page-dashboard", visitorId: "v1", n: 2 },
        { pageId: "page-settings", visitorId: "v2", n: 1 },
      ]);
      const one = await run([
        { source: { pageEvents: { pageId: "page-settings" }, timeSeries: sinceToday } },
        { count: null },
      ]);
      assert.deepEqual(one, [{ count: 1 }]);
    });

    test("featureEvents count clicks by selector, on the feature's page unless it is app-wide", async () => {
      const rows = await run([
        { source: { featureEvents: null, timeSeries: sinceToday } },
        { select: { featureId: "featureId", visitorId: "visitorId", numEvents: "numEvents" } },
      ]);
      assert.deepEqual(rows, [
        { featureId: "feature-export", visitorId: "v1", numEvents: 1 },
        { featureId: "feature-save", visitorId: "v1", numEvents: 1 },
      ]);
    });

    test("trackEvents count by track type, with the last event's properties", async () => {
      const rows = await run([
        { source: { trackEvents: null, timeSeries: sinceToday } },
        { select: { trackTypeId: "trackTypeId", visitorId: "visitorId", plan: "properties.plan" } },
      ]);
      assert.deepEqual(rows, [{ trackTypeId: "tt-registered", visitorId: "v1", plan: "pro" }]);
    });

    test("guideEvents and pollEvents: one row per event, filtered by guide", async () => {
      const guide = await run([
        { source: { guideEvents: { guideId: "g1" }, timeSeries: lastWeek } },
        { filter: 'eventSubType(type) == "guideSeen"' },
        {
          select: {
            visitorId: "visitorId",
            guideStepId: "guideStepId",
            reason: "guideSeenReason",
            at: "guideTimestamp",
          },
        },
      ]);
      assert.deepEqual(guide, [
        { visitorId: "v1", guideStepId: "s1", reason: "auto", at: fixtureNow - 41 * 60_000 },
      ]);
      const polls = await run([
        { source: { pollEvents: { pollId: "p1" }, timeSeries: lastWeek } },
        { select: { visitorId: "visitorId", response: "pollResponse" } },
      ]);
      assert.deepEqual(polls, [{ visitorId: "v2", response: 9 }]);
    });

    test("pages, features and trackTypes sources list the definitions", async () => {
      const pages = await run([
        { source: { pages: null } },
        { select: { id: "id", name: "name", kind: "kind" } },
      ]);
      assert.deepEqual(pages, [
        { id: "page-dashboard", name: "Dashboard", kind: "Page" },
        { id: "page-settings", name: "Settings", kind: "Page" },
      ]);
      const guides = await run([{ source: { guides: null } }]);
      assert.deepEqual(guides, []);
    });

    test("group lists and firsts in row order, countIf, percentiles, nested outputs and keys with spaces", async () => {
      const rows = await run([
        { source: { singleEvents: null, timeSeries: sinceToday } },
        { sort: ["browserTime"] },
        {
          group: {
            group: ["visitorId"],
            fields: [
              { types: { list: "type" } },
              { "first type": { first: "type" } },
              { clicks: { countIf: { if: 'type == "click"' } } },
              { "stats.events": { count: null } },
            ],
          },
        },
      ]);
      assert.deepEqual(rows, [
        {
          visitorId: "v1",
          types: ["load", "load", "click", "click", "track"],
          "first type": "load",
          clicks: 2,
          stats: { events: 5 },
        },
        {
          visitorId: "v2",
          types: ["load", "load", "click", "track"],
          "first type": "load",
          clicks: 1,
          stats: { events: 4 },
        },
        { visitorId: "v3", types: ["load"], "first type": "load", clicks: 0, stats: { events: 1 } },
      ]);
      const [p] = await run([
        { source: { singleEvents: null, timeSeries: sinceToday } },
        { reduce: [{ p: { percentiles: { field: "browserTime - now()", median: 50 } } }] },
      ]);
      assert.ok(p && typeof (p.p as { median: number }).median === "number");
    });

    test("unwind explodes a list with its index; keepEmpty keeps rows with none", async () => {
      const rows = await run([
        { source: { singleEvents: null, timeSeries: sinceToday } },
        { filter: 'visitorId == "v1" && type == "load"' },
        { group: { group: ["visitorId"], fields: { urls: { list: "url" } } } },
        { unwind: { field: "urls", index: "i" } },
      ]);
      assert.deepEqual(rows, [
        { visitorId: "v1", urls: "https://app.example.com/dashboard", i: 0 },
        { visitorId: "v1", urls: "https://app.example.com/dashboard/42", i: 1 },
      ]);
      const kept = await run([
        { source: { singleEvents: null, timeSeries: sinceToday } },
        { eval: { parts: 'split(if(visitorId == "v3", "", "a,b"), ",")' } },
        { group: { group: ["visitorId"], fields: { n: { count: null } } } },
        { eval: { none: 'split(visitorId, "x")' } },
        { filter: 'visitorId == "v3"' },
        { unwind: { field: "none", keepEmpty: true } },
      ]);
      assert.deepEqual(kept, [{ visitorId: "v3", n: 1, none: "v3" }]);
    });

    test("spawn and join merge rows by key; width says in how many streams a key must be", async () => {
      const stream = (type: string, out: string) => [
        { source: { singleEvents: null, timeSeries: sinceToday } },
        { filter: `type == "${type}"` },
        { group: { group: ["visitorId"], fields: { [out]: { count: null } } } },
      ];
      const both = await run([
        { spawn: [stream("click", "clicks"), stream("track", "tracks")] },
        { join: { fields: ["visitorId"], width: 2 } },
      ]);
      assert.deepEqual(both, [
        { visitorId: "v1", clicks: 2, tracks: 1 },
        { visitorId: "v2", clicks: 1, tracks: 1 },
      ]);
      const any = await run([
        { spawn: [stream("click", "clicks"), stream("guideSeen", "seen")] },
        { join: { fields: ["visitorId"] } },
      ]);
      assert.deepEqual(any, [
        { visitorId: "v1", clicks: 2, seen: null },
        { visitorId: "v2", clicks: 1, seen: null },
      ]);
      const cat = await run([{ spawn: [stream("click", "n"), stream("track", "n")] }, { cat: null }]);
      assert.equal(cat.length, 4);
    });

    test("fork re-joined with join fields [] crosses the branches' reductions", async () => {
      const rows = await run([
        { source: { singleEvents: null, timeSeries: sinceToday } },
        {
          fork: [
            [{ reduce: { events: { count: null } } }],
            [{ filter: 'type == "click"' }, { reduce: { clicks: { count: null } } }],
          ],
        },
        { join: { fields: [] } },
      ]);
      assert.deepEqual(rows, [{ events: 10, clicks: 3 }]);
    });

    test("merge adds fields from a sub-pipeline by key, with mappings", async () => {
      const rows = await run([
        { source: { pageEvents: null, timeSeries: sinceToday } },
        { group: { group: ["pageId"], fields: { n: { sum: "numEvents" } } } },
        {
          merge: {
            fields: ["pageId"],
            mappings: { pageName: "name" },
            pipeline: [{ source: { pages: null } }, { select: { pageId: "id", name: "name" } }],
          },
        },
      ]);
      assert.deepEqual(rows, [
        { pageId: "page-dashboard", n: 2, pageName: "Dashboard" },
        { pageId: "page-settings", n: 1, pageName: "Settings" },
      ]);
    });

    test("switch, useragent and unmarshal", async () => {
      const rows = await run([
        { source: { singleEvents: null, timeSeries: sinceToday } },
        { filter: 'visitorId == "v3"' },
        {
          switch: {
            who: {
              visitorId: [
                { value: "three", "==": "v3" },
                { value: "one", "==": "v1" },
              ],
            },
          },
        },
        { useragent: { browser: "userAgent" } },
        { unmarshal: { parsed: "properties.raw" } },
        {
          select: {
            who: "who",
            browser: "browser.name",
            version: "browser.version",
            os: "browser.os",
            device: "browser.deviceType",
            second: "parsed.a[1]",
          },
        },
      ]);
      assert.deepEqual(rows, [
        { who: "three", browser: "Safari", version: "17.0", os: "iOS", device: "mobile", second: 2 },
      ]);
    });

    test("expressions: backtick strings, float literals, structured filters, dotted outputs", async () => {
      const rows = await run([
        { source: { events: null, timeSeries: sinceToday } },
        { filter: { field: "visitorId", operator: "==", value: "v2" } },
        { filter: `appId == \`${f.appId}\`` },
        { eval: { "calc.x": "1767225600000.0+3*24*60*60*1000", "calc.y": "numEvents / 0" } },
        { select: { visitorId: "visitorId", x: "calc.x", y: "calc.y" } },
      ]);
      assert.deepEqual(rows, [{ visitorId: "v2", x: 1767484800000, y: null }]);
    });

    test("key-set paging: sort, filter from the last key, limit; the same request gives the same page", async () => {
      const page = async (after: string) =>
        run([
          { source: { singleEvents: null, timeSeries: sinceToday } },
          { group: { group: ["visitorId"] } },
          { sort: ["visitorId"] },
          { filter: `visitorId > "${after}"` },
          { limit: 2 },
        ]);
      const first = await page("");
      assert.deepEqual(first, [{ visitorId: "v1" }, { visitorId: "v2" }]);
      assert.deepEqual(await page(""), first);
      assert.deepEqual(await page("v2"), [{ visitorId: "v3" }]);
      assert.deepEqual(await page("v3"), []);
    });

    test("a group right after a source, answered from the rollups, gives what grouping the source's rows gives", async () => {
      const groups: { group: string[]; fields?: unknown }[] = [
        { group: ["pageId"], fields: { views: { sum: "numEvents" }, visitors: { count: "visitorId" } } },
        { group: ["day", "visitorId"], fields: [{ last: { max: "lastTime" } }, { first: { min: "day" } }] },
        { group: [], fields: { accounts: { count: "accountId" }, n: { sum: "numEvents" } } },
        { group: ["accountId"] },
      ];
      for (const source of ["pageEvents", "events"]) {
        for (const group of groups) {
          if (source === "events" && group.group.includes("pageId")) continue;
          const head = [{ source: { [source]: null, timeSeries: lastWeek } }, { identified: "visitorId" }];
          const direct = await run([...head, { group }]);
          // A filter in between keeps the group on the source's rows.
          const throughRows = await run([...head, { filter: "true" }, { group }]);
          assert.deepEqual(direct, throughRows, JSON.stringify(group));
          assert.ok(direct.length > 0);
        }
      }
    });

    test("a result past the row cap is refused with a hint to page", async () => {
      await assert.rejects(
        f.aggregate(
          { request: { pipeline: [{ source: { singleEvents: null, timeSeries: sinceToday } }] } },
          { maxRows: 3, timeoutMs: 10_000 },
        ),
        (error: unknown) =>
          error instanceof CairnError && error.code === "result_too_large" && /limit/.test(error.hint),
      );
    });

    test("a query past its time budget is cancelled with query_timeout", async () => {
      // Eight streams joined on no key: every combination of their rows, far more than any budget allows.
      const heavy = Array.from({ length: 8 }, (_, i) => [
        { source: { singleEvents: null, timeSeries: sinceToday } },
        { select: { [`t${i}`]: "browserTime" } },
      ]);
      const started = Date.now();
      await assert.rejects(
        f.aggregate(
          { request: { pipeline: [{ spawn: heavy }, { join: { fields: [] } }, { count: null }] } },
          { maxRows: 10, timeoutMs: 200 },
        ),
        (error: unknown) => error instanceof CairnError && error.code === "query_timeout",
      );
      assert.ok(Date.now() - started < 5_000, "cancelled soon after its budget");
    });
  });
}
