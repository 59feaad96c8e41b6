import assert from "node:assert/strict";
import { test } from "node:test";
import { sampleEvent } from "../start/test-support/sample-events.js";
import { cleanMetadata, mergeProfilePatches, profilePatches } from "./profile-patches.js";

const chrome =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36";
const firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";

const meta = (at: number, visitor: object, account: object) =>
  sampleEvent({
    type: "meta",
    occurredAt: at,
    visitorId: "v1",
    accountId: "acme",
    properties: JSON.stringify({ props: { visitor, account, date: "23/11/2026" } }),
  });

test("meta events merge in order into one patch per visitor and account; ids and odd values are left out", () => {
  const patches = profilePatches([
    meta(
      1_000,
      { id: "v1", email: "a@b.c", full_name: "Ann", language: "en_US" },
      { id: "acme", plan: "free" },
    ),
    sampleEvent({ type: "click", occurredAt: 1_500, visitorId: "v1", accountId: "acme", properties: "{}" }),
    // updateOptions sends only what changed (agent-wire.md §5.2): the earlier fields must survive.
    meta(
      2_000,
      { id: "v1", role: "admin", nested: { no: 1 }, tags: ["a", 1, { x: 1 }] },
      { id: "acme", plan: "pro" },
    ),
  ]);
  assert.equal(patches.visitors.length, 1);
  assert.deepEqual(JSON.parse(patches.visitors[0]?.agentMetadata ?? "null"), {
    email: "a@b.c",
    full_name: "Ann",
    language: "en_US",
    role: "admin",
    tags: ["a", 1],
  });
  assert.equal(patches.accounts.length, 1);
  assert.deepEqual(JSON.parse(patches.accounts[0]?.agentMetadata ?? "null"), { plan: "pro" });
  assert.equal(patches.accounts[0]?.firstVisit, 1_000);
  assert.equal(patches.accounts[0]?.lastVisit, 2_000);
});

test("first and last visit span the events; last-seen fields come from the latest event, browser parsed", () => {
  const patches = profilePatches([
    sampleEvent({
      visitorId: "v1",
      occurredAt: 5_000,
      userAgent: firefox,
      url: "https://new.example.com/x",
      appId: "app_b",
    }),
    sampleEvent({
      visitorId: "v1",
      occurredAt: 3_000,
      userAgent: chrome,
      url: "https://old.example.com/",
      appId: "app_a",
    }),
    sampleEvent({ visitorId: "v2", occurredAt: 4_000, accountId: null, userAgent: null, url: "not a url" }),
  ]);
  const v1 = patches.visitors.find((v) => v.visitorId === "v1");
  assert.equal(v1?.firstVisit, 3_000);
  assert.equal(v1?.lastVisit, 5_000);
  assert.equal(v1?.lastAppId, "app_b");
  assert.equal(v1?.lastBrowserName, "Firefox");
  assert.equal(v1?.lastBrowserVersion, "140.0");
  assert.equal(v1?.lastOperatingSystem, "Windows");
  assert.equal(v1?.lastServerName, "new.example.com");
  assert.equal(v1?.agentMetadata, null, "no meta event, nothing to merge");
  const v2 = patches.visitors.find((v) => v.visitorId === "v2");
  assert.equal(v2?.lastServerName, null);
  assert.equal(v2?.lastBrowserName, null);
  assert.equal(
    patches.accounts.some((a) => a.accountId === null),
    false,
  );
});

test("identify from an anonymous id aliases it; identified-to-identified does not", () => {
  const identify = (oldId: unknown, visitorId: string) =>
    sampleEvent({
      type: "identify",
      visitorId,
      occurredAt: 9_000,
      properties: JSON.stringify({
        props: { old_visitor_id: oldId, visitor_id: visitorId, account_id: "acme" },
      }),
    });
  const passedIn = {
    subscriptionId: "sub_test",
    anonymousId: "_PENDO_T_guide",
    visitorId: "v9",
    aliasedAt: 1,
  };
  const patches = profilePatches(
    [identify("_PENDO_T_Apjtnn16RgG", "v2"), identify("v1", "v3"), identify(42, "v4")],
    [passedIn],
  );
  assert.deepEqual(patches.aliases, [
    passedIn,
    { subscriptionId: "sub_test", anonymousId: "_PENDO_T_Apjtnn16RgG", visitorId: "v2", aliasedAt: 9_000 },
  ]);
});

test("cleanMetadata bounds names, values and field count", () => {
  const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, i]));
  assert.equal(Object.keys(cleanMetadata(many)).length, 256);
  const cleaned = cleanMetadata({ ["x".repeat(129)]: 1, long: "y".repeat(5_000), nan: Number.NaN, ok: true });
  assert.deepEqual(Object.keys(cleaned), ["long", "ok"]);
  assert.equal((cleaned.long as string).length, 2_048);
  assert.deepEqual(cleanMetadata("not an object"), {});
});

