import assert from "node:assert/strict";
import { test } from "node:test";
import { type ErrorBody, type Json, useClassicTestServer } from "./test-support/classic-test-server.js";

const server = useClassicTestServer("classic-tags");
const { call, idea, featureNumber } = server;

let serial = 0;
function unique(prefix: string): string {
  serial += 1;
  return `${prefix}-${Date.now()}-${serial}`;
}

/** One thing of each kind to tag, by the path of its tags (each by its number, Pendo's id). */
async function tagged(ideaId?: string): Promise<string[]> {
  const user = await call<{ id: string; account: { id: string } }>("POST", "/feedback/users", {
    body: { user: { id: unique("tagged") }, account: { id: unique("tagged-acc") } },
  });
  return [
    `/feedback/features/${await featureNumber(ideaId ?? (await idea({ title: "Tag me" })))}/tags`,
    `/feedback/users/${user.body.id}/tags`,
    `/feedback/accounts/${user.body.account.id}/tags`,
  ];
}

test("…/tags of features, users and accounts: GET as given, POST replaces all, DELETE removes all", async () => {
  const given = ["Foo", { Color: "Red" }, { Team: ["web", "mobile"] }];
  for (const path of await tagged()) {
    assert.deepEqual((await call("GET", path)).body, [], path);
    const posted = await call("POST", path, { body: given });
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    assert.deepEqual(posted.body, given, path);
    assert.deepEqual((await call("GET", path)).body, given, path);
    const replaced = await call("POST", path, { body: [" Bar ", "Bar", { " Size ": " L " }] });
    assert.deepEqual(replaced.body, ["Bar", { Size: "L" }], "trimmed, repeats dropped, the old list gone");
    assert.deepEqual((await call("GET", path)).body, ["Bar", { Size: "L" }]);
    const removed = await call("DELETE", path);
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body, []);
    assert.deepEqual((await call("GET", path)).body, [], path);
  }
});

test("…/tags: a category's list of one value stays a list, in every body that takes tags", async () => {
  // Pendo's Swagger's own example: [{'impacts' => ['sales']}, {'resources' => ['dev', 'test', 'support']}].
  const given = [{ impacts: ["sales"] }, { resources: ["dev", "test", "support"] }, { Color: "Red" }];
  for (const path of await tagged()) {
    assert.deepEqual((await call("POST", path, { body: given })).body, given, path);
    assert.deepEqual((await call("GET", path)).body, given, path);
  }
  const stamp = unique("ping");
  const ping = await call<{ id: string; account: { id: string } }>("POST", "/feedback/users", {
    body: {
      user: { id: stamp, tags: given },
      account: { id: `${stamp}-acc`, tags: [{ impacts: ["sales"] }] },
    },
  });
  assert.equal(ping.status, 200, JSON.stringify(ping.body));
  assert.deepEqual(
    (await call("GET", `/feedback/users/${ping.body.id}/tags`)).body,
    given,
    "the ping's user.tags",
  );
  assert.deepEqual(
    (await call("GET", `/feedback/accounts/${ping.body.account.id}/tags`)).body,
    [{ impacts: ["sales"] }],
    "the ping's account.tags",
  );
  const untouched = await call("POST", "/feedback/users", {
    body: { user: { id: stamp }, account: { id: `${stamp}-acc` } },
  });
  assert.equal(untouched.status, 200);
  assert.deepEqual(
    (await call("GET", `/feedback/users/${ping.body.id}/tags`)).body,
    given,
    "a ping without tags keeps them",
  );
  const bad = await call<ErrorBody>("POST", "/feedback/users", { body: { user: { id: stamp, tags: [""] } } });
  assert.equal(bad.status, 400);
});

test("…/tags: bad lists are a 400 and change nothing", async () => {
  const bad: unknown[] = [
    { tags: ["Foo"] },
    ["Foo", ""],
    ["   "],
    [{ Color: "Red", Size: "L" }],
    [{}],
    [{ Team: [] }],
    [{ Color: { Dark: "Red" } }],
    [["Foo", "Bar"]],
    ["x".repeat(101)],
    [{ [`${"c".repeat(60)}`]: "v".repeat(60) }],
    Array.from({ length: 51 }, (_, i) => `t${i}`),
    [
      { Team: Array.from({ length: 26 }, (_, i) => `a${i}`) },
      { Area: Array.from({ length: 25 }, (_, i) => `b${i}`) },
    ],
  ];
  for (const path of await tagged()) {
    await call("POST", path, { body: ["Keep", { Color: "Red" }] });
    for (const body of bad) {
      const answer = await call<ErrorBody>("POST", path, { body });
      assert.equal(answer.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, "bad_request");
    }
    const unknown = await call<ErrorBody>("GET", `${path}?colour=red`);
    assert.equal(unknown.status, 400);
    assert.deepEqual((await call("GET", path)).body, ["Keep", { Color: "Red" }], `${path} unchanged`);
  }
});

