import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { listAudit } from "../access/audit/audit-log.js";
import { createKey } from "../access/keys/key-service.js";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import {
  type AdminSession,
  type Answer,
  adminSession,
  callAdmin,
  callApi,
  errorOf,
  type Json,
} from "../start/test-support/api-calls.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let subscriptionId: string;
let writeKey: string;
let readKey: string;
let otherKey: string;
let owner: AdminSession;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("guide-api"), port: "0", logLevel: "silent" },
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
  owner = await adminSession(cairn, "owner");
});
after(() => cairn.shutdown());

const call = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) =>
  callApi(cairn, method, path, options);
const admin = (method: string, path: string, body?: unknown) => callAdmin(cairn, owner, method, path, body);

function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(errorOf(answer).code, code);
  if (message) assert.match(errorOf(answer).message, message);
}

/** A guide using every field and every block and action. */
function fullGuide(): Json {
  return {
    name: "Welcome tour",
    launchMethod: "auto",
    priority: 5,
    startsAt: "2026-01-01T00:00:00Z",
    endsAt: "2027-01-01T00:00:00Z",
    urlRule: "//*/dashboard",
    activationSelector: "#help",
    stagedVisitorIds: ["qa-1"],
    polls: [
      { id: "nps", type: "nps", question: "How likely are you to recommend us?" },
      {
        id: "pick",
        type: "multipleChoice",
        question: "What do you use most?",
        choices: ["Reports", "Guides"],
      },
      { id: "why", type: "freeText", question: "Why?" },
      { id: "ok", type: "yesNo", question: "Was this useful?" },
    ],
    steps: [
      {
        type: "lightbox",
        content: {
          blocks: [
            { type: "heading", text: "Welcome!", level: 1 },
            { type: "text", text: "A short tour." },
            { type: "image", url: "https://cdn.example.com/tour.png", alt: "the dashboard" },
            { type: "button", label: "Next", action: { type: "advanceGuide" } },
            {
              type: "button",
              label: "Later",
              action: { type: "snoozeGuide", duration: { value: 1, unit: "Day" } },
            },
          ],
        },
      },
      {
        type: "tooltip",
        anchorSelector: "#reports",
        closeButton: false,
        content: {
          blocks: [
            { type: "poll", pollId: "nps" },
            { type: "poll", pollId: "pick" },
            { type: "poll", pollId: "why" },
            { type: "poll", pollId: "ok" },
            { type: "button", label: "Send", action: { type: "submitPoll" } },
            { type: "button", label: "Back", action: { type: "previousStep" } },
          ],
        },
      },
      {
        type: "banner",
        content: {
          blocks: [
            { type: "text", text: "Read more in the docs." },
            {
              type: "button",
              label: "Docs",
              action: { type: "openLink", url: "https://docs.example.com/", newTab: true },
            },
            { type: "button", label: "Done", action: { type: "dismissGuide" } },
          ],
        },
      },
    ],
  };
}

