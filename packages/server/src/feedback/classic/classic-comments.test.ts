import assert from "node:assert/strict";
import { test } from "node:test";
import { type ErrorBody, type Json, useClassicTestServer } from "./test-support/classic-test-server.js";

const server = useClassicTestServer("classic-comments");
const { call, idea, featureNumber, userNumber } = server;

test("GET /feedback/comments?case_id= answers the feature's Comments, newest first, with limit and start", async () => {
  const id = await idea({ title: "Commented" });
  const html = `<b onclick="x()">first</b>`;
  for (const [user, text] of [
    ["commenter-1", html],
    ["commenter-2", "second"],
    ["commenter-1", "third"],
  ]) {
    const added = await call("POST", `/api/v1/ideas/${id}/comments`, { body: { user: { id: user }, text } });
    assert.equal(added.status, 201);
    // Creation times to the millisecond order them; apart, so the order cannot fall to a tie.
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  const number = await featureNumber(id);
  const all = await call<Json[]>("GET", `/feedback/comments?case_id=${number}`);
  assert.equal(all.status, 200);
  assert.ok(Array.isArray(all.body), "a bare array, as Pendo answers");
  const [one, two] = [await userNumber("commenter-1"), await userNumber("commenter-2")];
  assert.deepEqual(
    all.body.map((c) => [c.user_id, c.text]),
    [
      [one, "third"],
      [two, "second"],
      [one, html],
    ],
    "user_id is the User's id",
  );
  const [first] = all.body;
  assert.ok(first);
  assert.deepEqual(Object.keys(first).sort(), [
    "created_at",
    "feature_id",
    "is_private",
    "text",
    "updated_at",
    "user_id",
  ]);
  assert.equal(first.feature_id, number);
  assert.deepEqual((await call("GET", `/feedback/comments?case_id=${id}`)).body, all.body, "Cairn's id too");
  assert.equal(first.is_private, false);
  assert.equal(first.updated_at, first.created_at);
  const page = await call<Json[]>("GET", `/feedback/comments?case_id=${number}&limit=1&start=1`);
  assert.deepEqual(
    page.body.map((c) => c.text),
    ["second"],
  );
  assert.deepEqual((await call("GET", `/feedback/comments?case_id=${id}&limit=0`)).body, []);
  const oldestFirst = await call<Json[]>("GET", `/feedback/comments?case_id=${id}&order_dir=asc`);
  assert.deepEqual(
    oldestFirst.body.map((c) => c.text),
    [html, "second", "third"],
  );
});

test("GET /feedback/comments takes case for case_id and offset for start, as clients send them", async () => {
  const id = await idea({ title: "Asked by case" });
  for (const text of ["one", "two", "three"]) {
    assert.equal(
      (await call("POST", `/api/v1/ideas/${id}/comments`, { body: { user: { id: "u" }, text } })).status,
      201,
    );
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  const byCase = await call<Json[]>("GET", `/feedback/comments?case=${id}`);
  assert.equal(byCase.status, 200);
  assert.deepEqual(
    byCase.body.map((c) => c.text),
    ["three", "two", "one"],
  );
  const paged = await call<Json[]>("GET", `/feedback/comments?case=${id}&limit=1&offset=2`);
  assert.deepEqual(
    paged.body.map((c) => c.text),
    ["one"],
  );
  // start wins over offset when a client sends both.
  const both = await call<Json[]>("GET", `/feedback/comments?case_id=${id}&limit=1&start=1&offset=2`);
  assert.deepEqual(
    both.body.map((c) => c.text),
    ["two"],
  );
});

test("GET /feedback/comments: 404 unknown or another subscription's feature, 410 deleted, 400 bad query", async () => {
  const theirs = await idea({ title: "Theirs" }, server.keys.other);
  await call("POST", `/api/v1/ideas/${theirs}/comments`, {
    key: server.keys.other,
    body: { user: { id: "them" }, text: "private to them" },
  });
  const theirNumber = (await call<Json>("GET", `/feedback/features/${theirs}`, { key: server.keys.other }))
    .body.id;
  for (const path of [
    `/feedback/comments?case_id=${theirs}`,
    `/feedback/comments?case_id=${String(theirNumber)}`,
    "/feedback/comments?case_id=idea_nope",
    "/feedback/comments?case_id=999999999",
  ]) {
    const answer = await call<ErrorBody>("GET", path);
    assert.equal(answer.status, 404, path);
    assert.equal(answer.body.error.code, "not_found");
  }
  const mine = await idea({ title: "Soon gone" });
  assert.equal((await call("DELETE", `/api/v1/ideas/${mine}`)).status, 204);
  const gone = await call<ErrorBody>("GET", `/feedback/comments?case_id=${mine}`);
  assert.equal(gone.status, 410);
  assert.equal(gone.body.error.code, "gone");
  for (const path of [
    "/feedback/comments",
    `/feedback/comments?case_id=${mine}&order_by=created_at`,
    `/feedback/comments?case_id=${mine}&limit=1001`,
  ]) {
    const answer = await call<ErrorBody>("GET", path);
    assert.equal(answer.status, 400, path);
    assert.equal(answer.body.error.code, "bad_request");
  }
});
