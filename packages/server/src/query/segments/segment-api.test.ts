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
import { loadEvents } from "../../start/test-support/load-events.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let subscriptionId: string;
let writeKey: string;
let readKey: string;
let otherKey: string;
let segmentId: string;

const call = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) =>
  callApi(cairn, method, path, options);

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("segment-api"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  subscriptionId = cairn.installation.subscription.id;
  writeKey = (await keysOfEveryKind(cairn)).integration;
  readKey = (
    await createKey(cairn.metadata.db, {
      subscriptionId,
      kind: "integration",
      description: "ro",
      actor: "test",
    })
  ).key;
  otherKey = await otherSubscriptionKey(cairn, "integration");
});
after(() => cairn.shutdown());

async function counts(): Promise<number[]> {
  const db = cairn.metadata.db;
  return [
    (await db.selectFrom("segments").select("id").execute()).length,
    (await db.selectFrom("segment_visitors").select("visitor_id").execute()).length,
    (await listAudit(db, subscriptionId, { limit: 10_000 })).filter((a) => a.action.startsWith("segment."))
      .length,
  ];
}

async function members(id: string): Promise<string[]> {
  const rows = await cairn.metadata.db
    .selectFrom("segment_visitors")
    .select("visitor_id")
    .where("segment_id", "=", id)
    .orderBy("visitor_id")
    .execute();
  return rows.map((r) => r.visitor_id);
}

function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(errorOf(answer).code, code);
  if (message) assert.match(errorOf(answer).message, message);
}

