import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { listAudit } from "../../access/audit/audit-log.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import {
  type AdminSession,
  type Answer,
  adminSession,
  callAdmin,
  callApi,
  errorOf,
  type Json,
} from "../../start/test-support/api-calls.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { createIdea } from "../ideas/idea-service.js";

let cairn: RunningCairn;
let subscriptionId: string;
let feedbackKey: string;
let otherKey: string;
let member: AdminSession;
let viewer: AdminSession;
let otherMember: AdminSession;
/** Ideas by name: dark mode (most wanted), export (from the panel), sso, old (declined). */
const ids = { old: "", sso: "", dark: "", export: "" };
let otherIdeaId: string;

const v1 = (method: string, path: string, body?: unknown, key = feedbackKey) =>
  callApi(cairn, method, path, { key, body });

function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(errorOf(answer).code, code, answer.text);
  if (message) assert.match(errorOf(answer).message, message);
}

async function newIdea(title: string, extra: Json = {}): Promise<string> {
  const created = await v1("POST", "/api/v1/ideas", { title, ...extra });
  assert.equal(created.status, 201, created.text);
  return String(created.body.id);
}

async function vote(ideaId: string, user: Json, quantity: number): Promise<void> {
  const answer = await v1("POST", `/api/v1/ideas/${ideaId}/votes`, { user, quantity });
  assert.equal(answer.status, 200, answer.text);
}

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("feedback-admin"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  subscriptionId = cairn.installation.subscription.id;
  feedbackKey = (await keysOfEveryKind(cairn)).feedback;
  otherKey = await otherSubscriptionKey(cairn, "feedback");
  member = await adminSession(cairn, "member");
  viewer = await adminSession(cairn, "viewer");
  otherMember = await adminSession(cairn, "member", "sub_other");

  ids.old = await newIdea("Old idea", { details: "declined long ago" });
  ids.sso = await newIdea("Single sign-on", { details: "SAML please" });
  ids.dark = await newIdea("Dark mode", { details: "The user would like a dark mode feature" });
  const panelIdea = await createIdea(
    cairn.metadata.db,
    { subscriptionId, keyId: `widget:${cairn.installation.app.id}` },
    { title: "Export to CSV", user: { id: "panel-user" } },
  );
  ids.export = panelIdea.id;
  const other = await v1("POST", "/api/v1/ideas", { title: "Theirs" }, otherKey);
  assert.equal(other.status, 201, other.text);
  otherIdeaId = String(other.body.id);

  const acme = { id: "acme", name: "Acme Inc" };
  await vote(ids.dark, { id: "ann", name: "Ann", account: acme }, 1);
  await vote(ids.dark, { id: "bob", account: acme }, 3);
  await vote(ids.dark, { id: "cy", account: { id: "globex" } }, 1);
  await vote(ids.dark, { id: "dee" }, 2);
  await vote(ids.dark, { id: "eve", account: { id: "globex" } }, -1);
  await vote(ids.sso, { id: "ann", account: acme }, 1);
  await vote(ids.export, { id: "panel-user" }, 2);
  // A minute apart, in the order made, so `newest` has one order.
  for (const [i, id] of [ids.old, ids.sso, ids.dark, ids.export].entries()) {
    await cairn.metadata.db
      .updateTable("feedback_ideas")
      .set({ created_at: new Date(Date.now() - (5 - i) * 60_000).toISOString() })
      .where("id", "=", id)
      .execute();
  }
  const declined = await v1("PATCH", `/api/v1/ideas/${ids.old}`, { status: "declined" });
  assert.equal(declined.status, 200, declined.text);
});
after(() => cairn.shutdown());

