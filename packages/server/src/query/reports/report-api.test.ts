import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { listAudit } from "../../access/audit/audit-log.js";
import { createKey } from "../../access/keys/key-service.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import {
  type Answer,
  adminSession,
  callAdmin,
  callApi,
  errorOf,
  type Json,
} from "../../start/test-support/api-calls.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let subscriptionId: string;
let writeKey: string;
let readKey: string;
let otherKey: string;
let reportId: string;

const call = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) =>
  callApi(cairn, method, path, options);

// Yesterday and today, so events sent just before midnight (UTC) still count.
const today = { period: "dayRange", first: 'dateAdd(now(), -1, "days")', count: 2 };
const tracksByVisitor = {
  response: { mimeType: "application/json" },
  request: {
    pipeline: [
      { source: { singleEvents: null, timeSeries: today } },
      { filter: 'type == "track"' },
      {
        group: {
          group: ["visitorId"],
          fields: { events: { count: null }, names: { list: "trackName" } },
        },
      },
      { select: { visitorId: "visitorId", "counts.events": "events", names: "names" } },
      { sort: ["visitorId"] },
    ],
  },
};

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("report-api"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  subscriptionId = cairn.installation.subscription.id;
  const keys = await keysOfEveryKind(cairn);
  writeKey = keys.integration;
  readKey = (
    await createKey(cairn.metadata.db, {
      subscriptionId,
      kind: "integration",
      description: "ro",
      actor: "test",
    })
  ).key;
  otherKey = await otherSubscriptionKey(cairn, "integration");
  const sent = [
    ["user-1", "Signed up"],
    ["user-1", "Paid, at last"],
    ["user-2", "Signed up"],
  ];
  for (const [i, [visitorId, event]] of sent.entries()) {
    const answer = await cairn.app.inject({
      method: "POST",
      url: "/data/track",
      headers: { "x-pendo-integration-key": keys.track },
      // A second apart, so the list of names has one order.
      payload: { type: "track", event, visitorId, timestamp: Date.now() - (sent.length - i) * 1000 },
    });
    assert.equal(answer.statusCode, 200, answer.body);
  }
  await cairn.writer.flush();
});
after(() => cairn.shutdown());

async function reportCount(): Promise<number> {
  return (await cairn.metadata.db.selectFrom("reports").select("id").execute()).length;
}

function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(errorOf(answer).code, code);
  if (message) assert.match(errorOf(answer).message, message);
}

