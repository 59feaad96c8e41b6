import assert from "node:assert/strict";
import { test } from "node:test";
import { declaredRoutes } from "../../platform/http/declared-routes.js";
import { type Json, useClassicTestServer } from "./test-support/classic-test-server.js";
import { answerProblems, swaggerPaths } from "./test-support/pendo-feedback-swagger.js";

// Every classic route, called on a real server, answers what Pendo's Swagger describes (its definitions are
// written down in test-support/pendo-feedback-swagger.ts, with their source).

const server = useClassicTestServer("classic-swagger");
const { call, idea, featureNumber } = server;

/** `GET /features/{id}` (the Swagger's way) as the route Cairn declares: `GET /feedback/features/:id`. */
function declaredName(swaggerName: string): string {
  const [method, path] = swaggerName.split(" ");
  return `${method} /feedback${(path ?? "").replace(/\{(\w+)\}/g, ":$1")}`;
}

/** What Cairn does not serve of Pendo's paths: inviting users, and Pendo's team members. */
const notServed = ["POST /users/invite_end_user", "POST /users/invite_vendor_user", "POST /vendor_users"];

test("every classic route answers in the shapes of Pendo's Swagger, with one id for each user and feature", async () => {
  const stamp = Date.now();
  const ext = `swagger-${stamp}`;
  const ping = await call<Json & { account: Json }>("POST", "/feedback/users", {
    body: {
      user: { id: ext, email: `${ext}@example.com`, full_name: "Swagger", tags: [{ impacts: ["sales"] }] },
      account: { id: `${ext}-acc`, name: "Acme", monthly_value: 12.5, status: "paying", tags: ["vip"] },
    },
  });
  assert.equal(ping.status, 200, JSON.stringify(ping.body));
  const user = String(ping.body.id);
  const account = String(ping.body.account.id);
  const targetId = await idea({
    title: `Target ${stamp}`,
    user: { id: ext },
    tags: ["a"],
    productArea: "Web",
  });
  const mergedId = await idea({ title: `Merged ${stamp}`, user: { id: ext } });
  await call("PATCH", `/api/v1/ideas/${mergedId}`, { body: { mergedInto: targetId } });
  await call("PATCH", `/api/v1/ideas/${targetId}`, { body: { status: "planned" } });
  await call("POST", `/api/v1/ideas/${targetId}/comments`, { body: { user: { id: ext }, text: "Yes" } });
  const [target, merged] = [await featureNumber(targetId), await featureNumber(mergedId)];
  const hook = { event: "feature_created", target_url: `https://example.com/${ext}` };

  const calls: Array<[string, string, unknown?]> = [
    ["GET /health-check/ping", "/feedback/health-check/ping"],
    ["POST /users", "/feedback/users", { user: { id: ext }, account: { id: `${ext}-acc` } }],
    [
      "POST /votes",
      "/feedback/votes",
      { user_id: Number(user), votes: [{ feature_id: target, quantity: 3 }] },
    ],
    ["GET /features", "/feedback/features?limit=1000&order_by=deleted_at"],
    ["GET /features/{id}", `/feedback/features/${merged}`],
    ["GET /search", `/feedback/search?scope=feature&q=${stamp}`],
    ["POST /features/{id}/tags", `/feedback/features/${target}/tags`, [{ impacts: ["sales"] }, "b"]],
    ["GET /features/{id}/tags", `/feedback/features/${target}/tags`],
    ["GET /comments", `/feedback/comments?case_id=${target}`],
    ["GET /votes", `/feedback/votes?user_id=${user}`],
    ["GET /users", "/feedback/users?role=endUser&limit=1000"],
    ["GET /users/search", `/feedback/users/search?external_id=${ext}`],
    ["GET /users/{id}", `/feedback/users/${user}`],
    ["PUT /users/{id}", `/feedback/users/${user}`, { name: "Renamed" }],
    ["GET /users/{id}/tags", `/feedback/users/${user}/tags`],
    ["POST /users/{id}/tags", `/feedback/users/${user}/tags`, ["x"]],
    ["GET /accounts", "/feedback/accounts?order_by=churned&limit=1000"],
    ["GET /accounts/{id}", `/feedback/accounts/${account}`],
    ["PUT /accounts/{id}", `/feedback/accounts/${account}`, { status: "prospect" }],
    ["GET /accounts/{id}/tags", `/feedback/accounts/${account}/tags`],
    ["POST /accounts/{id}/tags", `/feedback/accounts/${account}/tags`, [{ Tier: "Gold" }]],
    ["POST /hooks", "/feedback/hooks", hook],
    ["POST /hooks/unsubscribe", "/feedback/hooks/unsubscribe", { target_url: hook.target_url }],
    ["DELETE /features/{id}/tags", `/feedback/features/${target}/tags`],
    ["DELETE /users/{id}/tags", `/feedback/users/${user}/tags`],
    ["DELETE /accounts/{id}/tags", `/feedback/accounts/${account}/tags`],
    ["DELETE /users/{id}", `/feedback/users/${user}`],
    ["DELETE /accounts/{id}", `/feedback/accounts/${account}`],
  ];
  const problems: string[] = [];
  const answers = new Map<string, unknown>();
  for (const [name, path, body] of calls) {
    const described = swaggerPaths[name];
    assert.ok(described, `${name} is one of the Swagger's paths`);
    const method = name.split(" ")[0] ?? "";
    const answer = await call<unknown>(method, path, { body });
    assert.equal(answer.status, 200, `${name}: ${JSON.stringify(answer.body)}`);
    answers.set(name, answer.body);
    problems.push(...answerProblems(answer.body, described.described ?? described.answer, name));
  }
  assert.deepEqual(problems, []);

  // Every classic route was called, and each is one of the Swagger's paths.
  const declared = declaredRoutes(server.cairn.app)
    .filter((route) => route.url.startsWith("/feedback/"))
    .flatMap((route) => [route.method].flat().map((method) => `${method} ${route.url}`))
    .sort();
  assert.deepEqual(declared, calls.map(([name]) => declaredName(name)).sort());
  assert.deepEqual(
    Object.keys(swaggerPaths).filter((name) => !declared.includes(declaredName(name))),
    notServed,
  );

  // One id for a user and a feature wherever they are named, so a client can join on them.
  const feature = answers.get("GET /features/{id}") as Json;
  assert.deepEqual([feature.merged_to_feature_id, feature.created_by_user_id], [target, Number(user)]);
  const [vote] = answers.get("GET /votes") as Json[];
  assert.deepEqual([vote?.feature_id, vote?.user_id], [target, Number(user)]);
  const [comment] = (await call<Json[]>("GET", `/feedback/comments?case_id=${target}`)).body;
  assert.equal(comment?.user_id, null, "the user was deleted since");
  assert.equal((answers.get("GET /comments") as Json[])[0]?.user_id, Number(user));
  const listed = answers.get("GET /features") as Json[];
  assert.ok(listed.some((f) => f.id === target && f.created_by_user_id === Number(user)));
});