describe("who may call", () => {
  test("without a session every route answers 401 not_signed_in, and nothing changes", async () => {
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/admin/ideas"],
      ["GET", `/api/admin/ideas/${ids.dark}`],
      ["GET", `/api/admin/ideas/${ids.dark}/comments`],
      ["GET", `/api/admin/ideas/${ids.dark}/votes`],
      ["PATCH", `/api/admin/ideas/${ids.dark}`, { status: "planned" }],
      ["POST", `/api/admin/ideas/${ids.sso}/merge`, { into: ids.dark }],
      ["POST", `/api/admin/ideas/${ids.dark}/comments`, { body: "hi" }],
      ["DELETE", `/api/admin/ideas/${ids.dark}`],
    ];
    for (const [method, path, body] of calls) {
      expectError(await callApi(cairn, method, path, { body }), 401, "not_signed_in");
      // A Feedback key is no session.
      expectError(await callApi(cairn, method, path, { body, key: feedbackKey }), 401, "not_signed_in");
      expectError(
        await callApi(cairn, method, path, { body, headers: { cookie: "cairn_session=forged" } }),
        401,
        "not_signed_in",
      );
    }
    const dark = await v1("GET", `/api/v1/ideas/${ids.dark}`);
    assert.equal(dark.body.status, "new");
    assert.equal(dark.body.mergedInto, null);
  });

  test("a write without the CSRF token answers 403 csrf_failed and changes nothing", async () => {
    const writes: [string, string, unknown?][] = [
      ["PATCH", `/api/admin/ideas/${ids.dark}`, { status: "planned" }],
      ["POST", `/api/admin/ideas/${ids.sso}/merge`, { into: ids.dark }],
      ["POST", `/api/admin/ideas/${ids.dark}/comments`, { body: "hi" }],
      ["DELETE", `/api/admin/ideas/${ids.dark}`],
    ];
    for (const [method, path, body] of writes) {
      const noToken = await callApi(cairn, method, path, { body, headers: { cookie: member.cookie } });
      expectError(noToken, 403, "csrf_failed");
      const wrongToken = await callApi(cairn, method, path, {
        body,
        headers: { cookie: member.cookie, "x-csrf-token": viewer.csrf },
      });
      expectError(wrongToken, 403, "csrf_failed");
    }
    const dark = await v1("GET", `/api/v1/ideas/${ids.dark}`);
    assert.equal(dark.body.status, "new");
    assert.equal(dark.body.comments, 0);
    assert.equal((await v1("GET", `/api/v1/ideas/${ids.sso}`)).body.mergedInto, null);
  });

  test("a viewer reads everything but every write is refused with 403 forbidden naming who may", async () => {
    assert.equal((await callAdmin(cairn, viewer, "GET", "/api/admin/ideas")).status, 200);
    assert.equal((await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.dark}`)).status, 200);
    assert.equal((await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.dark}/votes`)).status, 200);
    assert.equal(
      (await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.dark}/comments`)).status,
      200,
    );
    const writes: [string, string, unknown?][] = [
      ["PATCH", `/api/admin/ideas/${ids.dark}`, { status: "planned" }],
      ["POST", `/api/admin/ideas/${ids.sso}/merge`, { into: ids.dark }],
      ["POST", `/api/admin/ideas/${ids.dark}/comments`, { body: "hi" }],
      ["DELETE", `/api/admin/ideas/${ids.dark}`],
    ];
    for (const [method, path, body] of writes) {
      expectError(
        await callAdmin(cairn, viewer, method, path, body),
        403,
        "forbidden",
        /This needs a member, admin or owner; you are a viewer\./,
      );
    }
    const dark = await v1("GET", `/api/v1/ideas/${ids.dark}`);
    assert.equal(dark.body.status, "new");
    assert.equal(dark.body.comments, 0);
    assert.equal((await v1("GET", `/api/v1/ideas/${ids.sso}`)).body.mergedInto, null);
  });
});

describe("the list", () => {
  const titles = (answer: Answer) => (answer.body.ideas as Json[]).map((idea) => idea.title);

  test("most wanted first by default, each with its votes, status, origin and times", async () => {
    const listed = await callAdmin(cairn, member, "GET", "/api/admin/ideas");
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(titles(listed), ["Dark mode", "Export to CSV", "Single sign-on", "Old idea"]);
    assert.equal(listed.body.total, 4);
    assert.equal(listed.body.next, null);
    const [dark] = listed.body.ideas as Json[];
    assert.deepEqual(dark?.votes, { count: 4, quantity: 7, notInterested: 1 });
    assert.equal(dark?.status, "new");
    assert.equal(dark?.mergedInto, null);
    assert.equal(dark?.source, "api");
    assert.equal(dark?.app, null);
    assert.equal(typeof dark?.createdAt, "string");
    assert.equal(typeof dark?.updatedAt, "string");
    const panel = (listed.body.ideas as Json[]).find((idea) => idea.id === ids.export);
    assert.equal(panel?.source, "panel");
    assert.deepEqual(panel?.app, { id: cairn.installation.app.id, name: cairn.installation.app.name });
    // Another subscription's idea is never listed.
    assert.ok(!(listed.body.ideas as Json[]).some((idea) => idea.id === otherIdeaId));
    const theirs = await callAdmin(cairn, otherMember, "GET", "/api/admin/ideas");
    assert.deepEqual(titles(theirs), ["Theirs"]);
  });

  test("sort=newest and sort=updated, status and search filter", async () => {
    const newest = await callAdmin(cairn, member, "GET", "/api/admin/ideas?sort=newest");
    assert.deepEqual(titles(newest), ["Export to CSV", "Dark mode", "Single sign-on", "Old idea"]);
    const updated = await callAdmin(cairn, member, "GET", "/api/admin/ideas?sort=updated");
    assert.equal(titles(updated)[0], "Old idea");
    const declined = await callAdmin(cairn, member, "GET", "/api/admin/ideas?status=declined");
    assert.deepEqual(titles(declined), ["Old idea"]);
    const two = await callAdmin(cairn, member, "GET", "/api/admin/ideas?status=declined,new&sort=newest");
    assert.equal(two.body.total, 4);
    const searched = await callAdmin(cairn, member, "GET", "/api/admin/ideas?search=DARK%20feature");
    assert.deepEqual(titles(searched), ["Dark mode"]);
    // LIKE's wildcards are taken literally.
    const percent = await callAdmin(cairn, member, "GET", "/api/admin/ideas?search=%25");
    assert.deepEqual(titles(percent), []);
  });

  test("limit and after page through the list; next is null on the last page", async () => {
    const seen: unknown[] = [];
    let path = "/api/admin/ideas?sort=newest&limit=3";
    for (;;) {
      const page = await callAdmin(cairn, member, "GET", path);
      assert.equal(page.status, 200, page.text);
      seen.push(...titles(page));
      if (page.body.next === null) break;
      path = `/api/admin/ideas?sort=newest&limit=3&after=${String(page.body.next)}`;
    }
    assert.deepEqual(seen, ["Export to CSV", "Dark mode", "Single sign-on", "Old idea"]);
  });

  test("a bad query is a 400 naming what is wrong", async () => {
    const bad: [string, RegExp][] = [
      ["sort=popular", /sort/],
      ["status=someday", /status/],
      ["limit=0", /limit/],
      ["limit=501", /limit/],
      ["after=-1", /after/],
      ["after=abc", /after/],
      ["q=dark", /Unknown field "q"/],
      [`search=${"x".repeat(201)}`, /search/],
    ];
    for (const [query, message] of bad) {
      expectError(
        await callAdmin(cairn, member, "GET", `/api/admin/ideas?${query}`),
        400,
        "bad_request",
        message,
      );
    }
  });
});

describe("one idea", () => {
  test("GET answers the idea with its comments count and status history; wrong ids are 404", async () => {
    const read = await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.old}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.title, "Old idea");
    assert.equal(read.body.comments, 0);
    assert.deepEqual(
      (read.body.statusChanges as Json[]).map((change) => [change.from, change.to]),
      [
        [null, "new"],
        ["new", "declined"],
      ],
    );
    expectError(
      await callAdmin(cairn, member, "GET", "/api/admin/ideas/idea_nope"),
      404,
      "not_found",
      /No idea idea_nope in this subscription/,
    );
    expectError(await callAdmin(cairn, member, "GET", `/api/admin/ideas/${otherIdeaId}`), 404, "not_found");
    expectError(
      await callAdmin(cairn, member, "GET", `/api/admin/ideas/${"x".repeat(101)}`),
      400,
      "bad_request",
    );
  });

  test("moving an idea to planned records the status change, audits it, and shows on the Feedback API", async () => {
    const before = await v1("GET", `/api/v1/ideas/${ids.dark}`);
    const moved = await callAdmin(cairn, member, "PATCH", `/api/admin/ideas/${ids.dark}`, {
      status: "planned",
    });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.status, "planned");
    assert.equal(moved.body.plannedAt, moved.body.statusChangedAt);
    assert.equal(moved.body.source, "api");

    const viaV1 = await v1("GET", `/api/v1/ideas/${ids.dark}`);
    assert.equal(viaV1.body.status, "planned");
    assert.equal(viaV1.body.plannedAt, moved.body.plannedAt);
    assert.deepEqual(viaV1.body.votes, before.body.votes);
    const planned = await v1("GET", "/api/v1/ideas?status=planned");
    assert.deepEqual(
      (planned.body.results as Json[]).map((idea) => idea.id),
      [ids.dark],
    );
    const history = await v1("GET", `/api/v1/ideas/${ids.dark}/status-changes`);
    assert.deepEqual((history.body.results as Json[]).at(-1), {
      from: "new",
      to: "planned",
      at: moved.body.plannedAt,
    });
    const stored = await cairn.metadata.db
      .selectFrom("feedback_idea_status_changes")
      .select("changed_by_key")
      .where("idea_id", "=", ids.dark)
      .where("to_status", "=", "planned")
      .executeTakeFirstOrThrow();
    assert.equal(stored.changed_by_key, member.userId);

    const [audit] = await listAudit(cairn.metadata.db, subscriptionId, { target: ids.dark });
    assert.equal(audit?.action, "idea.updated");
    assert.equal(audit?.actor, member.userId);
    assert.deepEqual(audit?.detail, { fields: ["status"], status: { from: "new", to: "planned" } });
    assert.equal(typeof audit?.ip, "string");

    const detail = await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.dark}`);
    assert.deepEqual((detail.body.statusChanges as Json[]).at(-1), (history.body.results as Json[]).at(-1));
  });

  test("PATCH changes the title and details, stored as text", async () => {
    const html = '<img src=x onerror="alert(1)"> & <b>bold</b>';
    const changed = await callAdmin(cairn, member, "PATCH", `/api/admin/ideas/${ids.sso}`, {
      title: "  SSO with SAML  ",
      details: html,
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.title, "SSO with SAML");
    assert.equal(changed.body.details, html);
    assert.match(changed.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal((await v1("GET", `/api/v1/ideas/${ids.sso}`)).body.details, html);
    const [audit] = await listAudit(cairn.metadata.db, subscriptionId, { target: ids.sso });
    assert.deepEqual(audit?.detail, { fields: ["details", "title"] });
  });

  test("a bad change is refused with a clear 400 and changes nothing", async () => {
    const path = `/api/admin/ideas/${ids.sso}`;
    const bad: [unknown, RegExp][] = [
      [{}, /fewer than 1 properties/],
      [{ status: "someday" }, /status/],
      [{ status: "planned", mergedInto: ids.dark }, /Unknown field "mergedInto"/],
      [{ description: "x" }, /Unknown field "description"/],
      [{ title: "" }, /title/],
      [{ title: "   " }, /not only spaces/],
      [{ title: "x".repeat(256) }, /title/],
      [{ title: 42 }, /title/],
      [{ details: "x".repeat(20_001) }, /details/],
      [[{ title: "x" }], /object/],
    ];
    for (const [body, message] of bad) {
      expectError(await callAdmin(cairn, member, "PATCH", path, body), 400, "bad_request", message);
    }
    const raw = await callApi(cairn, "PATCH", path, {
      raw: "{not json",
      headers: { cookie: member.cookie, "x-csrf-token": member.csrf },
    });
    expectError(raw, 400, "bad_request");
    const huge = await callApi(cairn, "PATCH", path, {
      raw: JSON.stringify({ details: "x".repeat(300_000) }),
      headers: { cookie: member.cookie, "x-csrf-token": member.csrf },
    });
    expectError(huge, 413, "payload_too_large");
    assert.equal((await v1("GET", path.replace("/admin/", "/v1/"))).body.title, "SSO with SAML");
    expectError(
      await callAdmin(cairn, member, "PATCH", "/api/admin/ideas/idea_nope", { status: "planned" }),
      404,
      "not_found",
    );
    expectError(
      await callAdmin(cairn, member, "PATCH", `/api/admin/ideas/${otherIdeaId}`, { status: "planned" }),
      404,
      "not_found",
    );
    assert.equal((await v1("GET", `/api/v1/ideas/${otherIdeaId}`, undefined, otherKey)).body.status, "new");
  });
});