describe("guides: admin API", () => {
  let id: string;

  test("POST creates a draft in Pendo's shape; GET and the list answer it; changes are audited", async () => {
    const created = await admin("POST", "/api/admin/guides", fullGuide());
    assert.equal(created.status, 201, created.text);
    id = String(created.body.id);
    assert.match(id, /^gde_\w{22}$/);
    assert.equal(created.body.kind, "Guide");
    assert.equal(created.body.state, "draft");
    assert.equal(created.body.isMultiStep, true);
    assert.equal(created.body.appId, cairn.installation.app.id);
    assert.equal(created.body.showsAfter, Date.parse("2026-01-01T00:00:00Z"));
    const steps = created.body.steps as Json[];
    assert.deepEqual(
      steps.map((s) => [s.type, s.rank, s.elementPathRule, s.pollIds]),
      [
        ["lightbox", 0, "", []],
        ["tooltip", 1, "#reports", ["nps", "pick", "why", "ok"]],
        ["banner", 2, "", []],
      ],
    );
    const regex = new RegExp(String(steps[0]?.regexUrlRule));
    assert.ok(regex.test("https://app.example.com/dashboard"));
    assert.ok(!regex.test("https://app.example.com/settings"));
    const domJson = steps[0]?.domJson as { props: Json };
    assert.equal(domJson.props.id, "pendo-base");
    assert.deepEqual(
      (created.body.polls as Json[]).map((p) => [p.id, (p.attributes as Json).type, p.numericResponses]),
      [
        ["nps", "NPSRating", true],
        ["pick", "PickList", false],
        ["why", "FreeForm", false],
        ["ok", "YesNo", false],
      ],
    );

    const got = await admin("GET", `/api/admin/guides/${id}`);
    assert.deepEqual(got.body, created.body);
    const list = await admin("GET", "/api/admin/guides?state=draft");
    assert.deepEqual(
      (list.body.guides as Json[]).map((g) => g.id),
      [id],
    );
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: id });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [["guide.created", owner.userId]],
    );
  });

  test("PATCH changes the fields given; a step keeps its id when named; unknown step ids are refused", async () => {
    const before = (await admin("GET", `/api/admin/guides/${id}`)).body;
    const [first] = before.steps as Json[];
    const patched = await admin("PATCH", `/api/admin/guides/${id}`, {
      name: "Tour",
      steps: [{ id: first?.id, type: "lightbox", content: { blocks: [{ type: "text", text: "Hello" }] } }],
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.name, "Tour");
    assert.deepEqual(
      (patched.body.steps as Json[]).map((s) => s.id),
      [first?.id],
    );
    assert.ok(Number(patched.body.lastUpdatedAt) > Number(before.lastUpdatedAt));
    assert.equal((patched.body.polls as Json[]).length, 4, "polls not given stay");
    expectError(
      await admin("PATCH", `/api/admin/guides/${id}`, {
        steps: [{ id: "gst_nope", type: "lightbox", content: { blocks: [] } }],
      }),
      400,
      "bad_request",
      /^steps\[0\]\.id: "gst_nope" is not a step of this guide/,
    );
    expectError(
      await admin("PATCH", `/api/admin/guides/${id}`, {
        steps: [{ type: "lightbox", content: { blocks: [{ type: "poll", pollId: "gone" }] } }],
      }),
      400,
      "bad_request",
      /^steps\[0\]\.content: shows poll "gone", which is not in the guide's polls/,
    );
  });

  test("state rules: staged needs staged visitors, public a step; dom needs a selector; publishedAt is set", async () => {
    const bare = await admin("POST", "/api/admin/guides", { name: "Bare" });
    assert.equal(bare.status, 201, bare.text);
    const bareId = String(bare.body.id);
    expectError(
      await admin("PUT", `/api/admin/guides/${bareId}/state`, { state: "public" }),
      400,
      "bad_request",
      /^steps: A public guide needs at least one step/,
    );
    await admin("PATCH", `/api/admin/guides/${bareId}`, {
      launchMethod: "dom",
      steps: [{ type: "lightbox", content: { blocks: [{ type: "text", text: "Hi" }] } }],
    });
    expectError(
      await admin("PUT", `/api/admin/guides/${bareId}/state`, { state: "public" }),
      400,
      "bad_request",
      /^activationSelector: /,
    );
    await admin("PATCH", `/api/admin/guides/${bareId}`, { activationSelector: "#help" });
    expectError(
      await admin("PUT", `/api/admin/guides/${bareId}/state`, { state: "staged" }),
      400,
      "bad_request",
      /^stagedVisitorIds: /,
    );
    expectError(
      await admin("PUT", `/api/admin/guides/${bareId}/state`, { state: "live" }),
      400,
      "bad_request",
      /^state: is "live"/,
    );
    const published = await admin("PUT", `/api/admin/guides/${bareId}/state`, { state: "public" });
    assert.equal(published.status, 200, published.text);
    assert.equal(published.body.state, "public");
    assert.equal(typeof published.body.publishedAt, "number");
    assert.deepEqual((published.body.attributes as Json).activation, { selector: "#help", event: ["click"] });
    // A public guide stays consistent: its last step cannot be taken away.
    expectError(
      await admin("PATCH", `/api/admin/guides/${bareId}`, { steps: [] }),
      400,
      "bad_request",
      /^steps: /,
    );
    const disabled = await admin("PUT", `/api/admin/guides/${bareId}/state`, { state: "disabled" });
    assert.equal(disabled.body.state, "disabled");
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: bareId });
    assert.ok(audit.some((a) => a.action === "guide.state_changed"));
  });

  test("targeting: a segment and a page must be the subscription's; pageId and urlRule exclude each other", async () => {
    expectError(
      await admin("POST", "/api/admin/guides", { name: "T", segmentId: "seg_nope" }),
      400,
      "bad_request",
      /^segmentId: no segment "seg_nope"/,
    );
    expectError(
      await admin("POST", "/api/admin/guides", { name: "T", pageId: "page_nope" }),
      400,
      "bad_request",
      /^pageId: no page/,
    );
    expectError(
      await admin("POST", "/api/admin/guides", { name: "T", pageId: "page_x", urlRule: "//*/a" }),
      400,
      "bad_request",
      /^urlRule: a guide has a pageId or a urlRule, not both/,
    );
    const segment = await call("POST", "/api/v1/segment/upload", {
      key: writeKey,
      body: { name: "Beta", visitors: ["v1"] },
    });
    const segmentId = String(segment.body.segmentId);
    const page = await call("POST", "/api/v1/page", {
      key: writeKey,
      body: { name: "Settings", rules: ["//*/settings"] },
    });
    assert.equal(page.status, 201, page.text);
    const made = await admin("POST", "/api/admin/guides", { name: "T", segmentId, pageId: page.body.id });
    assert.equal(made.status, 201, made.text);
    assert.deepEqual((made.body.audience as Json[]).at(-1), { segment: { id: segmentId } });
    const [step] = (
      await admin("PATCH", `/api/admin/guides/${made.body.id}`, {
        steps: [{ type: "lightbox", content: { blocks: [] } }],
      })
    ).body.steps as Json[];
    assert.equal(step?.pageId, page.body.id);
    assert.ok(new RegExp(String(step?.regexUrlRule)).test("https://a.example.com/settings"));
  });

  test("permissions: a viewer reads and is refused changes; another subscription's user finds nothing", async () => {
    const viewer = await adminSession(cairn, "viewer");
    assert.equal((await callAdmin(cairn, viewer, "GET", `/api/admin/guides/${id}`)).status, 200);
    expectError(await callAdmin(cairn, viewer, "POST", "/api/admin/guides", { name: "N" }), 403, "forbidden");
    expectError(
      await callAdmin(cairn, viewer, "PUT", `/api/admin/guides/${id}/state`, { state: "disabled" }),
      403,
      "forbidden",
    );
    expectError(await callAdmin(cairn, viewer, "DELETE", `/api/admin/guides/${id}`), 403, "forbidden");
    const member = await adminSession(cairn, "member");
    assert.equal(
      (await callAdmin(cairn, member, "PATCH", `/api/admin/guides/${id}`, { priority: 1 })).status,
      200,
    );
    const stranger = await adminSession(cairn, "owner", "sub_other");
    expectError(await callAdmin(cairn, stranger, "GET", `/api/admin/guides/${id}`), 404, "not_found");
    expectError(
      await callAdmin(cairn, stranger, "PATCH", `/api/admin/guides/${id}`, { name: "x" }),
      404,
      "not_found",
    );
    expectError(await callAdmin(cairn, stranger, "DELETE", `/api/admin/guides/${id}`), 404, "not_found");
    assert.deepEqual((await callAdmin(cairn, stranger, "GET", "/api/admin/guides")).body.guides, []);
  });

  test("resets are recorded per visitor, for one guide or all; DELETE removes a guide", async () => {
    const one = await admin("POST", `/api/admin/guides/${id}/visitor/v%201/reset`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual([one.body.guideId, one.body.visitorId], [id, "v 1"]);
    const all = await admin("POST", "/api/admin/guides/all/visitor/v1/reset");
    assert.equal(all.body.guideId, null);
    expectError(await admin("POST", "/api/admin/guides/gde_nope/visitor/v1/reset"), 404, "not_found");
    assert.equal((await admin("DELETE", `/api/admin/guides/${id}`)).status, 204);
    expectError(await admin("GET", `/api/admin/guides/${id}`), 404, "not_found");
    assert.deepEqual(
      await cairn.metadata.db.selectFrom("guide_steps").select("id").where("guide_id", "=", id).execute(),
      [],
    );
  });
});