describe("v1 segments", () => {
  test("POST /segment/upload creates a segment: {segmentId}, then GET answers Pendo's shape, every field", async () => {
    const created = await call("POST", "/api/v1/segment/upload", {
      key: writeKey,
      body: { name: "Beta users", visitors: ["user-1", "user-2", "user-1", "a@b.com"] },
    });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(Object.keys(created.body), ["segmentId"]);
    segmentId = String(created.body.segmentId);
    assert.match(segmentId, /^seg_[0-9A-Za-z]{22}$/);

    const got = await call("GET", `/api/v1/segment/${segmentId}`, { key: readKey });
    assert.equal(got.status, 200, got.text);
    const keyRow = await cairn.metadata.db
      .selectFrom("api_keys")
      .select("id")
      .where("scope", "=", "write")
      .where("subscription_id", "=", subscriptionId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(Object.keys(got.body), [
      "createdByUser",
      "createdAt",
      "lastUpdatedByUser",
      "lastUpdatedAt",
      "kind",
      "rootVersionId",
      "stableVersionId",
      "id",
      "name",
      "createdByApi",
      "definition",
      "pipeline",
      "dependentMetadata",
      "isFocusGroup",
      "visitorCount",
      "rule",
    ]);
    assert.equal(got.body.kind, "Segment");
    assert.equal(got.body.rule, null, "a list of ids, not a rule");
    assert.equal(got.body.id, segmentId);
    assert.equal(got.body.name, "Beta users");
    assert.equal(got.body.createdByApi, true);
    assert.equal(got.body.isFocusGroup, false);
    assert.equal(got.body.visitorCount, 3, "repeats are stored once");
    assert.deepEqual(got.body.dependentMetadata, []);
    assert.deepEqual(got.body.pipeline, [{ source: { visitors: null } }, { segment: { id: segmentId } }]);
    assert.equal((got.body.createdByUser as Json).id, keyRow.id);
    assert.equal((got.body.createdByUser as Json).userType, "integration_key");
    assert.equal(typeof got.body.createdAt, "number");
    assert.deepEqual(await members(segmentId), ["a@b.com", "user-1", "user-2"]);
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: segmentId });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [["segment.created", keyRow.id]],
    );
  });

  test("GET /segment lists them; ?createdByApi=true only those made through the API; other parameters ignored", async () => {
    const listed = await call("GET", "/api/v1/segment?createdByApi=true&limit=10&offset=0&length=5", {
      key: readKey,
    });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      (listed.body as Json[]).map((s) => s.id),
      [segmentId],
    );
    const notByApi = await call("GET", "/api/v1/segment?createdByApi=false", { key: readKey });
    assert.deepEqual(notByApi.body, []);
    const all = await call("GET", "/api/v1/segment", { key: readKey });
    assert.equal((all.body as Json[]).length, 1);
    expectError(await call("GET", "/api/v1/segment?createdByApi=yes", { key: readKey }), 400, "bad_request");
  });

  test("PATCH /segment/:id/visitor adds and removes in order, answering Pendo's multistatus", async () => {
    const tagBefore = (await call("GET", `/api/v1/segment/${segmentId}/status`, { key: readKey })).body;
    const patched = await call("PATCH", `/api/v1/segment/${segmentId}/visitor`, {
      key: writeKey,
      body: {
        patch: [
          { op: "add", path: "/visitors", value: ["user-3", "user-4"] },
          { op: "remove", path: "/visitors", value: ["user-1", "never-there"] },
        ],
      },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.body, {
      multistatus: [
        { status: 200, message: "success", operation: "add" },
        { status: 200, message: "success", operation: "remove" },
      ],
    });
    assert.deepEqual(await members(segmentId), ["a@b.com", "user-2", "user-3", "user-4"]);
    const status = await call("GET", `/api/v1/segment/${segmentId}/status`, { key: readKey });
    assert.equal(status.status, 200, status.text);
    assert.equal(status.body.state, "complete");
    assert.equal(status.body.visitorCount, 4);
    assert.equal(typeof status.body.entityTagId, "string");
    assert.notEqual(status.body.entityTagId, tagBefore.entityTagId, "every write moves the entity tag");
  });

  test("PUT and DELETE /segment/:id/visitor/:visitorId take an id raw or percent-encoded", async () => {
    const added = await call("PUT", `/api/v1/segment/${segmentId}/visitor/new@example.com`, {
      key: writeKey,
    });
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.body, { multistatus: [{ status: 200, message: "success", operation: "add" }] });
    const encoded = await call("PUT", `/api/v1/segment/${segmentId}/visitor/${encodeURIComponent("x y/z")}`, {
      key: writeKey,
    });
    assert.equal(encoded.status, 200, encoded.text);
    assert.ok((await members(segmentId)).includes("x y/z"));
    const removed = await call("DELETE", `/api/v1/segment/${segmentId}/visitor/new%40example.com`, {
      key: writeKey,
    });
    assert.deepEqual(removed.body, {
      multistatus: [{ status: 200, message: "success", operation: "remove" }],
    });
    assert.deepEqual(await members(segmentId), ["a@b.com", "user-2", "user-3", "user-4", "x y/z"]);
  });

  test("PUT /segment/:id replaces the visitors and the name", async () => {
    const replaced = await call("PUT", `/api/v1/segment/${segmentId}`, {
      key: writeKey,
      body: { name: "Beta users (Q1)", visitors: ["user-9", "user-8"] },
    });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.name, "Beta users (Q1)");
    assert.equal(replaced.body.visitorCount, 2);
    assert.deepEqual(await members(segmentId), ["user-8", "user-9"]);
    const renamed = await call("PUT", `/api/v1/segment/${segmentId}`, {
      key: writeKey,
      body: { name: "Beta" },
    });
    assert.deepEqual([renamed.body.name, renamed.body.visitorCount], ["Beta", 2]);
  });

  test("bad input of every kind is a 400 that says what is wrong, and changes nothing", async () => {
    const before = await counts();
    const cases: [string, string, unknown, RegExp][] = [
      ["POST", "/api/v1/segment/upload", { name: "Empty", visitors: [] }, /at least one visitor/],
      ["POST", "/api/v1/segment/upload", { name: "", visitors: ["v"] }, /needs a name/],
      ["POST", "/api/v1/segment/upload", { visitors: ["v"] }, /name/],
      ["POST", "/api/v1/segment/upload", { name: "N", visitors: ["v", 42] }, /visitors\/1 must be string/],
      ["POST", "/api/v1/segment/upload", { name: "N", visitors: ["v", ""] }, /visitors\[1\].*non-empty/],
      ["POST", "/api/v1/segment/upload", { name: "N", visitors: ["v"], kind: "x" }, /Unknown field "kind"/],
      ["POST", "/api/v1/segment/upload", { name: "N", visitors: ["x".repeat(513)] }, /at most 512/],
      [
        "PATCH",
        `/api/v1/segment/${segmentId}/visitor`,
        { patch: [{ op: "move", path: "/visitors", value: ["a"] }] },
        /op must be equal to one of the allowed values/,
      ],
      [
        "PATCH",
        `/api/v1/segment/${segmentId}/visitor`,
        {
          patch: [
            { op: "add", path: "/visitors", value: ["fine"] },
            { op: "add", path: "/name", value: ["a"] },
          ],
        },
        /patch\[1\]\.path is "\/name"/,
      ],
      ["PATCH", `/api/v1/segment/${segmentId}/visitor`, { patch: [] }, /patch is empty/],
      ["PATCH", `/api/v1/segment/${segmentId}/visitor`, [{ op: "add" }], /must be object/],
      ["PUT", `/api/v1/segment/${segmentId}`, { visitors: [] }, /at least one visitor/],
      ["PUT", `/api/v1/segment/${segmentId}`, { name: "x".repeat(501) }, /at most 500 characters/],
    ];
    for (const [method, path, body, message] of cases) {
      const answer = await call(method, path, { key: writeKey, body });
      expectError(answer, 400, "bad_request", message);
    }
    expectError(
      await call("POST", "/api/v1/segment/upload", { key: writeKey, raw: '{"name": "N", "visitors": [' }),
      400,
      "bad_request",
      /not valid JSON/,
    );
    assert.deepEqual(await counts(), before);
    assert.deepEqual(await members(segmentId), ["user-8", "user-9"]);
  });

  test("a write while another holds the segment (this server or another) is 409 Operation in progress", async () => {
    const db = cairn.metadata.db;
    // Another server's write in progress, as its lease shows.
    await db
      .updateTable("segments")
      .set({ write_lease: "someone-else", write_lease_until: new Date(Date.now() + 60_000).toISOString() })
      .where("id", "=", segmentId)
      .execute();
    const before = await counts();
    for (const [method, path, body] of [
      ["PATCH", `/api/v1/segment/${segmentId}/visitor`, { patch: [{ op: "add", value: ["late"] }] }],
      ["PUT", `/api/v1/segment/${segmentId}`, { visitors: ["late"] }],
      ["PUT", `/api/v1/segment/${segmentId}/visitor/late`, undefined],
      ["DELETE", `/api/v1/segment/${segmentId}`, undefined],
    ] as const) {
      expectError(
        await call(method, path, { key: writeKey, body }),
        409,
        "conflict",
        /Operation in progress/,
      );
    }
    const status = await call("GET", `/api/v1/segment/${segmentId}/status`, { key: readKey });
    assert.equal(status.body.state, "processing");
    assert.deepEqual(await counts(), before);
    // That server died mid-write: once its lease runs out, writes go through again.
    await db
      .updateTable("segments")
      .set({ write_lease_until: new Date(Date.now() - 1).toISOString() })
      .where("id", "=", segmentId)
      .execute();
    const patched = await call("PATCH", `/api/v1/segment/${segmentId}/visitor`, {
      key: writeKey,
      body: { patch: [{ op: "add", value: ["late"] }] },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(
      (await call("GET", `/api/v1/segment/${segmentId}/status`, { key: readKey })).body.state,
      "complete",
    );
  });

  test("the aggregation's segment stage reads the stored segment; another subscription's is an invalid pipeline", async () => {
    const now = Date.now();
    await loadEvents(
      cairn.sink,
      ["user-8", "user-9", "user-10"].map((visitorId) =>
        sampleEvent({
          subscriptionId,
          appId: cairn.installation.app.id,
          type: "load",
          visitorId,
          occurredAt: now - 60_000,
          receivedAt: now,
        }),
      ),
      1_000_000,
    );
    const pipeline = (id: string) => ({
      response: { mimeType: "application/json" },
      request: {
        pipeline: [
          { source: { events: null, timeSeries: { period: "dayRange", first: "now()", count: 1 } } },
          { segment: { id } },
          { group: { group: ["visitorId"] } },
          { sort: ["visitorId"] },
        ],
      },
    });
    const answer = await call("POST", "/api/v1/aggregation", { key: readKey, body: pipeline(segmentId) });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.results, [{ visitorId: "user-8" }, { visitorId: "user-9" }]);
    const theirs = await call("POST", "/api/v1/aggregation", { key: otherKey, body: pipeline(segmentId) });
    expectError(theirs, 400, "invalid_pipeline", new RegExp(`no segment ${segmentId} in this subscription`));
  });

  test("a read-only key reads but every write is 403 insufficient_scope", async () => {
    const before = await counts();
    assert.equal((await call("GET", `/api/v1/segment/${segmentId}`, { key: readKey })).status, 200);
    for (const [method, path, body] of [
      ["POST", "/api/v1/segment/upload", { name: "N", visitors: ["v"] }],
      ["PATCH", `/api/v1/segment/${segmentId}/visitor`, { patch: [{ op: "add", value: ["v"] }] }],
      ["PUT", `/api/v1/segment/${segmentId}`, { visitors: ["v"] }],
      ["DELETE", `/api/v1/segment/${segmentId}`, undefined],
      ["PUT", `/api/v1/segment/${segmentId}/visitor/v`, undefined],
      ["DELETE", `/api/v1/segment/${segmentId}/visitor/user-8`, undefined],
    ] as const) {
      expectError(await call(method, path, { key: readKey, body }), 403, "insufficient_scope");
    }
    assert.deepEqual((await counts()).slice(0, 2), before.slice(0, 2));
  });

  test("another subscription's key finds none of these segments: 404 not_found, never 403", async () => {
    assert.deepEqual((await call("GET", "/api/v1/segment", { key: otherKey })).body, []);
    const before = await counts();
    for (const [method, path, body] of [
      ["GET", `/api/v1/segment/${segmentId}`, undefined],
      ["GET", `/api/v1/segment/${segmentId}/status`, undefined],
      ["PATCH", `/api/v1/segment/${segmentId}/visitor`, { patch: [{ op: "add", value: ["v"] }] }],
      ["PUT", `/api/v1/segment/${segmentId}`, { visitors: ["v"] }],
      ["DELETE", `/api/v1/segment/${segmentId}`, undefined],
      ["PUT", `/api/v1/segment/${segmentId}/visitor/v`, undefined],
      ["DELETE", `/api/v1/segment/${segmentId}/visitor/user-8`, undefined],
    ] as const) {
      expectError(await call(method, path, { key: otherKey, body }), 404, "not_found", /No segment/);
    }
    assert.deepEqual(await counts(), before);
  });

  test("DELETE /segment/:id removes the segment and its visitors: 204, then 404", async () => {
    const deleted = await call("DELETE", `/api/v1/segment/${segmentId}`, { key: writeKey });
    assert.equal(deleted.status, 204, deleted.text);
    expectError(await call("GET", `/api/v1/segment/${segmentId}`, { key: readKey }), 404, "not_found");
    assert.deepEqual(await members(segmentId), []);
    expectError(await call("DELETE", `/api/v1/segment/${segmentId}`, { key: writeKey }), 404, "not_found");
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: segmentId });
    assert.equal(audit[0]?.action, "segment.deleted");
  });
});

