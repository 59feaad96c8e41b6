import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { type KeysOfEveryKind, keysOfEveryKind } from "../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { readEvents } from "../store/events/event-reads.js";
import { encodeJzb } from "./jzb.js";

let cairn: RunningCairn;
let keys: KeysOfEveryKind;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("agentic"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  keys = await keysOfEveryKind(cairn);
});
after(() => cairn.shutdown());

const conversation = { agentId: "agent-1", conversationId: "conv-1" };
const prompt = {
  type: "prompt",
  visitorId: "agentic-visitor",
  accountId: "acme",
  timestamp: 1795416042455.5,
  props: { ...conversation, messageId: "m1", content: "How do I export?", modelUsed: "x-1" },
  context: null,
  ip: "10.2.3.4",
  userAgent: "python-requests/2.31",
};

function agentic(body: unknown, key: string | null = keys.track) {
  return fetch(`${cairn.publicUrl}/data/agentic`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(key ? { "X-Pendo-Integration-Key": key } : {}) },
    body: JSON.stringify(body),
  });
}

async function storedFor(visitorId: string) {
  await cairn.writer.flush();
  return (await readEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id })).filter(
    (e) => e.visitorId === visitorId,
  );
}

test("POST /data/agentic stores a conversation event as agentic.gif's are: type agentic, its own type beside it", async () => {
  const response = await agentic(prompt);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "Agentic event was sent as requested");
  const beacon = await fetch(
    `${cairn.publicUrl}/data/agentic.gif/${keys.app}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb([
      {
        type: "agent_response",
        visitor_id: "agentic-visitor",
        account_id: "acme",
        browser_time: Date.now(),
        url: "https://app.example.com/help",
        props: { ...conversation, messageId: "m2", content: "Use the Export button." },
      },
    ])}`,
  );
  assert.equal(beacon.status, 200);
  const events = await storedFor("agentic-visitor");
  const byName = Object.fromEntries(events.map((e) => [e.trackName, e]));
  const server = byName.prompt;
  const browser = byName.agent_response;
  assert.ok(server && browser, JSON.stringify(events));
  assert.deepEqual(
    [server.type, server.appId, server.accountId, server.occurredAt, server.ip, server.userAgent],
    ["agentic", cairn.installation.app.id, "acme", 1795416042455, "10.2.3.4", "python-requests/2.31"],
  );
  assert.equal(browser.type, "agentic");
  const serverProps = (JSON.parse(server.properties) as { props: unknown }).props;
  const browserProps = (JSON.parse(browser.properties) as { props: unknown }).props;
  assert.deepEqual(serverProps, prompt.props);
  assert.deepEqual(browserProps, { ...conversation, messageId: "m2", content: "Use the Export button." });
});

test("POST /data/agentic without a timestamp takes the time it arrived", async () => {
  const before = Date.now();
  const { timestamp: _timestamp, ...body } = prompt;
  const response = await agentic({ ...body, type: "user_reaction", visitorId: "agentic-untimed" });
  assert.equal(response.status, 200);
  const [event] = await storedFor("agentic-untimed");
  assert.ok(event && event.occurredAt >= before && event.occurredAt <= Date.now());
  assert.equal(event.trackName, "user_reaction");
});

test("POST /data/agentic refuses an unknown type, missing props or visitor, and any key but the track secret", async () => {
  const refused = { ...prompt, visitorId: "agentic-refused" };
  for (const body of [
    { ...refused, type: "track" },
    { ...refused, props: undefined },
    { ...refused, props: "How do I export?" },
    { ...refused, visitorId: undefined },
    { ...refused, timestamp: "now" },
  ]) {
    const response = await agentic(body);
    assert.equal(response.status, 400, JSON.stringify(body));
  }
  const missing = await agentic(refused, null);
  assert.equal(missing.status, 401);
  for (const key of [keys.integration, keys.app]) {
    const response = await agentic(refused, key);
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "wrong_key_kind");
  }
  assert.deepEqual(await storedFor("agentic-refused"), []);
});