test("…/tags: another subscription's or an unknown object is 404; a deleted one 410; nothing changes", async () => {
  const ideaId = await idea({ title: "Tag me, then go" });
  const paths = await tagged(ideaId);
  for (const path of paths) {
    await call("POST", path, { body: ["Mine"] });
    for (const method of ["GET", "POST", "DELETE"]) {
      const body = method === "POST" ? ["Theirs"] : undefined;
      const answer = await call<ErrorBody>(method, path, { key: server.keys.other, body });
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal(answer.body.error.code, "not_found");
    }
    assert.deepEqual((await call("GET", path)).body, ["Mine"]);
  }
  for (const path of [
    "/feedback/features/idea_nope/tags",
    "/feedback/users/eusr_nope/tags",
    "/feedback/features/999999999/tags",
    "/feedback/accounts/999999999/tags",
  ]) {
    assert.equal((await call("GET", path)).status, 404);
  }
  const feature = paths[0] ?? "";
  assert.equal((await call("DELETE", `/api/v1/ideas/${ideaId}`)).status, 204);
  for (const method of ["GET", "POST", "DELETE"]) {
    const answer = await call<ErrorBody>(method, feature, { body: method === "POST" ? ["x"] : undefined });
    assert.equal(answer.status, 410, `${method} ${feature}`);
    assert.equal(answer.body.error.code, "gone");
  }
});

test("tags=Category:Value finds categorised tags; the Feedback API shows them as Category:Value strings", async () => {
  const stamp = unique("c");
  const redId = await idea({ title: "Red one" });
  const red = await featureNumber(redId);
  const plain = await featureNumber(
    await idea({ title: "Plain one", tags: [`Multi:${stamp}`, `Color:Red${stamp}`] }),
  );
  const teams = await featureNumber(await idea({ title: "Teams one" }));
  await call("POST", `/feedback/features/${red}/tags`, { body: [{ Color: `Red${stamp}` }, `Foo${stamp}`] });
  await call("POST", `/feedback/features/${teams}/tags`, {
    body: [{ Team: [`web${stamp}`, `app${stamp}`] }],
  });
  const found = async (tags: string) =>
    (await call<Json[]>("GET", `/feedback/features?tags=${encodeURIComponent(tags)}&limit=500`)).body
      .map((f) => Number(f.id))
      .sort((x, y) => x - y);
  assert.deepEqual(
    await found(`Color:Red${stamp}`),
    [plain, red].sort((x, y) => x - y),
    "the map and the plain string",
  );
  assert.deepEqual(
    await found(`color:red${stamp.toUpperCase()}`),
    [plain, red].sort((x, y) => x - y),
    "ignoring case",
  );
  assert.deepEqual(await found(`Color:Red${stamp},Foo${stamp}`), [red], "every tag named");
  assert.deepEqual(await found(`Red${stamp}`), [], "a category's value alone is not a tag");
  assert.deepEqual(await found(`Team:app${stamp}`), [teams], "one of a category's values");
  assert.deepEqual(await found(`Multi:${stamp}`), [plain], "plain strings as before");
  const search = await call<Json[]>("GET", `/feedback/search?scope=feature&tags=Color:Red${stamp}&q=Red`);
  assert.deepEqual(
    search.body.map((f) => f.id),
    [red],
  );

  const feature = await call<Json>("GET", `/feedback/features/${red}`);
  assert.deepEqual(
    feature.body.tags,
    [{ Color: `Red${stamp}` }, `Foo${stamp}`],
    "the classic shape, as given",
  );
  const listed = await call<Json[]>("GET", `/feedback/features?tags=Foo${stamp}`);
  assert.deepEqual(listed.body[0]?.tags, feature.body.tags);
  const v1 = await call<Json>("GET", `/api/v1/ideas/${redId}`);
  assert.deepEqual(v1.body.tags, [`Color:Red${stamp}`, `Foo${stamp}`], "strings on /api/v1/ideas");

  // Strings written through /api/v1/ideas replace the classic shapes too.
  await call("PATCH", `/api/v1/ideas/${redId}`, { body: { tags: [`Color:Red${stamp}`] } });
  assert.deepEqual((await call("GET", `/feedback/features/${red}/tags`)).body, [`Color:Red${stamp}`]);
  assert.deepEqual((await call<Json>("GET", `/feedback/features/${red}`)).body.tags, [`Color:Red${stamp}`]);
});
