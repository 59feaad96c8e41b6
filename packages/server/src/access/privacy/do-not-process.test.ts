import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { encodeJzb } from "../../collect/jzb.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { callApi } from "../../start/test-support/api-calls.js";
import { type KeysOfEveryKind, keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { readEvents } from "../../store/events/event-reads.js";

// A visitor marked "do not process" stops Pendo's agent (guide.json answers 451: guide-delivery.test.ts); the
// collector drops whatever still arrives for them (an agent loaded before the mark, a server-side event).
let cairn: RunningCairn;
let keys: KeysOfEveryKind;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("do-not-process"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { verifier: { pollMs: 50 } });
  keys = await keysOfEveryKind(cairn);
});
after(() => cairn.shutdown());

const mark = (visitorId: string, marked: boolean) =>
  callApi(cairn, "PUT", `/api/v1/metadata/visitor/pendo/value/${visitorId}/donotprocess`, {
    key: keys.integration,
    raw: JSON.stringify(marked),
  });

const beacon = (events: unknown[]) =>
  fetch(`${cairn.publicUrl}/data/ptm.gif/${keys.app}?v=2.0.0&ct=${Date.now()}&jzb=${encodeJzb(events)}`);

const load = (visitorId: string, page: string) => ({
  type: "load",
  visitor_id: visitorId,
  url: `https://app.example.com/${page}`,
  browser_time: Date.now(),
  props: {},
});
const identify = (visitorId: string) => ({
  type: "meta",
  visitor_id: visitorId,
  url: "https://app.example.com/",
  browser_time: Date.now(),
  props: { visitor: { id: visitorId, email: `${visitorId}@example.com` } },
});

const track = (visitorId: string) =>
  fetch(`${cairn.publicUrl}/data/track`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-pendo-integration-key": keys.track },
    body: JSON.stringify({ type: "track", event: "Exported", visitorId, timestamp: Date.now() }),
  });

async function storedOf(visitorId: string): Promise<string[]> {
  await cairn.writer.flush();
  const events = await readEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id });
  return events.filter((e) => e.visitorId === visitorId).map((e) => e.url ?? e.trackName ?? e.type);
}

/** The change reaches the loader within its cache's poll (50 ms here). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

test("a marked visitor's events are answered as delivered but never stored, nor their metadata", async () => {
  assert.equal((await mark("v-gone", true)).status, 200);
  await settle();
  const dropsBefore = cairn.drops.get("do_not_process") ?? 0;
  const sent = await beacon([identify("v-gone"), load("v-gone", "a"), load("v-kept", "a")]);
  assert.equal(sent.status, 200, "the agent is not told");
  const tracked = await track("v-gone");
  assert.equal(tracked.status, 200);

  assert.deepEqual(await storedOf("v-gone"), []);
  assert.deepEqual(await storedOf("v-kept"), ["https://app.example.com/a"]);
  assert.equal((cairn.drops.get("do_not_process") ?? 0) - dropsBefore, 3, "two beacon events and a track");
  const profile = await callApi(cairn, "GET", "/api/v1/visitor/v-gone", { key: keys.integration });
  assert.equal(profile.status, 404, "no visitor record from the identify event");
});

test("once the mark is cleared, the visitor's new events are stored again", async () => {
  assert.equal((await mark("v-back", true)).status, 200);
  await settle();
  await beacon([load("v-back", "while-marked")]);
  assert.deepEqual(await storedOf("v-back"), []);
  assert.equal((await mark("v-back", false)).status, 200);
  await settle();
  await beacon([load("v-back", "after")]);
  assert.equal((await track("v-back")).status, 200);
  assert.deepEqual((await storedOf("v-back")).sort(), ["Exported", "https://app.example.com/after"]);
});
