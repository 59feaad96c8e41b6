import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createKey } from "../../access/keys/key-service.js";
import { encodeJzb } from "../../collect/jzb.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import {
  type KeysOfEveryKind,
  keysOfEveryKind,
  otherSubscriptionKey,
} from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let keys: KeysOfEveryKind;
let readOnly: string;
let otherKey: string;

const lastDay = { period: "dayRange", first: "now()", count: -1 };
const today = { period: "dayRange", first: "now()", count: 1 };
const countTracks = {
  response: { mimeType: "application/json" },
  request: {
    requestId: "tracks",
    pipeline: [
      { source: { events: null, timeSeries: today } },
      { group: { group: ["visitorId"], fields: { events: { sum: "numEvents" } } } },
    ],
  },
};

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("aggregation-route"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  keys = await keysOfEveryKind(cairn);
  readOnly = (
    await createKey(cairn.metadata.db, {
      subscriptionId: cairn.installation.subscription.id,
      kind: "integration",
      description: "read-only ETL",
      actor: "test",
    })
  ).key;
  otherKey = await otherSubscriptionKey(cairn, "integration");
  for (const visitorId of ["user-1", "user-1", "user-2"]) {
    const sent = await cairn.app.inject({
      method: "POST",
      url: "/data/track",
      headers: { "x-pendo-integration-key": keys.track },
      payload: { type: "track", event: "Registered", visitorId, timestamp: Date.now() },
    });
    assert.equal(sent.statusCode, 200, sent.body);
  }
  await cairn.writer.flush();
});
after(() => cairn.shutdown());

const aggregate = (key: string, payload: unknown, headers: Record<string, string> = {}) =>
  cairn.app.inject({
    method: "POST",
    url: "/api/v1/aggregation",
    headers: { "x-pendo-integration-key": key, "content-type": "application/json", ...headers },
    payload: JSON.stringify(payload),
  });

test("a read-only integration key runs an aggregation over events sent through the collector", async () => {
  const answer = await aggregate(readOnly, countTracks);
  assert.equal(answer.statusCode, 200, answer.body);
  const body = answer.json() as { startTime: number; results: unknown[] };
  assert.deepEqual(Object.keys(body), ["startTime", "results"]);
  assert.ok(Math.abs(body.startTime - Date.now()) < 60_000);
  assert.deepEqual(body.results, [
    { visitorId: "user-1", events: 2 },
    { visitorId: "user-2", events: 1 },
  ]);
});

test("trackEvents count by track types discovered from the names of the track events received", async () => {
  const answer = await aggregate(readOnly, {
    request: {
      pipeline: [
        { source: { trackEvents: null, timeSeries: today } },
        { group: { group: ["trackTypeId"], fields: { events: { sum: "numEvents" } } } },
        {
          merge: {
            fields: ["trackTypeId"],
            mappings: { name: "trackTypeName" },
            pipeline: [
              { source: { trackTypes: null } },
              { select: { trackTypeId: "id", trackTypeName: "trackTypeName" } },
            ],
          },
        },
      ],
    },
  });
  assert.equal(answer.statusCode, 200, answer.body);
  const [row, ...rest] = (
    answer.json() as { results: { trackTypeId: string; events: number; name: string }[] }
  ).results;
  assert.deepEqual(rest, []);
  assert.match(row?.trackTypeId ?? "", /^trk_/);
  assert.deepEqual({ events: row?.events, name: row?.name }, { events: 3, name: "Registered" });
});

test("the answer is never gzip-encoded, even when the client asks for it", async () => {
  const answer = await aggregate(keys.integration, countTracks, { "accept-encoding": "gzip, deflate" });
  assert.equal(answer.statusCode, 200);
  assert.equal(answer.headers["content-encoding"], undefined);
  assert.match(answer.headers["content-type"] as string, /^application\/json/);
  assert.equal((answer.json() as { results: unknown[] }).results.length, 2);
});

test("another subscription's key sees none of these events", async () => {
  const answer = await aggregate(otherKey, countTracks);
  assert.equal(answer.statusCode, 200, answer.body);
  assert.deepEqual((answer.json() as { results: unknown[] }).results, []);
});

