import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../platform/config/load-config.js";

import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { keysOfEveryKind } from "../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { readEvents } from "../store/events/event-reads.js";

let cairn: RunningCairn;
let keys: Record<"integration" | "feedback" | "track" | "app", string>;

before(async () => {
  const config = loadConfig({ dataDir: tempDir("track"), port: "0", logLevel: "silent" }, {}, process.cwd());
  cairn = await startCairn(config);
  const every = await keysOfEveryKind(cairn);
  keys = { integration: every.integration, feedback: every.feedback, track: every.track, app: every.app };
});
after(() => cairn.shutdown());

const sample = {
  type: "track",
  event: "Registered",
  visitorId: "unique-string-id",
  accountId: "account-id-of-visitor",
  timestamp: 1524069206000,
  properties: { plan: "Pro Annual", accountType: "Facebook" },
  context: {
    ip: "76.253.187.23",
    userAgent: "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0",
    url: "https://mypage.com/admin",
    title: "My Page - Admin",
  },
};

function track(key: string | undefined, body: unknown = sample, extra: Record<string, string> = {}) {
  return fetch(`${cairn.publicUrl}/data/track`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key ? { "x-pendo-integration-key": key } : {}),
      ...extra,
    },
    body: JSON.stringify(body),
  });
}

test("POST /data/track with the app's track secret stores Pendo's documented sample for that app", async () => {
  const response = await track(keys.track);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "Track event was sent as requested");
  await cairn.writer.flush();
  const [event] = (
    await readEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id })
  ).filter((e) => e.visitorId === "unique-string-id");
  assert.ok(event);
  assert.deepEqual(
    [
      event.type,
      event.trackName,
      event.appId,
      event.accountId,
      event.occurredAt,
      event.ip,
      event.url,
      event.title,
    ],
    [
      "track",
      "Registered",
      cairn.installation.app.id,
      "account-id-of-visitor",
      1524069206000,
      "76.253.187.23",
      "https://mypage.com/admin",
      "My Page - Admin",
    ],
  );
  assert.deepEqual(JSON.parse(event.properties).properties, sample.properties);
});

test("the key kind × endpoint matrix over HTTP: only the diagonal succeeds, every other cell names the key it needs", async () => {
  const endpoints = {
    v1: (key: string) =>
      fetch(`${cairn.publicUrl}/api/v1/token/verify`, { headers: { "x-pendo-integration-key": key } }),
    track: (key: string) => track(key),
  };
  const needs = { v1: "integration", track: "track" } as const;
  const hint = { v1: /Integration Keys/, track: /track secret/ };
  for (const [family, call] of Object.entries(endpoints) as Array<
    [keyof typeof endpoints, (key: string) => Promise<Response>]
  >) {
    for (const [kind, key] of Object.entries(keys)) {
      const response = await call(key);
      if (kind === needs[family]) {
        assert.equal(response.status, 200, `${kind} at ${family}`);
        continue;
      }
      assert.equal(response.status, 401, `${kind} at ${family}`);
      const { error } = (await response.json()) as { error: { code: string; message: string; hint: string } };
      assert.equal(error.code, "wrong_key_kind", `${kind} at ${family}`);
      assert.match(`${error.message} ${error.hint}`, hint[family], `${kind} at ${family}`);
    }
  }
});

test("/data/track refuses: no key, a malformed body, a wrong type, and a track secret sent from a browser", async () => {
  const missing = await track(undefined);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, "missing_key");
  for (const body of [
    { ...sample, type: "identify" },
    { ...sample, timestamp: "yesterday" },
    { event: "x" },
  ]) {
    const response = await track(keys.track, body);
    assert.equal(response.status, 400, JSON.stringify(body));
  }
  const fromBrowser = await track(keys.track, sample, { origin: "https://mypage.com" });
  assert.equal(fromBrowser.status, 403);
  assert.equal(((await fromBrowser.json()) as { error: { code: string } }).error.code, "secret_key_exposed");
});

test("senders' forms are accepted with exactly 200: context null or missing, ip and userAgent at the top level, a float timestamp, capitalised headers", async () => {
  const { context: _context, ...bare } = sample;
  const bodies = [
    { ...bare, visitorId: "lenient-null", context: null, ip: "10.1.2.3", userAgent: "Go-http-client/1.1" },
    { ...bare, visitorId: "lenient-missing", timestamp: 1524069206000.75, ip: "10.1.2.4" },
    { ...bare, visitorId: "lenient-both", context: { ip: "10.1.2.5" }, ip: "10.9.9.9", userAgent: "curl/8" },
  ];
  for (const body of bodies) {
    const response = await fetch(`${cairn.publicUrl}/data/track`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Pendo-Integration-Key": keys.track },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${body.visitorId}: ${await response.clone().text()}`);
    assert.equal(await response.text(), "Track event was sent as requested");
  }
  await cairn.writer.flush();
  const events = (
    await readEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id })
  ).filter((e) => e.visitorId.startsWith("lenient-"));
  const byVisitor = Object.fromEntries(events.map((e) => [e.visitorId, e]));
  assert.deepEqual(
    ["lenient-null", "lenient-missing", "lenient-both"].map((id) => [
      byVisitor[id]?.ip,
      byVisitor[id]?.userAgent,
      byVisitor[id]?.occurredAt,
    ]),
    [
      ["10.1.2.3", "Go-http-client/1.1", 1524069206000],
      ["10.1.2.4", null, 1524069206000],
      // What context says wins; what it lacks comes from the top level.
      ["10.1.2.5", "curl/8", 1524069206000],
    ],
  );
  const stored = JSON.parse(byVisitor["lenient-null"]?.properties ?? "{}") as { context: unknown };
  assert.deepEqual(stored.context, { ip: "10.1.2.3", userAgent: "Go-http-client/1.1" });
});