describe("guides: v1 API", () => {
  let id: string;

  before(async () => {
    const created = await admin("POST", "/api/admin/guides", fullGuide());
    id = String(created.body.id);
  });

  test("GET /guide lists (default app, ?state=, ?id=) and GET /guide/:id reads; other subscriptions see none", async () => {
    const list = await call("GET", "/api/v1/guide", { key: readKey });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.some((g) => g.id === id));
    const byId = await call("GET", `/api/v1/guide?id=${id}`, { key: readKey });
    assert.deepEqual(
      byId.body.map((g) => g.id),
      [id],
    );
    const publicOnes = await call("GET", "/api/v1/guide?state=public", { key: readKey });
    assert.ok(!publicOnes.body.some((g) => g.id === id));
    expectError(await call("GET", "/api/v1/guide?state=live", { key: readKey }), 400, "bad_request", /state/);
    const one = await call("GET", `/api/v1/guide/${id}`, { key: readKey });
    assert.equal(one.body.name, "Welcome tour");
    expectError(await call("GET", `/api/v1/guide/${id}`, { key: otherKey }), 404, "not_found");
    assert.deepEqual((await call("GET", "/api/v1/guide?expand=*", { key: otherKey })).body, []);
  });

  test("the aggregation's guides source lists them, with their steps and polls", async () => {
    const answer = await call("POST", "/api/v1/aggregation", {
      key: readKey,
      body: {
        response: { mimeType: "application/json" },
        request: { pipeline: [{ source: { guides: null } }, { filter: `id == "${id}"` }] },
      },
    });
    assert.equal(answer.status, 200, answer.text);
    const [row] = answer.body.results as Json[];
    assert.ok(row, answer.text);
    assert.equal(row.kind, "Guide");
    assert.equal(row.name, "Welcome tour");
    assert.equal(row.state, "draft");
    assert.deepEqual(
      (row.steps as Json[]).map((s) => [s.type, s.rank]),
      [
        ["lightbox", 0],
        ["tooltip", 1],
        ["banner", 2],
      ],
    );
    assert.deepEqual(
      (row.polls as Json[]).map((p) => p.id),
      ["nps", "pick", "why", "ok"],
    );
  });

  test("PUT state and segment need a write key; resets answer 200; another subscription's guide is a 404", async () => {
    expectError(
      await call("PUT", `/api/v1/guide/${id}/state`, { key: readKey, body: { state: "staged" } }),
      403,
      "insufficient_scope",
    );
    const staged = await call("PUT", `/api/v1/guide/${id}/state`, {
      key: writeKey,
      body: { state: "staged" },
    });
    assert.equal(staged.status, 200, staged.text);
    assert.equal(staged.body.state, "staged");
    expectError(
      await call("PUT", `/api/v1/guide/${id}/state`, { key: otherKey, body: { state: "public" } }),
      404,
      "not_found",
    );
    const segment = await call("POST", "/api/v1/segment/upload", {
      key: writeKey,
      body: { name: "Pilot", visitors: ["v2"] },
    });
    const segmented = await call("PUT", `/api/v1/guide/${id}/segment`, {
      key: writeKey,
      body: { segmentId: segment.body.segmentId },
    });
    assert.equal(segmented.body.segmentId, segment.body.segmentId);
    const cleared = await call("PUT", `/api/v1/guide/${id}/segment`, {
      key: writeKey,
      body: { segmentId: null },
    });
    assert.equal(cleared.body.segmentId, null);
    expectError(
      await call("PUT", `/api/v1/guide/${id}/segment`, { key: writeKey, body: { segmentId: 7 } }),
      400,
      "bad_request",
      /^segmentId: /,
    );

    const reset = await call("POST", `/api/v1/guide/${id}/visitor/user-1/reset`, { key: writeKey });
    assert.equal(reset.status, 200, reset.text);
    assert.deepEqual([reset.body.guideId, reset.body.visitorId], [id, "user-1"]);
    const all = await call("POST", "/api/v1/guide/all/visitor/a%40b.com/reset", { key: writeKey });
    assert.deepEqual([all.status, all.body.guideId, all.body.visitorId], [200, null, "a@b.com"]);
    expectError(
      await call("POST", `/api/v1/guide/${id}/visitor/user-1/reset`, { key: readKey }),
      403,
      "insufficient_scope",
    );
    expectError(
      await call("POST", `/api/v1/guide/${id}/visitor/user-1/reset`, { key: otherKey }),
      404,
      "not_found",
    );
    const stagedOne = await call("POST", `/api/v1/guide/${id}/reset`, { key: writeKey });
    assert.equal(stagedOne.status, 200, stagedOne.text);
    assert.deepEqual([stagedOne.body.guideIds, stagedOne.body.resets], [[id], 1]);
    const stagedAll = await call("POST", "/api/v1/guide/staged/reset", { key: writeKey });
    assert.deepEqual([stagedAll.body.guideIds, stagedAll.body.resets], [[id], 1]);
    const qa = await cairn.metadata.db
      .selectFrom("guide_resets")
      .select("guide_id")
      .where("visitor_id", "=", "qa-1")
      .execute();
    assert.deepEqual(
      qa.map((r) => r.guide_id),
      [id, id],
    );
    expectError(await call("POST", `/api/v1/guide/${id}/reset`, { key: readKey }), 403, "insufficient_scope");
    expectError(await call("POST", `/api/v1/guide/${id}/reset`, { key: otherKey }), 404, "not_found");
    await call("PUT", `/api/v1/guide/${id}/state`, { key: writeKey, body: { state: "draft" } });
    expectError(
      await call("POST", `/api/v1/guide/${id}/reset`, { key: writeKey }),
      409,
      "conflict",
      /is draft/,
    );

    const rows = await cairn.metadata.db
      .selectFrom("guide_resets")
      .select(["guide_id", "visitor_id"])
      .where("subscription_id", "=", subscriptionId)
      .where("visitor_id", "in", ["user-1", "a@b.com"])
      .orderBy("visitor_id", "desc")
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.guide_id, r.visitor_id]),
      [
        [id, "user-1"],
        [null, "a@b.com"],
      ],
    );
  });
});