describe("admin API: segments", () => {
  test("owners and members create, patch, replace and delete; viewers read; audited with the user", async () => {
    const owner = await adminSession(cairn, "owner");
    const created = await callAdmin(cairn, owner, "POST", "/api/admin/segments", {
      name: "Admins' list",
      visitors: ["u1", "u2"],
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.createdByApi, false);
    assert.equal((created.body.createdByUser as Json).userType, "user");
    const id = String(created.body.id);
    const listed = await callAdmin(cairn, owner, "GET", "/api/admin/segments");
    assert.deepEqual(
      (listed.body.segments as Json[]).map((s) => s.id),
      [id],
    );
    const patched = await callAdmin(cairn, owner, "PATCH", `/api/admin/segments/${id}/visitors`, {
      patch: [{ op: "add", path: "/visitors", value: ["u3"] }],
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await callAdmin(cairn, owner, "GET", `/api/admin/segments/${id}`)).body.visitorCount, 3);
    const member = await adminSession(cairn, "member");
    const replaced = await callAdmin(cairn, member, "PUT", `/api/admin/segments/${id}`, { visitors: ["u9"] });
    assert.deepEqual([replaced.status, replaced.body.visitorCount], [200, 1]);
    const viewer = await adminSession(cairn, "viewer");
    assert.equal((await callAdmin(cairn, viewer, "GET", `/api/admin/segments/${id}`)).status, 200);
    expectError(
      await callAdmin(cairn, viewer, "POST", "/api/admin/segments", { name: "N", visitors: ["v"] }),
      403,
      "forbidden",
    );
    expectError(
      await callAdmin(cairn, owner, "POST", "/api/admin/segments", { name: "N", visitors: [] }),
      400,
      "bad_request",
    );
    const stranger = await adminSession(cairn, "owner", "sub_other");
    expectError(await callAdmin(cairn, stranger, "GET", `/api/admin/segments/${id}`), 404, "not_found");
    expectError(await callAdmin(cairn, stranger, "DELETE", `/api/admin/segments/${id}`), 404, "not_found");
    assert.equal((await callAdmin(cairn, owner, "DELETE", `/api/admin/segments/${id}`)).status, 204);
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: id });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [
        ["segment.deleted", owner.userId],
        ["segment.updated", member.userId],
        ["segment.updated", owner.userId],
        ["segment.created", owner.userId],
      ],
    );
    assert.equal((await callApi(cairn, "GET", "/api/admin/segments")).status, 401);
  });
});
