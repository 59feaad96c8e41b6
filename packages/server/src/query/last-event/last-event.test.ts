import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { encodeJzb } from "../../collect/jzb.js";
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
import type { EventQuery } from "../../store/events/event-query.js";
import { lastEventReader, lateLoadMarginMs } from "./last-event.js";

let cairn: RunningCairn;
let appKey: string;
let viewer: AdminSession;
let secondApp: string;
let subscriptionId: string;

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("last-event"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  subscriptionId = cairn.installation.subscription.id;
  appKey = (await keysOfEveryKind(cairn)).app;
  await otherSubscription(cairn.metadata);
  viewer = await adminSession(cairn, "viewer");
  const owner = await adminSession(cairn, "owner");
  const created = await callAdmin(cairn, owner, "POST", "/api/admin/apps", { name: "Second" });
  assert.equal(created.status, 201, created.text);
  secondApp = String(created.body.id);
});
after(() => cairn.shutdown());

const lastEvent = (appId: string, session = viewer) =>
  callAdmin(cairn, session, "GET", `/api/admin/apps/${appId}/last-event`);

test("null before an app's first event; an acknowledged beacon shows at once, without a flush", async () => {
  const appId = cairn.installation.app.id;
  const empty = await lastEvent(appId);
  assert.equal(empty.status, 200, empty.text);
  assert.equal(empty.body.lastEventAt, null);
  assert.match(String(empty.body.checkedAt), iso);
  const sentAt = Date.now();
  const event = {
    type: "load",
    visitor_id: "v1",
    url: "https://a.example.com/",
    browser_time: sentAt,
    props: {},
  };
  const beacon = await cairn.app.inject({
    method: "GET",
    url: `/data/ptm.gif/${appKey}?v=2.0.0&ct=${sentAt}&jzb=${encodeJzb([event])}`,
  });
  assert.equal(beacon.statusCode, 200, beacon.body);
  const acknowledgedAt = Date.now();
  // No flush: the look waits for what was acknowledged before it, at the loads' own pace.
  const seen = await lastEvent(appId);
  assert.equal(seen.status, 200, seen.text);
  assert.ok(Date.now() - acknowledgedAt < 2_000, `answered in ${Date.now() - acknowledgedAt} ms`);
  const at = Date.parse(String(seen.body.lastEventAt));
  assert.ok(at >= sentAt && at <= acknowledgedAt, `received ${seen.body.lastEventAt}`);
  assert.ok(Date.parse(String(seen.body.checkedAt)) >= at);
  assert.equal((await lastEvent(secondApp)).body.lastEventAt, null, "another app's events are not its own");
});

test("any stored event counts, excluded traffic and track events too; later events move it forward", async () => {
  const at = Date.now() - 1_000;
  await cairn.writer.write([
    sampleEvent({ subscriptionId, appId: secondApp, type: "track", receivedAt: at - 500, excluded: true }),
    sampleEvent({ subscriptionId, appId: secondApp, type: "focus", receivedAt: at }),
  ]);
  assert.equal((await lastEvent(secondApp)).body.lastEventAt, new Date(at).toISOString());
  await cairn.writer.write([sampleEvent({ subscriptionId, appId: secondApp, receivedAt: at + 700 })]);
  assert.equal((await lastEvent(secondApp)).body.lastEventAt, new Date(at + 700).toISOString());
  // An older event loaded late leaves the newest in place.
  await cairn.writer.write([sampleEvent({ subscriptionId, appId: secondApp, receivedAt: at - 60_000 })]);
  assert.equal((await lastEvent(secondApp)).body.lastEventAt, new Date(at + 700).toISOString());
});

test("another subscription's app and an unknown one are 404s; every role may look; a session is needed", async () => {
  for (const appId of ["app_other", "app_nope"]) {
    const answer = await lastEvent(appId);
    assert.equal(answer.status, 404, answer.text);
    assert.equal(errorOf(answer).code, "not_found");
    assert.match(errorOf(answer).message, new RegExp(`No app ${appId} in this subscription`));
  }
  const theirs = await adminSession(cairn, "owner", "sub_other");
  assert.equal((await lastEvent(cairn.installation.app.id, theirs)).status, 404);
  assert.equal((await lastEvent("app_other", theirs)).body.lastEventAt, null);
  const path = `/api/admin/apps/${cairn.installation.app.id}/last-event`;
  const anonymous = await callApi(cairn, "GET", path);
  assert.equal(anonymous.status, 401, anonymous.text);
  assert.equal(errorOf(anonymous).code, "not_signed_in");
  const cookieOnly = await callApi(cairn, "GET", path, { headers: { cookie: viewer.cookie } });
  assert.equal(cookieOnly.status, 200, "a GET needs no CSRF token");
});

test("after an app's first look, looks read only the newest events, and find one loaded late within the margin", async () => {
  const sql: string[] = [];
  const events: EventQuery = {
    dialect: cairn.events.dialect,
    run: (compiled, options) => {
      sql.push(compiled.sql);
      return cairn.events.run(compiled, options);
    },
  };
  const read = lastEventReader({ events, writer: cairn.writer });
  const appId = "app_late";
  assert.equal((await read(subscriptionId, appId)).lastEventAt, null);
  assert.doesNotMatch(sql[0] ?? "", /received_at"? >=/, "the first look reads every event of the app");
  const lateAt = Date.now() - lateLoadMarginMs / 2;
  await cairn.writer.write([sampleEvent({ subscriptionId, appId, receivedAt: lateAt })]);
  await cairn.writer.flush();
  assert.equal((await read(subscriptionId, appId)).lastEventAt, lateAt);
  assert.match(sql[1] ?? "", /received_at"? >=/, "later looks are bounded in time");
});
