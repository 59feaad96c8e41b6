import assert from "node:assert/strict";
import { test } from "node:test";
import { type ErrorBody, type Json, useClassicTestServer } from "./test-support/classic-test-server.js";

const server = useClassicTestServer("classic-users");
const { call, idea } = server;

type User = Json & { id: string; account: (Json & { id: string }) | null };

let serial = 0;
/** A fresh end user (and account, if named) through the ping, answering the User. */
async function ping(user: Json, account?: Json): Promise<User> {
  const answer = await call<User>("POST", "/feedback/users", {
    body: { user, ...(account === undefined ? {} : { account }) },
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

function unique(prefix: string): string {
  serial += 1;
  return `${prefix}-${Date.now()}-${serial}`;
}

async function expectError(
  answer: Promise<{ status: number; body: unknown }>,
  status: number,
  code: string,
): Promise<ErrorBody["error"]> {
  const { status: got, body } = await answer;
  assert.equal(got, status, JSON.stringify(body));
  const { error } = body as ErrorBody;
  assert.equal(error.code, code, JSON.stringify(body));
  return error;
}

test("PUT /feedback/users/:id changes the fields sent; permission_group_id is accepted and not stored", async () => {
  const ext = unique("put");
  const user = await ping({ id: ext, email: `${ext}@example.com`, full_name: "Ada" }, { id: unique("acc") });
  const changed = await call<User>("PUT", `/feedback/users/${user.id}`, {
    body: { name: "Ada Lovelace", permission_group_id: 7 },
  });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual(changed.body, { ...user, name: "Ada Lovelace" }, "only the name changed, not last_seen");
  assert.ok(!JSON.stringify(changed.body).includes("permission_group"), "not stored, not shown");

  const renamed = await call<User>("PUT", `/feedback/users/${user.id}`, {
    body: { external_id: `${ext}-2`, email: `new.${ext}@example.com` },
  });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.external_id, `${ext}-2`);
  assert.equal(renamed.body.email, `new.${ext}@example.com`);
  const found = await call<User>("GET", `/feedback/users/search?external_id=${ext}-2`);
  assert.equal(found.body.id, user.id);
  assert.equal((await call("GET", `/feedback/users/search?external_id=${ext}`)).status, 404);
  assert.deepEqual((await call<User>("GET", `/feedback/users/${user.id}`)).body, renamed.body);
});

test("PUT /feedback/users/:id: bad input is a 400 and changes nothing; an id in use is a 409", async () => {
  const user = await ping({ id: unique("bad"), full_name: "Bo" });
  const other = await ping({ id: unique("taken") });
  const bad: Array<[unknown, RegExp]> = [
    [{ nickname: "x" }, /nickname/],
    [{}, /fewer than 1|minProperties|must NOT have fewer/],
    [{ email: "not-an-email", name: "Changed" }, /email/],
    [{ external_id: "", name: "Changed" }, /external_id/],
    [{ name: "x".repeat(201) }, /name/],
  ];
  for (const [body, message] of bad) {
    const error = await expectError(call("PUT", `/feedback/users/${user.id}`, { body }), 400, "bad_request");
    assert.match(error.message, message);
  }
  await expectError(
    call("PUT", `/feedback/users/${user.id}`, { body: { external_id: other.external_id, name: "Changed" } }),
    409,
    "conflict",
  );
  assert.deepEqual((await call<User>("GET", `/feedback/users/${user.id}`)).body, user, "nothing changed");
});

test("PUT and DELETE on another subscription's or an unknown user or account are 404 and change nothing", async () => {
  const user = await ping({ id: unique("mine"), full_name: "Mine" }, { id: unique("acc"), name: "Mine Inc" });
  const account = user.account;
  assert.ok(account);
  const foreign = { key: server.keys.other };
  for (const [method, path, body] of [
    ["PUT", `/feedback/users/${user.id}`, { name: "Theirs" }],
    ["DELETE", `/feedback/users/${user.id}`, undefined],
    ["PUT", `/feedback/accounts/${account.id}`, { name: "Theirs" }],
    ["DELETE", `/feedback/accounts/${account.id}`, undefined],
    ["PUT", "/feedback/users/eusr_nope", { name: "x" }],
    ["DELETE", "/feedback/accounts/eacc_nope", undefined],
  ] as const) {
    const options = path.includes("_nope") ? { body } : { ...foreign, body };
    await expectError(call(method, path, options), 404, "not_found");
  }
  assert.deepEqual((await call<User>("GET", `/feedback/users/${user.id}`)).body, user);
});

test("PUT /feedback/accounts/:id stores monthly_value and status; Account and User show them", async () => {
  const user = await ping({ id: unique("payer") }, { id: unique("acc"), name: "Acme" });
  const accountId = user.account?.id;
  assert.ok(accountId);
  const put = await call<Json>("PUT", `/feedback/accounts/${accountId}`, {
    body: { monthly_value: 99.5, status: "paying", name: "Acme Inc" },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.name, "Acme Inc");
  assert.equal(put.body.status, "paying");
  assert.equal(put.body.is_paying, true);
  assert.equal(put.body.monthly_value, 99.5);
  assert.deepEqual((await call("GET", `/feedback/accounts/${accountId}`)).body, put.body);
  const seen = await call<User>("GET", `/feedback/users/${user.id}`);
  assert.deepEqual(seen.body.account, {
    id: accountId,
    external_id: user.account?.external_id,
    name: "Acme Inc",
    monthly_value: 99.5,
    status: "paying",
  });
  const prospect = await call<Json>("PUT", `/feedback/accounts/${accountId}`, {
    body: { status: "prospect" },
  });
  assert.deepEqual(
    [prospect.body.status, prospect.body.is_paying, prospect.body.monthly_value, prospect.body.name],
    ["prospect", false, 99.5, "Acme Inc"],
  );
  for (const body of [
    { status: "churned" },
    { monthly_value: -1 },
    { monthly_value: 2e12 },
    { plan: "pro" },
    {},
  ]) {
    await expectError(call("PUT", `/feedback/accounts/${accountId}`, { body }), 400, "bad_request");
  }
  assert.deepEqual((await call("GET", `/feedback/accounts/${accountId}`)).body, prospect.body, "unchanged");
});

test("DELETE /feedback/users/:id: 200 with the user, then 410 everywhere; votes, comments and ideas stay", async () => {
  const ext = unique("leaver");
  const user = await ping(
    { id: ext, email: `${ext}@example.com`, full_name: "Leaver" },
    { id: unique("acc") },
  );
  const id = await idea({ title: `By ${ext}`, user: { id: ext } });
  await call("POST", "/feedback/votes", { body: { user_id: ext, votes: [{ feature_id: id, quantity: 4 }] } });
  await call("POST", `/api/v1/ideas/${id}/comments`, { body: { user: { id: ext }, text: "mine" } });

  const deleted = await call<User>("DELETE", `/feedback/users/${user.id}`);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  assert.equal(deleted.body.id, user.id);
  assert.equal(deleted.body.email, `${ext}@example.com`, "answers the user as it was");

  for (const [method, path, body] of [
    ["GET", `/feedback/users/${user.id}`, undefined],
    ["PUT", `/feedback/users/${user.id}`, { name: "Back" }],
    ["DELETE", `/feedback/users/${user.id}`, undefined],
    ["GET", `/feedback/users/${user.id}/tags`, undefined],
    ["POST", `/feedback/users/${user.id}/tags`, ["x"]],
    ["DELETE", `/feedback/users/${user.id}/tags`, undefined],
    ["GET", `/feedback/users/search?external_id=${ext}`, undefined],
  ] as const) {
    await expectError(call(method, path, { body }), 410, "gone");
  }
  // The email was erased with the user: nobody has it any more.
  assert.equal((await call("GET", `/feedback/users/search?email=${ext}@example.com`)).status, 404);
  const listed = await call<User[]>("GET", "/feedback/users?limit=500");
  assert.ok(!listed.body.some((u) => u.id === user.id), "no longer listed");

  // What the user did stays and counts, shown without them.
  const feature = await call<Json>("GET", `/feedback/features/${id}`);
  assert.equal(feature.body.created_by_user_id, null);
  const v1 = await call<Json>("GET", `/api/v1/ideas/${id}`);
  assert.equal(v1.body.creator, null);
  assert.deepEqual(v1.body.votes, { count: 1, quantity: 4, notInterested: 0 });
  assert.equal(v1.body.comments, 1);
  const votes = await call<Json[]>("GET", `/feedback/votes?feature_id=${id}`);
  assert.deepEqual(
    votes.body.map((v) => [v.user_id, v.quantity]),
    [[null, 4]],
  );
  const v1Votes = await call<{ results: Json[]; total: number }>("GET", `/api/v1/ideas/${id}/votes`);
  assert.deepEqual([v1Votes.body.total, v1Votes.body.results[0]?.user], [1, null]);
  const comments = await call<Json[]>("GET", `/feedback/comments?case_id=${id}`);
  assert.deepEqual(
    comments.body.map((c) => [c.user_id, c.text]),
    [[null, "mine"]],
  );
  assert.deepEqual((await call("GET", `/feedback/votes?user_id=${user.id}`)).body, []);
  assert.deepEqual((await call("GET", `/feedback/features?wanted_by=${user.id}`)).body, []);

  // Personal data is erased; the row stays so the ids answer 410.
  const row = await server.cairn.metadata.db
    .selectFrom("feedback_end_users")
    .select(["email", "name", "external_id", "deleted_at"])
    .where("number", "=", Number(user.id))
    .executeTakeFirstOrThrow();
  assert.deepEqual([row.email, row.name, row.external_id], [null, null, ext]);
  assert.ok(row.deleted_at);
});

test("a deleted user's external id is 410 wherever it is named again: ping, votes, ideas, comments", async () => {
  const ext = unique("gone");
  const user = await ping({ id: ext });
  const target = await idea({ title: `For ${ext}` });
  assert.equal((await call("DELETE", `/feedback/users/${user.id}`)).status, 200);
  const ideaCount = async () => (await call<{ total: number }>("GET", "/api/v1/ideas?limit=0")).body.total;
  const before = await ideaCount();
  const writes: Array<[string, string, unknown]> = [
    ["POST", "/feedback/users", { user: { id: ext, full_name: "Revived?" } }],
    ["POST", "/feedback/votes", { user_id: ext, votes: [{ feature_id: target, quantity: 1 }] }],
    ["POST", "/api/v1/ideas", { title: "Should not exist", user: { id: ext } }],
    ["POST", `/api/v1/ideas/${target}/votes`, { user: { id: ext }, quantity: 1 }],
    ["POST", `/api/v1/ideas/${target}/comments`, { user: { id: ext }, text: "hello" }],
  ];
  for (const [method, path, body] of writes) {
    const error = await expectError(call(method, path, { body }), 410, "gone");
    assert.match(error.message, new RegExp(ext));
  }
  assert.equal(await ideaCount(), before, "no idea was created");
  const v1 = await call<Json>("GET", `/api/v1/ideas/${target}`);
  assert.deepEqual([v1.body.votes, v1.body.comments], [{ count: 0, quantity: 0, notInterested: 0 }, 0]);
  await expectError(call("GET", `/feedback/users/search?external_id=${ext}`), 410, "gone");
});

test("DELETE /feedback/accounts/:id: 200 with the account, then 410; its users stay, without an account", async () => {
  const accountExt = unique("closing");
  const first = await ping({ id: unique("member") }, { id: accountExt, name: "Closing Ltd" });
  const second = await ping({ id: unique("member") }, { id: accountExt });
  const accountId = first.account?.id;
  assert.ok(accountId);
  await call("PUT", `/feedback/accounts/${accountId}`, { body: { status: "paying", monthly_value: 10 } });

  const deleted = await call<Json>("DELETE", `/feedback/accounts/${accountId}`);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  assert.deepEqual([deleted.body.name, deleted.body.status], ["Closing Ltd", "paying"], "as it was");
  for (const [method, path, body] of [
    ["GET", `/feedback/accounts/${accountId}`, undefined],
    ["PUT", `/feedback/accounts/${accountId}`, { name: "Back" }],
    ["DELETE", `/feedback/accounts/${accountId}`, undefined],
    ["GET", `/feedback/accounts/${accountId}/tags`, undefined],
    ["POST", `/feedback/accounts/${accountId}/tags`, ["x"]],
    ["DELETE", `/feedback/accounts/${accountId}/tags`, undefined],
    ["POST", "/feedback/users", { user: { id: first.external_id }, account: { id: accountExt } }],
    ["POST", "/api/v1/ideas", { title: "No", user: { id: second.external_id, account: { id: accountExt } } }],
  ] as const) {
    await expectError(call(method, path, { body }), 410, "gone");
  }
  const accounts = await call<Json[]>("GET", "/feedback/accounts?limit=500");
  assert.ok(!accounts.body.some((a) => a.id === accountId), "no longer listed");
  assert.deepEqual((await call("GET", `/feedback/users?account=${accountExt}`)).body, []);
  assert.deepEqual((await call("GET", `/feedback/users?account=${accountId}`)).body, []);
  const member = await call<User>("GET", `/feedback/users/${first.id}`);
  assert.equal(member.status, 200, "the users stay");
  assert.equal(member.body.account, null);
  const pinged = await call<User>("POST", "/feedback/users", { body: { user: { id: second.external_id } } });
  assert.equal(pinged.status, 200, "a user of a deleted account may go on without naming it");
  assert.equal(pinged.body.account, null);
});
