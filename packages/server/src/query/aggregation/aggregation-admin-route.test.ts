import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import {
  type AdminSession,
  adminSession,
  callAdmin,
  callApi,
  errorOf,
} from "../../start/test-support/api-calls.js";
import { otherSubscription } from "../../start/test-support/installed-store.js";
import { keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let integrationKey: string;
let viewer: AdminSession;

const today = { period: "dayRange", first: "now()", count: 1 };
const byVisitor = {
  response: { mimeType: "application/json" },
  request: {
    pipeline: [
      { source: { events: null, timeSeries: today } },
      { group: { group: ["visitorId"], fields: { events: { sum: "numEvents" } } } },
      { sort: ["visitorId"] },
    ],
  },
};

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("aggregation-admin"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  integrationKey = (await keysOfEveryKind(cairn)).integration;
  viewer = await adminSession(cairn, "viewer");
  const subscriptionId = cairn.installation.subscription.id;
  const appId = cairn.installation.app.id;
  const other = await otherSubscription(cairn.metadata);
  await cairn.writer.write([
    sampleEvent({ subscriptionId, appId, visitorId: "user-1", type: "load" }),
    sampleEvent({ subscriptionId, appId, visitorId: "user-1", type: "click" }),
    sampleEvent({ subscriptionId, appId, visitorId: "user-2", type: "load" }),
    sampleEvent({ subscriptionId: other.subscriptionId, appId: other.appId, visitorId: "theirs" }),
  ]);
  await cairn.writer.flush();
});
after(() => cairn.shutdown());

const v1 = (body: unknown) => callApi(cairn, "POST", "/api/v1/aggregation", { key: integrationKey, body });

test("a viewer runs an aggregation over the session's subscription, answered as the v1 route answers it", async () => {
  const answer = await callAdmin(cairn, viewer, "POST", "/api/admin/aggregation", byVisitor);
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.body.results, [
    { visitorId: "user-1", events: 2 },
    { visitorId: "user-2", events: 1 },
  ]);
  const expected = await v1(byVisitor);
  assert.deepEqual({ ...answer.body, startTime: 0 }, { ...expected.body, startTime: 0 });
  const theirs = await adminSession(cairn, "owner", "sub_other");
  const other = await callAdmin(cairn, theirs, "POST", "/api/admin/aggregation", byVisitor);
  assert.deepEqual(other.body.results, [{ visitorId: "theirs", events: 1 }]);
});

test("a wrong pipeline gets the v1 route's 400, code, message and hint", async () => {
  const cases: unknown[] = [
    { request: {} },
    [{ source: { events: null, timeSeries: today } }],
    "events",
    { request: { pipeline: [{ filter: "true" }] } },
    { request: { pipeline: [{ source: { events: null, timeSeries: today } }, { group: { group: ["x"] } }] } },
    { response: { mimeType: "text/csv" }, request: { pipeline: [] } },
    { request: { pipeline: [{ source: { events: { appId: "app_nope" }, timeSeries: today } }] } },
  ];
  for (const body of cases) {
    const admin = await callAdmin(cairn, viewer, "POST", "/api/admin/aggregation", body);
    const expected = await v1(body);
    assert.equal(expected.status, 400, expected.text);
    assert.equal(admin.status, 400, `${JSON.stringify(body)} → ${admin.text}`);
    const { requestId: _a, ...got } = errorOf(admin);
    const { requestId: _b, ...want } = errorOf(expected);
    assert.deepEqual(got, want);
  }
});

test("without a session it is a 401, without the CSRF token a 403, with an integration key a 401", async () => {
  const anonymous = await callApi(cairn, "POST", "/api/admin/aggregation", { body: byVisitor });
  assert.equal(anonymous.status, 401, anonymous.text);
  assert.equal(errorOf(anonymous).code, "not_signed_in");
  const noCsrf = await callApi(cairn, "POST", "/api/admin/aggregation", {
    body: byVisitor,
    headers: { cookie: viewer.cookie },
  });
  assert.equal(noCsrf.status, 403, noCsrf.text);
  assert.equal(errorOf(noCsrf).code, "csrf_failed");
  const withKey = await callApi(cairn, "POST", "/api/admin/aggregation", {
    key: integrationKey,
    body: byVisitor,
  });
  assert.equal(withKey.status, 401, "an integration key is no session");
});