describe("guides: hostile content, through every field", () => {
  /** Sets `value` at `path` of a copy of the full guide. */
  function withValue(path: (string | number)[], value: unknown): Json {
    const guide = fullGuide();
    let at: Record<string | number, unknown> = guide;
    for (const part of path.slice(0, -1)) at = at[part] as Record<string | number, unknown>;
    at[path.at(-1) as string | number] = value;
    return guide;
  }

  const script = "<script>alert(1)</script>";
  const handler = "<img src=x onerror=alert(1)>";
  const textFields: (string | number)[][] = [
    ["name"],
    ["polls", 0, "question"],
    ["polls", 1, "choices", 0],
    ["steps", 0, "content", "blocks", 0, "text"],
    ["steps", 0, "content", "blocks", 1, "text"],
    ["steps", 0, "content", "blocks", 2, "alt"],
    ["steps", 0, "content", "blocks", 3, "label"],
  ];
  const urlFields: (string | number)[][] = [
    ["steps", 0, "content", "blocks", 2, "url"],
    ["steps", 2, "content", "blocks", 1, "action", "url"],
  ];
  const field = (path: (string | number)[]) =>
    path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
  const escaped = (text: string) => text.replace(/[[\].]/g, (c) => `\\${c}`);

  test("markup and control characters in any text field: 400 naming the field", async () => {
    for (const path of textFields) {
      for (const value of [script, handler, "</p><p>", "<!-- x -->", "a\u0000b", "\u202eevil"]) {
        const answer = await admin("POST", "/api/admin/guides", withValue(path, value));
        expectError(answer, 400, "bad_request", new RegExp(`^${escaped(field(path))}: `));
      }
    }
  });

  test("javascript:, data:, relative and credentialed URLs in any URL field: 400 naming the field", async () => {
    for (const path of urlFields) {
      for (const value of [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example.com/x",
        "/relative",
        "https://user:pw@example.com/",
        "not a url",
        `https://example.com/${"a".repeat(3000)}`,
      ]) {
        const answer = await admin("POST", "/api/admin/guides", withValue(path, value));
        expectError(answer, 400, "bad_request", new RegExp(`^${escaped(field(path))}`));
      }
    }
  });

  test("unknown fields at every level, nesting, wrong types, hostile ids and huge strings: 400 naming the field", async () => {
    const cases: [(string | number)[], unknown, RegExp][] = [
      [["onload"], "alert(1)", /^onload: is not a known field/],
      [["steps", 0, "html"], "<b>", /^steps\[0\]\.html: is not a known field/],
      [["steps", 0, "content", "style"], "x", /^steps\[0\]\.content\.style: is not a known field/],
      [
        ["steps", 0, "content", "blocks", 0, "html"],
        "<b>x</b>",
        /^steps\[0\]\.content\.blocks\[0\]\.html: is not a known field/,
      ],
      [
        ["steps", 0, "content", "blocks", 0, "children"],
        [{ type: "text", text: "x" }],
        /^steps\[0\]\.content\.blocks\[0\]\.children/,
      ],
      [
        ["steps", 0, "content", "blocks", 3, "action", "script"],
        "x",
        /^steps\[0\]\.content\.blocks\[3\]\.action\.script/,
      ],
      [
        ["steps", 0, "content", "blocks", 3, "action", "type"],
        "runScript",
        /^steps\[0\]\.content\.blocks\[3\]\.action\.type: is "runScript"/,
      ],
      [
        ["steps", 0, "content", "blocks", 0, "type"],
        "html",
        /^steps\[0\]\.content\.blocks\[0\]\.type: is "html"/,
      ],
      [
        ["steps", 0, "content", "blocks", 0],
        { type: "text", text: { toString: "x" } },
        /^steps\[0\]\.content\.blocks\[0\]\.text/,
      ],
      [
        ["steps", 0, "content", "blocks", 0],
        "just a string",
        /^steps\[0\]\.content\.blocks\[0\]: is not an object/,
      ],
      [
        ["steps", 0, "content", "blocks"],
        Array.from({ length: 41 }, () => ({ type: "text", text: "x" })),
        /^steps\[0\]\.content\.blocks: has 41 blocks/,
      ],
      [
        ["steps", 0, "content", "blocks", 0, "text"],
        "x".repeat(100_000),
        /^steps\[0\]\.content\.blocks\[0\]\.text: expected string length less or equal to 200/,
      ],
      [
        ["steps", 0, "content", "blocks", 1, "text"],
        "x".repeat(2001),
        /^steps\[0\]\.content\.blocks\[1\]\.text/,
      ],
      [["name"], "x".repeat(201), /^name/],
      [
        ["steps", 1, "content", "blocks", 0, "pollId"],
        'x" onload="alert(1)',
        /^steps\[1\]\.content\.blocks\[0\]\.pollId/,
      ],
      [["polls", 0, "id"], "a b", /^polls\[0\]\.id/],
      [
        ["steps", 1, "anchorSelector"],
        "#a\n<script>",
        /^steps\[1\]\.anchorSelector: has a control character/,
      ],
      [["activationSelector"], "#a\u0000", /^activationSelector: /],
      [["stagedVisitorIds"], ["x".repeat(600)], /^stagedVisitorIds\[0\]/],
      [["steps", 0, "type"], "modal", /^steps\[0\]\.type/],
      [["polls", 3, "choices"], ["Yes"], /^polls\[3\]\.choices: only a multipleChoice poll has choices/],
      [
        ["steps", 1, "content", "blocks", 1, "pollId"],
        "missing",
        /^steps\[1\]\.content: shows poll "missing"/,
      ],
      [["startsAt"], "tomorrow", /^startsAt: /],
      [["endsAt"], "2025-01-01T00:00:00Z", /^endsAt: is not after startsAt/],
      [["priority"], 1e9, /^priority/],
      [["urlRule"], "javascript:alert(1)", /^urlRule: /],
    ];
    for (const [path, value, message] of cases) {
      const answer = await admin("POST", "/api/admin/guides", withValue(path, value));
      expectError(answer, 400, "bad_request", message);
    }
    // A document nested a thousand deep is refused at its first unknown field, without recursion.
    let deep: Json = { type: "text", text: "x" };
    for (let i = 0; i < 1000; i++) deep = { type: "text", text: "x", children: [deep] };
    expectError(
      await admin("POST", "/api/admin/guides", withValue(["steps", 0, "content", "blocks", 0], deep)),
      400,
      "bad_request",
      /^steps\[0\]\.content\.blocks\[0\]\.children: is not a known field/,
    );
    expectError(
      await admin("POST", "/api/admin/guides", JSON.parse('{"name":"x","__proto__":{"polluted":true}}')),
      400,
      "bad_request",
      /not valid JSON|is not a known field/,
    );
    expectError(
      await admin("POST", "/api/admin/guides", { name: "x".repeat(600_000) }),
      413,
      "payload_too_large",
    );
    const [count] = await cairn.metadata.db
      .selectFrom("guides")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("name", "like", "%<%")
      .execute();
    assert.equal(Number(count?.n), 0, "nothing hostile was stored");
  });

  test("the same checks through the v1 context's neighbours: plain text that merely mentions < is kept", async () => {
    const ok = await admin(
      "POST",
      "/api/admin/guides",
      withValue(["steps", 0, "content", "blocks", 1, "text"], "1 < 2, a > b & c"),
    );
    assert.equal(ok.status, 201, ok.text);
  });
});