describe("v1 reports", () => {
  test("POST /report saves an aggregation; GET /report lists it in Pendo's object shape", async () => {
    const created = await call("POST", "/api/v1/report", {
      key: writeKey,
      body: { name: "Tracks by visitor", aggregation: tracksByVisitor },
    });
    assert.equal(created.status, 201, created.text);
    reportId = String(created.body.id);
    assert.match(reportId, /^rep_/);
    assert.equal(created.body.kind, "Report");
    assert.deepEqual(created.body.aggregation, tracksByVisitor);
    assert.equal((created.body.createdByUser as Json).userType, "integration_key");
    const listed = await call("GET", "/api/v1/report?limit=5", { key: readKey });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      (listed.body as Json[]).map((r) => [r.id, r.name]),
      [[reportId, "Tracks by visitor"]],
    );
    assert.deepEqual((await call("GET", `/api/v1/report/${reportId}`, { key: readKey })).body, created.body);
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: reportId });
    assert.deepEqual(
      audit.map((a) => a.action),
      ["report.created"],
    );
  });

  test("GET /report/:id/results.json runs the saved pipeline through the query engine now", async () => {
    const results = await call("GET", `/api/v1/report/${reportId}/results.json`, { key: readKey });
    assert.equal(results.status, 200, results.text);
    assert.deepEqual(results.body, [
      { visitorId: "user-1", counts: { events: 2 }, names: ["Signed up", "Paid, at last"] },
      { visitorId: "user-2", counts: { events: 1 }, names: ["Signed up"] },
    ]);
  });

  test("GET /report/:id/results.csv answers the same rows as CSV, under dotted field names", async () => {
    const csv = await call("GET", `/api/v1/report/${reportId}/results.csv`, { key: readKey });
    assert.equal(csv.status, 200, csv.text);
    assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
    assert.equal(
      csv.text,
      [
        "visitorId,counts.events,names",
        'user-1,2,"[""Signed up"",""Paid, at last""]"',
        'user-2,1,"[""Signed up""]"',
        "",
      ].join("\r\n"),
    );
  });

  test("a report that cannot run is refused when it is saved, and nothing is saved", async () => {
    const before = await reportCount();
    const broken = {
      request: {
        pipeline: [{ source: { singleEvents: null, timeSeries: today } }, { group: { group: ["nope"] } }],
      },
    };
    expectError(
      await call("POST", "/api/v1/report", { key: writeKey, body: { name: "Broken", aggregation: broken } }),
      400,
      "invalid_pipeline",
      /pipeline\[1\] \(group\), "nope"/,
    );
    expectError(
      await call("POST", "/api/v1/report", { key: writeKey, body: { name: "No pipeline", aggregation: {} } }),
      400,
      "invalid_pipeline",
    );
    expectError(
      await call("POST", "/api/v1/report", { key: writeKey, body: { name: "Missing" } }),
      400,
      "bad_request",
    );
    expectError(
      await call("POST", "/api/v1/report", {
        key: writeKey,
        body: { name: " ", aggregation: tracksByVisitor },
      }),
      400,
      "bad_request",
      /needs a name/,
    );
    expectError(
      await call("POST", "/api/v1/report", {
        key: writeKey,
        body: { name: "X", aggregation: tracksByVisitor, shared: false },
      }),
      400,
      "bad_request",
      /Unknown field "shared"/,
    );
    expectError(
      await call("PUT", `/api/v1/report/${reportId}`, { key: writeKey, body: { aggregation: broken } }),
      400,
      "invalid_pipeline",
    );
    assert.equal(await reportCount(), before);
    const kept = await call("GET", `/api/v1/report/${reportId}`, { key: readKey });
    assert.deepEqual(kept.body.aggregation, tracksByVisitor);
  });

  test("PUT /report/:id changes the name or the aggregation", async () => {
    const renamed = await call("PUT", `/api/v1/report/${reportId}`, {
      key: writeKey,
      body: { name: "Track counts" },
    });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.name, "Track counts");
    const counting = {
      request: {
        pipeline: [
          { source: { singleEvents: null, timeSeries: today } },
          { filter: 'type == "track"' },
          { count: null },
        ],
      },
    };
    const changed = await call("PUT", `/api/v1/report/${reportId}`, {
      key: writeKey,
      body: { aggregation: counting },
    });
    assert.deepEqual([changed.status, changed.body.name], [200, "Track counts"]);
    const results = await call("GET", `/api/v1/report/${reportId}/results.json`, { key: readKey });
    assert.deepEqual(results.body, [{ count: 3 }]);
  });

  test("a read-only key reads and runs reports; every write is 403 insufficient_scope", async () => {
    const before = await reportCount();
    for (const path of [
      `/api/v1/report/${reportId}/results.json`,
      `/api/v1/report/${reportId}/results.csv`,
    ]) {
      assert.equal((await call("GET", path, { key: readKey })).status, 200, path);
    }
    for (const [method, path, body] of [
      ["POST", "/api/v1/report", { name: "N", aggregation: tracksByVisitor }],
      ["PUT", `/api/v1/report/${reportId}`, { name: "N" }],
      ["DELETE", `/api/v1/report/${reportId}`, undefined],
    ] as const) {
      expectError(await call(method, path, { key: readKey, body }), 403, "insufficient_scope");
    }
    assert.equal(await reportCount(), before);
  });

  test("another subscription's key finds none of these reports: 404, never 403", async () => {
    assert.deepEqual((await call("GET", "/api/v1/report", { key: otherKey })).body, []);
    for (const [method, path, body] of [
      ["GET", `/api/v1/report/${reportId}`, undefined],
      ["GET", `/api/v1/report/${reportId}/results.json`, undefined],
      ["GET", `/api/v1/report/${reportId}/results.csv`, undefined],
      ["PUT", `/api/v1/report/${reportId}`, { name: "Theirs" }],
      ["DELETE", `/api/v1/report/${reportId}`, undefined],
    ] as const) {
      expectError(await call(method, path, { key: otherKey, body }), 404, "not_found", /No report/);
    }
  });

  test("DELETE /report/:id: 204, then 404", async () => {
    assert.equal((await call("DELETE", `/api/v1/report/${reportId}`, { key: writeKey })).status, 204);
    expectError(await call("GET", `/api/v1/report/${reportId}`, { key: readKey }), 404, "not_found");
    expectError(
      await call("GET", `/api/v1/report/${reportId}/results.json`, { key: readKey }),
      404,
      "not_found",
    );
  });
});

describe("admin API: reports", () => {
  test("members save, run, change and delete reports; viewers read and run them; audited with the user", async () => {
    const member = await adminSession(cairn, "member");
    const created = await callAdmin(cairn, member, "POST", "/api/admin/reports", {
      name: "By visitor",
      aggregation: tracksByVisitor,
    });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    const viewer = await adminSession(cairn, "viewer");
    const listed = await callAdmin(cairn, viewer, "GET", "/api/admin/reports");
    assert.deepEqual(
      (listed.body.reports as Json[]).map((r) => r.id),
      [id],
    );
    const results = await callAdmin(cairn, viewer, "GET", `/api/admin/reports/${id}/results`);
    assert.equal(results.status, 200, results.text);
    assert.deepEqual(
      (results.body.results as Json[]).map((r) => r.visitorId),
      ["user-1", "user-2"],
    );
    expectError(
      await callAdmin(cairn, viewer, "PUT", `/api/admin/reports/${id}`, { name: "Mine" }),
      403,
      "forbidden",
    );
    expectError(
      await callAdmin(cairn, member, "PUT", `/api/admin/reports/${id}`, { aggregation: { request: {} } }),
      400,
      "invalid_pipeline",
    );
    const renamed = await callAdmin(cairn, member, "PUT", `/api/admin/reports/${id}`, { name: "Mine" });
    assert.deepEqual([renamed.status, renamed.body.name], [200, "Mine"]);
    const stranger = await adminSession(cairn, "owner", "sub_other");
    expectError(
      await callAdmin(cairn, stranger, "GET", `/api/admin/reports/${id}/results`),
      404,
      "not_found",
    );
    assert.equal((await callAdmin(cairn, member, "DELETE", `/api/admin/reports/${id}`)).status, 204);
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: id });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [
        ["report.deleted", member.userId],
        ["report.updated", member.userId],
        ["report.created", member.userId],
      ],
    );
  });
});