test("a wrong pipeline is a 400 invalid_pipeline naming the stage, the field and the problem", async () => {
  const cases: [unknown, RegExp][] = [
    [{ request: {} }, /pipeline.*required/i],
    [
      [{ source: { events: null, timeSeries: lastDay } }],
      /a bare list of stages is not a request: send \{"response"/,
    ],
    ["events", /the body must be a JSON object/],
    [{ request: { pipeline: [{ filter: "true" }] } }, /pipeline\[0\] \(filter\).*must start with a source/],
    [{ request: { pipeline: [{ source: { events: null } }] } }, /pipeline\[0\] \(source\), "timeSeries"/],
    [
      {
        request: {
          pipeline: [{ source: { events: null, timeSeries: lastDay } }, { group: { group: ["visitorld"] } }],
        },
      },
      /pipeline\[1\] \(group\), "visitorld": no such field to group by; the rows have accountId, appId, day/,
    ],
    [
      {
        request: {
          pipeline: [{ source: { events: null, timeSeries: lastDay } }, { filter: "numEvents > " }],
        },
      },
      /pipeline\[1\] \(filter\): unexpected end of expression/,
    ],
    [
      {
        request: {
          pipeline: [{ source: { events: null, timeSeries: lastDay } }, { filter: "numEvents + 1" }],
        },
      },
      /a filter must be true or false, but this is a number/,
    ],
    [{ request: { pipeline: [{ source: { visits: null } }] } }, /"visits": is not a source; the sources are/],
    [
      { request: { pipeline: [{ source: { events: null, timeSeries: lastDay } }, { explode: 1 }] } },
      /is not a stage; the stages are/,
    ],
    [{ response: { mimeType: "text/csv" }, request: { pipeline: [] } }, /application\/json only/],
    [
      { request: { pipeline: [{ source: { events: { appId: "app_nope" }, timeSeries: lastDay } }] } },
      /no app "app_nope" in this subscription/,
    ],
  ];
  for (const [payload, message] of cases) {
    const answer = await aggregate(keys.integration, payload);
    assert.equal(answer.statusCode, 400, `${JSON.stringify(payload)} → ${answer.body}`);
    const error = (answer.json() as { error: { code: string; message: string } }).error;
    assert.equal(error.code, "invalid_pipeline", answer.body);
    assert.match(error.message, message);
  }
});

test("a page created after its events were stored counts them at once (retroactive, no re-ingest)", async () => {
  const loads = ["/dashboard", "/dashboard/7", "/settings"].map((path) => ({
    type: "load",
    visitor_id: "user-3",
    account_id: "acme",
    url: `https://app.example.com${path}`,
    browser_time: Date.now(),
    props: {},
  }));
  const beacon = await cairn.app.inject({
    method: "GET",
    url: `/data/ptm.gif/${keys.app}?v=2.0.0&ct=${Date.now()}&jzb=${encodeJzb(loads)}`,
  });
  assert.equal(beacon.statusCode, 200, beacon.body);
  await cairn.writer.flush();
  const pageViews = {
    request: {
      pipeline: [
        { source: { pageEvents: null, timeSeries: today } },
        { group: { group: ["pageId"], fields: { views: { sum: "numEvents" } } } },
      ],
    },
  };
  assert.deepEqual((await aggregate(readOnly, pageViews).then((r) => r.json())).results, []);
  const created = await cairn.app.inject({
    method: "POST",
    url: "/api/v1/page",
    headers: { "x-pendo-integration-key": keys.integration },
    payload: { name: "Dashboard", rules: ["//*/dashboard/**"] },
  });
  assert.equal(created.statusCode, 201, created.body);
  const pageId = (created.json() as { id: string }).id;
  assert.deepEqual((await aggregate(readOnly, pageViews).then((r) => r.json())).results, [
    { pageId, views: 2 },
  ]);
});

test("the wrong kind of key is refused with the error that names it", async () => {
  const answer = await aggregate(keys.track, countTracks);
  assert.equal(answer.statusCode, 401);
  assert.equal((answer.json() as { error: { code: string } }).error.code, "wrong_key_kind");
});