describe("comments", () => {
  test("a team member's comment is stored as text, with the user as its author, and audited", async () => {
    const text = "<script>alert('x')</script> Thanks, we're on it & planning it for Q3.";
    const posted = await callAdmin(cairn, member, "POST", `/api/admin/ideas/${ids.dark}/comments`, {
      body: text,
    });
    assert.equal(posted.status, 201, posted.text);
    assert.equal(posted.body.text, text);
    assert.equal(posted.body.ideaId, ids.dark);
    assert.deepEqual(posted.body.teamMember, { id: member.userId, name: "A member" });
    assert.equal((posted.body.user as Json).id, `cairn-user:${member.userId}`);
    assert.equal((posted.body.user as Json).name, "A member");

    await v1("POST", `/api/v1/ideas/${ids.dark}/comments`, { user: { id: "ann" }, text: "Yay" });
    const listed = await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.dark}/comments`);
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.body.total, 2);
    assert.deepEqual(
      (listed.body.comments as Json[]).map((c) => [c.text, (c.teamMember as Json | null)?.id ?? null]),
      [
        [text, member.userId],
        ["Yay", null],
      ],
    );
    const viaV1 = await v1("GET", `/api/v1/ideas/${ids.dark}/comments`);
    assert.equal((viaV1.body.results as Json[])[0]?.text, text);
    const detail = await callAdmin(cairn, member, "GET", `/api/admin/ideas/${ids.dark}`);
    assert.equal(detail.body.comments, 2);
    const page = await callAdmin(cairn, member, "GET", `/api/admin/ideas/${ids.dark}/comments?limit=1`);
    assert.equal(page.body.next, "1");
    const second = await callAdmin(
      cairn,
      member,
      "GET",
      `/api/admin/ideas/${ids.dark}/comments?limit=1&after=1`,
    );
    assert.deepEqual(
      (second.body.comments as Json[]).map((c) => c.text),
      ["Yay"],
    );
    assert.equal(second.body.next, null);

    const [audit] = await listAudit(cairn.metadata.db, subscriptionId, { target: ids.dark });
    assert.equal(audit?.action, "idea.commented");
    assert.equal(audit?.actor, member.userId);
    assert.deepEqual(audit?.detail, { commentId: posted.body.id });
  });

  test("an empty, oversized or misshapen comment is a 400; another subscription's idea a 404", async () => {
    const path = `/api/admin/ideas/${ids.dark}/comments`;
    const bad: [unknown, RegExp][] = [
      [{}, /body/],
      [{ body: "" }, /body/],
      [{ body: "   " }, /not only spaces/],
      [{ body: "x".repeat(10_001) }, /body/],
      [{ body: "hi", user: { id: "someone-else" } }, /Unknown field "user"/],
      [{ text: "hi" }, /Unknown field "text"|body/],
      [{ body: ["hi"] }, /body/],
    ];
    for (const [body, message] of bad) {
      expectError(await callAdmin(cairn, member, "POST", path, body), 400, "bad_request", message);
    }
    expectError(
      await callAdmin(cairn, member, "POST", `/api/admin/ideas/${otherIdeaId}/comments`, { body: "hi" }),
      404,
      "not_found",
    );
    expectError(
      await callAdmin(cairn, member, "GET", `/api/admin/ideas/${otherIdeaId}/comments`),
      404,
      "not_found",
    );
    const listed = await callAdmin(cairn, member, "GET", path);
    assert.equal(listed.body.total, 2);
  });
});

describe("votes", () => {
  test("the votes with the accounts behind them and the voters", async () => {
    const answer = await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.dark}/votes`);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.votes, { count: 4, quantity: 7, notInterested: 1 });
    assert.deepEqual(answer.body.accounts, {
      results: [
        { account: { id: "acme", name: "Acme Inc" }, voters: 2, quantity: 4, notInterested: 0 },
        // As many voters: the greater weight first.
        { account: null, voters: 1, quantity: 2, notInterested: 0 },
        { account: { id: "globex", name: null }, voters: 1, quantity: 1, notInterested: 1 },
      ],
      total: 3,
    });
    const voters = answer.body.voters as Json;
    assert.equal(voters.total, 5);
    assert.equal(voters.next, null);
    assert.deepEqual(
      (voters.results as Json[])
        .map((v) => [(v.user as Json).id, ((v.user as Json).account as Json | null)?.id ?? null, v.quantity])
        .sort(),
      [
        ["ann", "acme", 1],
        ["bob", "acme", 3],
        ["cy", "globex", 1],
        ["dee", null, 2],
        ["eve", "globex", -1],
      ],
    );
    const paged = await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.dark}/votes?limit=2&after=2`);
    assert.equal((paged.body.voters as Json).next, "4");
    assert.equal(((paged.body.voters as Json).results as Json[]).length, 2);
    const none = await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${ids.old}/votes`);
    assert.deepEqual(none.body.accounts, { results: [], total: 0 });
    expectError(
      await callAdmin(cairn, viewer, "GET", `/api/admin/ideas/${otherIdeaId}/votes`),
      404,
      "not_found",
    );
  });
});

