import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import type { GuideReset } from "../store/profiles/guide-step-states.js";
import { encodeJzb } from "./jzb.js";

let cairn: RunningCairn;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("guide-state"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { verifier: { pollMs: 50 } });
});
after(() => cairn.shutdown());

/** A minute ago, so browser times are recent and every one of them is kept as sent. */
const t0 = Date.now() - 60_000;

/** A guide event as the agent's createGuideEvent shapes it (agent-wire.md §7.5). */
function guideEvent(visitorId: string, type: string, at: number, props: Record<string, unknown>) {
  return {
    type,
    visitor_id: visitorId,
    account_id: "acme",
    browser_time: at,
    url: "http://127.0.0.1:44601/?data=x",
    props: { guide_id: "guideWelcome01", duration: 0, ...props },
    parentTabId: null,
    tabId: "9nuooDYUDjDns1zv",
    frameId: "3r0MBOwHGsRwCWQg",
    sessionId: "fTVwj86XbPNX3LEa",
    utm: { channel: "Direct" },
    sequence: 0,
  };
}

/** One GET guide.gif beacon (jzb), loaded before it returns. */
async function sendGuideBeacon(events: object[]): Promise<void> {
  const { appKey } = cairn.installation.app;
  const response = await fetch(
    `${cairn.publicUrl}/data/guide.gif/${appKey}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(events)}`,
  );
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  await cairn.writer.flush();
}

function statesOf(visitorId: string, resets?: GuideReset[]) {
  return cairn.profiles.guideStatesOf({
    subscriptionId: cairn.installation.subscription.id,
    appId: cairn.installation.app.id,
    visitorId,
    ...(resets ? { resets } : {}),
  });
}

const brief = (steps: Awaited<ReturnType<typeof statesOf>>["steps"]) =>
  steps.map((s) => [s.stepId, s.state, s.lastSeenAt - t0, s.dismissCount]);

test("guide.gif beacons walk a visitor's steps: seen, advanced, seen, dismissed; the newest is lastGuideStepSeen", async () => {
  await sendGuideBeacon([
    guideEvent("v-walk", "guideSeen", t0, {
      guide_step_id: "stepA1",
      reason: "auto",
      last_updated_at: 1795416039809,
      duration: 2,
    }),
  ]);
  assert.deepEqual(brief((await statesOf("v-walk")).steps), [["stepA1", "active", 0, 0]]);
  // The captured "Next" batch: guideActivity (no state), guideAdvanced, guideSeen of the next step.
  await sendGuideBeacon([
    guideEvent("v-walk", "guideActivity", t0 + 4_643, {
      guide_step_id: "stepA1",
      ui_element_id: "pendo-button-stepA1-next",
      ui_element_type: "BUTTON",
      ui_element_actions: [{ action: "advanceGuide" }],
      ui_element_text: "Next",
    }),
    guideEvent("v-walk", "guideAdvanced", t0 + 4_645, {
      guide_step_id: "stepA1",
      seen_reason: "auto",
      destination_step_id: "stepA2",
    }),
    guideEvent("v-walk", "guideSeen", t0 + 4_645, {
      guide_step_id: "stepA2",
      reason: "continue",
      step_poll_types: ["FreeForm"],
    }),
  ]);
  const walking = await statesOf("v-walk");
  assert.deepEqual(brief(walking.steps), [
    ["stepA1", "advanced", 4_645, 0],
    ["stepA2", "active", 4_645, 0],
  ]);
  assert.equal(walking.steps[0]?.destinationStepId, "stepA2");
  assert.deepEqual(walking.lastGuideStepSeen, {
    guideId: "guideWelcome01",
    guideStepId: "stepA2",
    time: t0 + 4_645,
    state: "active",
    seenReason: "continue",
    visitorId: "v-walk",
  });
  await sendGuideBeacon([
    guideEvent("v-walk", "guideDismissed", t0 + 6_000, { guide_step_id: "stepA2", seen_reason: "auto" }),
  ]);
  const done = await statesOf("v-walk");
  assert.deepEqual(brief(done.steps), [
    ["stepA1", "advanced", 4_645, 0],
    ["stepA2", "dismissed", 6_000, 1],
  ]);
  assert.deepEqual(
    [done.lastGuideStepSeen?.guideStepId, done.lastGuideStepSeen?.state],
    ["stepA2", "dismissed"],
  );

  // Resets: of this guide after the advance leave the dismissal only; of every guide later, nothing.
  assert.deepEqual(brief((await statesOf("v-walk", [{ guideId: "guideWelcome01", at: t0 + 5_000 }])).steps), [
    ["stepA2", "dismissed", 6_000, 1],
  ]);
  assert.deepEqual(
    brief((await statesOf("v-walk", [{ guideId: "another", at: t0 + 9_000 }])).steps).length,
    2,
  );
  assert.deepEqual(await statesOf("v-walk", [{ guideId: null, at: t0 + 9_000 }]), {
    steps: [],
    lastGuideStepSeen: null,
  });
});