test("patches of several batches merge as if their events had come in one", () => {
  const first = [
    meta(1_000, { id: "v1", email: "a@b.c", plan: "free" }, { id: "acme", name: "Acme" }),
    sampleEvent({
      visitorId: "v1",
      accountId: "acme",
      occurredAt: 1_500,
      userAgent: chrome,
      url: "https://a.example.com/",
    }),
  ];
  const second = [
    meta(3_000, { id: "v1", plan: "pro" }, { id: "acme", tier: 2 }),
    sampleEvent({
      visitorId: "v1",
      accountId: "acme",
      occurredAt: 500,
      userAgent: firefox,
      url: "https://old.example.com/",
    }),
  ];
  const alias = { subscriptionId: "sub_test", anonymousId: "_PENDO_T_x", visitorId: "v1", aliasedAt: 9 };
  const merged = mergeProfilePatches([profilePatches(first), profilePatches(second, [alias])]);
  const together = profilePatches([...first, ...second], [alias]);
  assert.deepEqual(merged.aliases, together.aliases);
  assert.equal(merged.visitors.length, 1);
  const [visitor] = merged.visitors;
  const [expected] = together.visitors;
  assert.deepEqual(
    { ...visitor, agentMetadata: JSON.parse(visitor?.agentMetadata ?? "null") },
    {
      ...expected,
      agentMetadata: JSON.parse(expected?.agentMetadata ?? "null"),
    },
  );
  assert.deepEqual(JSON.parse(visitor?.agentMetadata ?? "null"), { email: "a@b.c", plan: "pro" });
  assert.equal(visitor?.firstVisit, 500);
  assert.equal(visitor?.lastVisit, 3_000);
  assert.deepEqual(JSON.parse(merged.accounts[0]?.agentMetadata ?? "null"), { name: "Acme", tier: 2 });
});

test("guide events become guide step states in event order; other guide events and ones without ids do not", () => {
  const guideEvent = (type: string, at: number, props: object) =>
    sampleEvent({ type, occurredAt: at, visitorId: "v1", properties: JSON.stringify({ props }) });
  const ids = { guide_id: "g1", guide_step_id: "s1" };
  const patches = profilePatches([
    guideEvent("guideSeen", 1_000, { ...ids, reason: "auto", last_updated_at: 5, duration: 2 }),
    guideEvent("guideActivity", 1_100, { ...ids, ui_element_actions: [{ action: "advanceGuide" }] }),
    guideEvent("guideAdvanced", 1_200, { ...ids, seen_reason: "auto", destination_step_id: "s2" }),
    guideEvent("guideSnoozed", 1_300, { ...ids, seen_reason: "badge" }),
    guideEvent("guideSnoozed", 1_400, { ...ids, seen_reason: "auto", snooze_duration: 60_000 }),
    guideEvent("guideSnoozeCanceled", 1_500, { ...ids, seen_reason: "auto" }),
    guideEvent("guideDismissed", 1_600, { ...ids, seen_reason: "auto", destination_step_id: "ignored" }),
    guideEvent("guideTimeout", 1_700, { ...ids, seen_reason: "auto" }),
    guideEvent("guideSeen", 1_800, { guide_id: "g1", reason: "auto" }),
  ]);
  const common = {
    subscriptionId: "sub_test",
    appId: "app_test",
    visitorId: "v1",
    guideId: "g1",
    stepId: "s1",
  };
  const none = { destinationStepId: null, snoozeEndTime: null, dismissals: 0 };
  assert.deepEqual(patches.guideStates, [
    { ...common, ...none, state: "active", at: 1_000, seenReason: "auto" },
    { ...common, ...none, state: "advanced", at: 1_200, seenReason: "auto", destinationStepId: "s2" },
    {
      ...common,
      ...none,
      state: "snoozed",
      at: 1_300,
      seenReason: "badge",
      snoozeEndTime: 1_300 + 86_400_000,
    },
    { ...common, ...none, state: "snoozed", at: 1_400, seenReason: "auto", snoozeEndTime: 61_400 },
    { ...common, ...none, state: "active", at: 1_500, seenReason: "auto" },
    { ...common, ...none, state: "dismissed", at: 1_600, seenReason: "auto", dismissals: 1 },
  ]);
  assert.equal(profilePatches([guideEvent("click", 1, ids)]).guideStates, undefined, "absent when none");
  const merged = mergeProfilePatches([
    patches,
    profilePatches([]),
    profilePatches([guideEvent("guideSeen", 900, { ...ids, reason: "continue" })]),
  ]);
  assert.deepEqual(
    merged.guideStates?.map((g) => g.at),
    [1_000, 1_200, 1_300, 1_400, 1_500, 1_600, 900],
    "kept in order, not folded",
  );
});
