import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { setFeedbackWidget } from "../../access/apps/app-keys.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { defaultWidgetLimits } from "./widget-limits.js";

let cairn: RunningCairn;
let appKey: string;
let feedbackKey: string;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("idea-list-cache"), port: "0", logLevel: "warn" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { widgetLimits: { ...defaultWidgetLimits, listCacheMs: 400 } });
  const keys = await keysOfEveryKind(cairn);
  appKey = keys.app;
  feedbackKey = keys.feedback;
  await setFeedbackWidget(cairn.metadata.db, {
    subscriptionId: cairn.installation.subscription.id,
    appId: cairn.installation.app.id,
    enabled: true,
    actor: "test",
  });
  await sleep(400);
});
after(() => cairn.shutdown());

async function listedTitles(): Promise<string[]> {
  const answer = await fetch(`${cairn.publicUrl}/data/feedback/${appKey}/ideas`);
  assert.equal(answer.status, 200);
  return ((await answer.json()) as { ideas: { title: string }[] }).ideas.map((idea) => idea.title);
}

test("the panel's idea list is read once per app per few seconds; the panel's own writes show at once", async () => {
  assert.deepEqual(await listedTitles(), []);
  const made = await fetch(`${cairn.publicUrl}/api/v1/ideas`, {
    method: "POST",
    headers: { "x-pendo-integration-key": feedbackKey, "content-type": "application/json" },
    body: JSON.stringify({ title: "From the API" }),
  });
  assert.equal(made.status, 201);
  assert.deepEqual(await listedTitles(), [], "served from the app's copy, not read again");
  await sleep(450);
  assert.deepEqual(await listedTitles(), ["From the API"], "read again once the copy is old");

  const sent = await fetch(`${cairn.publicUrl}/data/feedback/${appKey}/ideas`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: { id: "visitor-1" }, title: "From the panel" }),
  });
  assert.equal(sent.status, 201, await sent.text());
  assert.deepEqual((await listedTitles()).sort(), ["From the API", "From the panel"]);
});
