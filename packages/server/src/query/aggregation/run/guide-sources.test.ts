import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { normaliseAgentEvent } from "../../../ingest/agent-event.js";
import type { StoredEvent } from "../../../store/events/stored-event.js";
import {
  type AggregationFixture,
  aggregationFixture,
  fixtureEngines,
  fixtureNow,
} from "../test-support/aggregation-fixture.js";

const lastWeek = { period: "dayRange", first: "now() - 6 * 24 * 60 * 60 * 1000", count: 7 };
const minute = 60_000;
/** An hour before the fixture's now: where v1's walk through the welcome guide starts. */
const t0 = fixtureNow - 60 * minute;
/** Ten days back: outside `lastWeek`, inside every `…Ever` source. */
const old = fixtureNow - 10 * 24 * 60 * minute;
const url = "https://app.example.com/home";

for (const engine of fixtureEngines) {
  describe(`guide sources: the six read the guide events the agent sends (agent-wire.md §7.5): ${engine}`, () => {
    let f: AggregationFixture;
    before(async () => {
      f = await aggregationFixture(undefined, { engine });
      /** One guide.gif / poll.gif event as the agent sends it, stored through the ingest's own normaliser. */
      const beacon = (
        type: string,
        visitorId: string,
        at: number,
        props: Record<string, unknown>,
        excluded = false,
      ): StoredEvent => {
        const raw = {
          type,
          visitor_id: visitorId,
          account_id: "acme",
          browser_time: at,
          url,
          props,
          parentTabId: null,
          tabId: "9nuooDYUDjDns1zv",
          sessionId: "fTVwj86XbPNX3LEa",
          utm: { channel: "Direct" },
        };
        const received = normaliseAgentEvent(raw, {
          subscriptionId: f.subscriptionId,
          appId: f.appId,
          receivedAt: at + 100,
          ip: "203.0.113.7",
          userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0",
          isBot: false,
          batchKey: null,
        });
        if (!received.ok) throw new Error(`${type} dropped: ${received.reason}`);
        return { ...received.event, excluded };
      };
      const w = { guide_id: "guideWelcome01" };
      await f.load([
        // Long ago: v1 saw the first step and closed it.
        beacon("guideSeen", "v1", old, { ...w, guide_step_id: "stepA1", reason: "auto", duration: 0 }),
        beacon("guideDismissed", "v1", old + minute, {
          ...w,
          guide_step_id: "stepA1",
          seen_reason: "auto",
          duration: 60_000,
        }),
        // The captured walk (§7.5): seen, Next, the second step with a poll, on to the third, closed.
        beacon("guideSeen", "v1", t0, {
          ...w,
          guide_step_id: "stepA1",
          reason: "auto",
          last_updated_at: 1795416039809,
          language: "en",
          duration: 2,
        }),
        beacon("guideActivity", "v1", t0 + 4643, {
          ...w,
          guide_step_id: "stepA1",
          ui_element_id: "pendo-button-stepA1-next",
          ui_element_type: "BUTTON",
          ui_element_actions: [{ action: "advanceGuide" }],
          duration: 4643,
          ui_element_text: "Next",
        }),
        beacon("guideAdvanced", "v1", t0 + 4645, {
          ...w,
          guide_step_id: "stepA1",
          seen_reason: "auto",
          destination_step_id: "stepA2",
          duration: 4645,
        }),
        beacon("guideSeen", "v1", t0 + 5000, {
          ...w,
          guide_step_id: "stepA2",
          reason: "continue",
          last_updated_at: 1795416039809,
          step_poll_types: ["FreeForm"],
          duration: 0,
        }),
        beacon("pollResponse", "v1", t0 + 6070, {
          ...w,
          guide_step_id: "stepA2",
          poll_id: "poll1",
          poll_response: "great product",
          duration: 1070,
          poll_type: "FreeForm",
        }),
        beacon("guideSeen", "v1", t0 + 10 * minute, {
          ...w,
          guide_step_id: "stepA2",
          reason: "continue",
          duration: 0,
        }),
        beacon("guideAdvanced", "v1", t0 + 11 * minute, {
          ...w,
          guide_step_id: "stepA2",
          seen_reason: "continue",
          destination_step_id: "stepA3",
          duration: 60_000,
        }),
        beacon("guideSeen", "v1", t0 + 11 * minute + 1, {
          ...w,
          guide_step_id: "stepA3",
          reason: "continue",
          duration: 0,
        }),
        beacon("guideActivity", "v1", t0 + 13 * minute, {
          ...w,
          guide_step_id: "stepA3",
          ui_element_id: "pendo-close-guide-stepA3",
          ui_element_type: "BUTTON",
          ui_element_actions: [{ action: "dismissGuide" }],
          duration: 1060,
        }),
        beacon("guideDismissed", "v1", t0 + 13 * minute + 1, {
          ...w,
          guide_step_id: "stepA3",
          seen_reason: "continue",
          duration: 1060,
        }),
        // v2: the welcome guide timed out; a banner snoozed for an hour; a numeric NPS answer.
        beacon("guideSeen", "v2", t0 + 20 * minute, { ...w, guide_step_id: "stepA1", reason: "auto" }),
        beacon("guideTimeout", "v2", t0 + 21 * minute, {
          ...w,
          guide_step_id: "stepA1",
          seen_reason: "auto",
          guideSeenTimeoutLength: 60_000,
        }),
        beacon("guideSeen", "v2", t0 + 22 * minute, {
          guide_id: "gBanner",
          guide_step_id: "b1",
          reason: "badge",
        }),
        beacon("guideSnoozed", "v2", t0 + 23 * minute, {
          guide_id: "gBanner",
          guide_step_id: "b1",
          seen_reason: "badge",
          snooze_duration: 3_600_000,
        }),
        beacon("pollResponse", "v2", t0 + 24 * minute, {
          guide_id: "gNps",
          guide_step_id: "n1",
          poll_id: "pScore",
          poll_response: 9,
          poll_type: "NPSRating",
        }),
        // v3's events matched the Exclude List; v4 is in an experiment's control group.
        beacon("guideSeen", "v3", t0 + 30 * minute, { ...w, guide_step_id: "stepA1", reason: "auto" }, true),
        beacon("guideNotSeen", "v4", t0 + 31 * minute, { ...w, guide_step_id: "stepA1", reason: "control" }),
      ]);
    });
    after(() => f.close());

    const run = async (pipeline: unknown[]) => (await f.aggregate({ request: { pipeline } })).results;

    test("guideEvents: every guide event type, with its props under Pendo's field names", async () => {
      const rows = await run([
        { source: { guideEvents: { blacklist: "ignore" }, timeSeries: lastWeek } },
        { filter: 'visitorId == "v1" || type == "guideTimeout" || type == "guideSnoozed"' },
        {
          select: {
            type: "type",
            browserTime: "browserTime",
            guideId: "guideId",
            guideStepId: "guideStepId",
            guideSeenReason: "guideSeenReason",
            destinationStepId: "destinationStepId",
            language: "language",
            uiElementId: "uiElementId",
            uiElementType: "uiElementType",
            uiElementText: "uiElementText",
            uiElementActions: "uiElementActions",
          },
        },
      ]);
      const row = (
        type: string,
        browserTime: number,
        guideStepId: string,
        more: Record<string, unknown> = {},
      ) => ({
        type,
        browserTime,
        guideId: more.guideId ?? "guideWelcome01",
        guideStepId,
        guideSeenReason: null,
        destinationStepId: null,
        language: null,
        uiElementId: null,
        uiElementType: null,
        uiElementText: null,
        uiElementActions: null,
        ...more,
      });
      assert.deepEqual(rows, [
        row("guideSeen", t0, "stepA1", { guideSeenReason: "auto", language: "en" }),
        row("guideActivity", t0 + 4643, "stepA1", {
          uiElementId: "pendo-button-stepA1-next",
          uiElementType: "BUTTON",
          uiElementText: "Next",
          uiElementActions: '[{"action":"advanceGuide"}]',
        }),
        row("guideAdvanced", t0 + 4645, "stepA1", { guideSeenReason: "auto", destinationStepId: "stepA2" }),
        row("guideSeen", t0 + 5000, "stepA2", { guideSeenReason: "continue" }),
        row("guideSeen", t0 + 10 * minute, "stepA2", { guideSeenReason: "continue" }),
        row("guideAdvanced", t0 + 11 * minute, "stepA2", {
          guideSeenReason: "continue",
          destinationStepId: "stepA3",
        }),
        row("guideSeen", t0 + 11 * minute + 1, "stepA3", { guideSeenReason: "continue" }),
        row("guideActivity", t0 + 13 * minute, "stepA3", {
          uiElementId: "pendo-close-guide-stepA3",
          uiElementType: "BUTTON",
          uiElementActions: '[{"action":"dismissGuide"}]',
        }),
        row("guideDismissed", t0 + 13 * minute + 1, "stepA3", { guideSeenReason: "continue" }),
        row("guideTimeout", t0 + 21 * minute, "stepA1", { guideSeenReason: "auto" }),
        row("guideSnoozed", t0 + 23 * minute, "b1", { guideId: "gBanner", guideSeenReason: "badge" }),
      ]);
      const types = await run([
        { source: { guideEvents: { blacklist: "ignore" }, timeSeries: lastWeek } },
        { group: { group: ["type"], fields: { n: { count: null } } } },
        { sort: ["type"] },
      ]);
      assert.deepEqual(types, [
        { type: "guideActivity", n: 2 },
        { type: "guideAdvanced", n: 2 },
        { type: "guideDismissed", n: 1 },
        { type: "guideNotSeen", n: 1 },
        { type: "guideSeen", n: 7 },
        { type: "guideSnoozed", n: 1 },
        { type: "guideTimeout", n: 1 },
      ]);
    });

    test("pollEvents: each response with its poll, type and value (a string or a number, as sent)", async () => {
      const rows = await run([
        { source: { pollEvents: null, timeSeries: lastWeek } },
        {
          select: {
            type: "type",
            visitorId: "visitorId",
            accountId: "accountId",
            browserTime: "browserTime",
            guideId: "guideId",
            guideStepId: "guideStepId",
            pollId: "pollId",
            pollType: "pollType",
            pollResponse: "pollResponse",
            url: "url",
          },
        },
      ]);
      assert.deepEqual(rows, [
        {
          type: "pollResponse",
          visitorId: "v1",
          accountId: "acme",
          browserTime: t0 + 6070,
          guideId: "guideWelcome01",
          guideStepId: "stepA2",
          pollId: "poll1",
          pollType: "FreeForm",
          pollResponse: "great product",
          url,
        },
        {
          type: "pollResponse",
          visitorId: "v2",
          accountId: "acme",
          browserTime: t0 + 24 * minute,
          guideId: "gNps",
          guideStepId: "n1",
          pollId: "pScore",
          pollType: "NPSRating",
          pollResponse: 9,
          url,
        },
      ]);
    });

    const seen = (
      visitorId: string,
      guideId: string,
      guideStepId: string,
      more: Record<string, unknown>,
    ) => ({
      accountId: "acme",
      appId: f.appId,
      visitorId,
      guideId,
      guideStepId,
      firstSeenAt: null,
      lastSeenAt: null,
      lastAdvancedAutoAt: null,
      lastDismissedAutoAt: null,
      lastTimeoutAt: null,
      lastState: null,
      seenCount: 0,
      ...more,
    });

    test("guidesSeen: one row per visitor, guide and step in the time series, the Exclude List applied", async () => {
      const rows = await run([{ source: { guidesSeen: null, timeSeries: lastWeek } }]);
      assert.deepEqual(rows, [
        seen("v1", "guideWelcome01", "stepA1", {
          firstSeenAt: t0,
          lastSeenAt: t0,
          lastAdvancedAutoAt: t0 + 4645,
          lastState: "advanced",
          seenCount: 1,
        }),
        seen("v1", "guideWelcome01", "stepA2", {
          firstSeenAt: t0 + 5000,
          lastSeenAt: t0 + 10 * minute,
          lastState: "advanced",
          seenCount: 2,
        }),
        seen("v1", "guideWelcome01", "stepA3", {
          firstSeenAt: t0 + 11 * minute + 1,
          lastSeenAt: t0 + 11 * minute + 1,
          lastState: "dismissed",
          seenCount: 1,
        }),
        seen("v2", "gBanner", "b1", {
          firstSeenAt: t0 + 22 * minute,
          lastSeenAt: t0 + 22 * minute,
          lastState: "snoozed",
          seenCount: 1,
        }),
        seen("v2", "guideWelcome01", "stepA1", {
          firstSeenAt: t0 + 20 * minute,
          lastSeenAt: t0 + 20 * minute,
          lastTimeoutAt: t0 + 21 * minute,
          lastState: "active",
          seenCount: 1,
        }),
      ]);
      const only = await run([
        { source: { guidesSeen: { blacklist: "only", guideId: "guideWelcome01" }, timeSeries: lastWeek } },
        { select: { visitorId: "visitorId", guideStepId: "guideStepId", lastState: "lastState" } },
      ]);
      assert.deepEqual(only, [{ visitorId: "v3", guideStepId: "stepA1", lastState: "active" }]);
      const step = await run([
        {
          source: { guidesSeen: { guideId: "guideWelcome01", guideStepId: "stepA1" }, timeSeries: lastWeek },
        },
        { select: { visitorId: "visitorId", seenCount: "seenCount" } },
      ]);
      assert.deepEqual(step, [
        { visitorId: "v1", seenCount: 1 },
        { visitorId: "v2", seenCount: 1 },
      ]);
    });

    test("guidesSeenEver: the same over all time, with no time series", async () => {
      const rows = await run([
        { source: { guidesSeenEver: { guideId: "guideWelcome01", guideStepId: "stepA1" } } },
      ]);
      assert.deepEqual(rows, [
        seen("v1", "guideWelcome01", "stepA1", {
          firstSeenAt: old,
          lastSeenAt: t0,
          lastAdvancedAutoAt: t0 + 4645,
          lastDismissedAutoAt: old + minute,
          lastState: "advanced",
          seenCount: 2,
        }),
        seen("v2", "guideWelcome01", "stepA1", {
          firstSeenAt: t0 + 20 * minute,
          lastSeenAt: t0 + 20 * minute,
          lastTimeoutAt: t0 + 21 * minute,
          lastState: "active",
          seenCount: 1,
        }),
      ]);
      const counted = await run([
        { source: { guidesSeenEver: null } },
        { reduce: { rows: { count: null }, seen: { sum: "seenCount" } } },
      ]);
      assert.deepEqual(counted, [{ rows: 5, seen: 7 }]);
    });

    test("pollsSeen and pollsSeenEver: the latest response per visitor, guide and poll", async () => {
      const inWeek = await run([{ source: { pollsSeen: null, timeSeries: lastWeek } }]);
      const ever = await run([{ source: { pollsSeenEver: null } }]);
      const expected = [
        {
          accountId: "acme",
          appId: f.appId,
          guideId: "guideWelcome01",
          pollId: "poll1",
          response: "great product",
          time: t0 + 6070,
          visitorId: "v1",
        },
        {
          accountId: "acme",
          appId: f.appId,
          guideId: "gNps",
          pollId: "pScore",
          response: 9,
          time: t0 + 24 * minute,
          visitorId: "v2",
        },
      ];
      assert.deepEqual(inWeek, expected);
      assert.deepEqual(ever, expected);
    });
  });
}