test("a snooze ends at browser time + snooze_duration; each dismissal counts; an older event arriving late changes no state", async () => {
  await sendGuideBeacon([
    guideEvent("v-late", "guideSnoozed", t0 + 1_000, {
      guide_step_id: "stepA1",
      seen_reason: "auto",
      snooze_duration: 3_600_000,
    }),
    guideEvent("v-late", "guideDismissed", t0 + 3_000, { guide_step_id: "stepA3", seen_reason: "auto" }),
  ]);
  const snoozed = (await statesOf("v-late")).steps[0];
  assert.deepEqual([snoozed?.state, snoozed?.snoozeEndTime], ["snoozed", t0 + 1_000 + 3_600_000]);
  // From another device, earlier: seen and dismissed before, arriving now.
  await sendGuideBeacon([
    guideEvent("v-late", "guideSeen", t0 + 500, { guide_step_id: "stepA1", reason: "auto" }),
    guideEvent("v-late", "guideSeen", t0 + 2_000, { guide_step_id: "stepA3", reason: "auto" }),
    guideEvent("v-late", "guideDismissed", t0 + 2_500, { guide_step_id: "stepA3", seen_reason: "auto" }),
  ]);
  const states = await statesOf("v-late");
  assert.deepEqual(brief(states.steps), [
    ["stepA1", "snoozed", 1_000, 0],
    ["stepA3", "dismissed", 3_000, 2],
  ]);
  assert.equal(states.steps[0]?.snoozeEndTime, t0 + 3_601_000);
  assert.equal(states.lastGuideStepSeen?.guideStepId, "stepA3");

  // A replay of an applied sequence (as after a crash) changes nothing, dismissals included.
  const sequence = await cairn.profiles.loadedSequence();
  await cairn.profiles.apply({
    patches: {
      visitors: [],
      accounts: [],
      aliases: [],
      guideStates: [
        {
          subscriptionId: cairn.installation.subscription.id,
          appId: cairn.installation.app.id,
          visitorId: "v-late",
          guideId: "guideWelcome01",
          stepId: "stepA3",
          state: "dismissed",
          at: t0 + 2_500,
          seenReason: "auto",
          destinationStepId: null,
          snoozeEndTime: null,
          dismissals: 1,
        },
      ],
    },
    sequence,
  });
  assert.deepEqual(await statesOf("v-late"), states);
});

test("an anonymous visitor's dismissal follows it once guide.json names it as the identified visitor's old id", async () => {
  await sendGuideBeacon([
    guideEvent("_PENDO_T_guideanon", "guideDismissed", t0 + 1_000, {
      guide_step_id: "stepA1",
      seen_reason: "auto",
    }),
  ]);
  assert.deepEqual((await statesOf("v-known")).steps, []);
  const jzb = encodeJzb({
    visitorId: "v-known",
    accountId: "acme",
    url: "http://x/",
    oldVisitorId: "_PENDO_T_guideanon",
  });
  const response = await fetch(
    `${cairn.publicUrl}/data/guide.json/${cairn.installation.app.appKey}?id=1&jzb=${jzb}&v=x&ct=1`,
  );
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  await cairn.writer.flush();
  const states = await statesOf("v-known");
  assert.deepEqual(brief(states.steps), [["stepA1", "dismissed", 1_000, 1]]);
  assert.equal(states.lastGuideStepSeen?.visitorId, "v-known");
});