describe("merge and delete", () => {
  test("merging follows the service's rules: not itself, not a merged or deleted idea, not another subscription's", async () => {
    const merge = (id: string, into: unknown) =>
      callAdmin(cairn, member, "POST", `/api/admin/ideas/${id}/merge`, { into });
    expectError(await merge(ids.sso, ids.sso), 400, "bad_request", /cannot be merged into itself/);
    expectError(await merge(ids.sso, otherIdeaId), 404, "not_found", /No idea/);
    expectError(await merge(ids.sso, "idea_nope"), 404, "not_found");
    expectError(await merge(ids.sso, ""), 400, "bad_request");
    expectError(await merge(ids.sso, 7), 400, "bad_request");
    expectError(
      await callAdmin(cairn, member, "POST", `/api/admin/ideas/${ids.sso}/merge`, {
        into: ids.dark,
        force: true,
      }),
      400,
      "bad_request",
      /Unknown field "force"/,
    );

    const merged = await merge(ids.sso, ids.dark);
    assert.equal(merged.status, 200, merged.text);
    assert.equal(merged.body.mergedInto, ids.dark);
    assert.equal((await v1("GET", `/api/v1/ideas/${ids.sso}`)).body.mergedInto, ids.dark);
    const [audit] = await listAudit(cairn.metadata.db, subscriptionId, { target: ids.sso });
    assert.equal(audit?.action, "idea.merged");
    assert.equal(audit?.actor, member.userId);
    assert.deepEqual(audit?.detail, { fields: ["mergedInto"], mergedInto: ids.dark });
    const listed = await callAdmin(cairn, member, "GET", "/api/admin/ideas");
    const sso = (listed.body.ideas as Json[]).find((idea) => idea.id === ids.sso);
    assert.equal(sso?.mergedInto, ids.dark);

    expectError(await merge(ids.export, ids.sso), 409, "conflict", /is itself merged into/);
    await callAdmin(cairn, member, "DELETE", `/api/admin/ideas/${ids.old}`);
    expectError(await merge(ids.export, ids.old), 409, "conflict", /was deleted/);
  });

  test("DELETE removes the idea softly: 410 from then on, here and on the Feedback API, audited", async () => {
    const deleted = await callAdmin(cairn, member, "DELETE", `/api/admin/ideas/${ids.export}`);
    assert.equal(deleted.status, 204, deleted.text);
    expectError(await callAdmin(cairn, member, "GET", `/api/admin/ideas/${ids.export}`), 410, "gone");
    expectError(await callAdmin(cairn, member, "DELETE", `/api/admin/ideas/${ids.export}`), 410, "gone");
    expectError(
      await callAdmin(cairn, member, "POST", `/api/admin/ideas/${ids.export}/comments`, { body: "hi" }),
      410,
      "gone",
    );
    expectError(await v1("GET", `/api/v1/ideas/${ids.export}`), 410, "gone");
    const listed = await callAdmin(cairn, member, "GET", "/api/admin/ideas");
    assert.ok(!(listed.body.ideas as Json[]).some((idea) => idea.id === ids.export));
    const [audit] = await listAudit(cairn.metadata.db, subscriptionId, { target: ids.export });
    assert.equal(audit?.action, "idea.deleted");
    assert.equal(audit?.actor, member.userId);
    expectError(
      await callAdmin(cairn, otherMember, "DELETE", `/api/admin/ideas/${ids.dark}`),
      404,
      "not_found",
    );
    assert.equal((await v1("GET", `/api/v1/ideas/${ids.dark}`)).status, 200);
  });

  test("the Feedback API's own changes are not audited", async () => {
    const id = await newIdea("Via the API");
    await v1("PATCH", `/api/v1/ideas/${id}`, { status: "planned" });
    assert.deepEqual(await listAudit(cairn.metadata.db, subscriptionId, { target: id }), []);
  });
});
