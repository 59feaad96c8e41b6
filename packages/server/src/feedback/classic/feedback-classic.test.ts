import assert from "node:assert/strict";
import { test } from "node:test";
import { type ErrorBody, type Json, useClassicTestServer } from "./test-support/classic-test-server.js";

const server = useClassicTestServer("classic");
const { call, idea, featureNumber, userNumber } = server;

/** Every field of Pendo's Swagger Feature definition. */
const featureKeys = [
  "app_url",
  "created_at",
  "created_by_user_id",
  "declined_at",
  "description",
  "developing_at",
  "effort",
  "form_entry",
  "id",
  "is_private",
  "merged_to_feature_id",
  "planned_at",
  "products",
  "released_at",
  "resolution",
  "resolved_by_user_id",
  "status",
  "status_changed_at",
  "tags",
  "title",
  "updated_at",
  "updated_by_user_id",
  "uploads",
  "vendor_id",
  "view_count",
  "waiting_at",
];

test("the health check answers without a key", async () => {
  const answer = await call("GET", "/feedback/health-check/ping", { key: null });
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, { status: "ok" });
});

test("the classic paths take the feedback key only; other kinds get server.keys.md's answers", async () => {
  const integration = await call<ErrorBody>("GET", "/feedback/features", { key: server.keys.integration });
  assert.equal(integration.status, 401);
  assert.equal(integration.body.error.code, "wrong_key_kind");
  assert.match(
    `${integration.body.error.message} ${integration.body.error.hint}`,
    /Feedback → Settings → Product Settings → API Access/,
  );
  for (const key of [server.keys.app, server.keys.track]) {
    const answer = await call<ErrorBody>("POST", "/feedback/votes", {
      key,
      body: { user_id: "x", votes: [] },
    });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, "wrong_key_kind");
  }
  const none = await call<ErrorBody>("GET", "/feedback/features", { key: null });
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, "missing_key");
  // The guard answers before the body is validated: a bad body with a wrong key still learns about the key.
  const bad = await call<ErrorBody>("POST", "/feedback/users", {
    key: server.keys.integration,
    body: { nope: 1 },
  });
  assert.equal(bad.body.error.code, "wrong_key_kind");
  // The three ways a feedback key may travel.
  assert.equal((await call("GET", "/feedback/features", { header: "x-pendo-integration-key" })).status, 200);
  const inUrl = await fetch(`${server.cairn.publicUrl}/feedback/features?auth-token=${server.keys.feedback}`);
  assert.equal(inUrl.status, 200);
  assert.ok(Array.isArray(await inUrl.json()));
});

test("the routes that change users, accounts and tags, and read comments, take the feedback key only", async () => {
  const routes: Array<[string, string, unknown]> = [
    ["GET", "/feedback/comments?case_id=idea_x", undefined],
    ["PUT", "/feedback/users/eusr_x", { nope: 1 }],
    ["DELETE", "/feedback/users/eusr_x", undefined],
    ["PUT", "/feedback/accounts/eacc_x", { nope: 1 }],
    ["DELETE", "/feedback/accounts/eacc_x", undefined],
    ...["features/idea_x", "users/eusr_x", "accounts/eacc_x"].flatMap(
      (on): Array<[string, string, unknown]> => [
        ["GET", `/feedback/${on}/tags`, undefined],
        ["POST", `/feedback/${on}/tags`, { nope: 1 }],
        ["DELETE", `/feedback/${on}/tags`, undefined],
      ],
    ),
  ];
  for (const [method, path, body] of routes) {
    for (const [key, code] of [
      [server.keys.integration, "wrong_key_kind"],
      [server.keys.app, "wrong_key_kind"],
      [null, "missing_key"],
    ] as const) {
      const answer = await call<ErrorBody>(method, path, { key, body });
      assert.equal(answer.status, 401, `${method} ${path}`);
      assert.equal(answer.body.error.code, code, `${method} ${path}: the key before the body`);
    }
  }
});

test("Appendix A: the features list and the votes POST, as Pendo's docs write them", async () => {
  const id = await idea({ title: "Appendix A idea", user: { id: "creator-a" } });
  const number = await featureNumber(id);
  const list = await call<Json[]>("GET", "/feedback/features?limit=50&order_by=created_at&order_dir=desc");
  assert.equal(list.status, 200);
  assert.ok(Array.isArray(list.body), "a bare array, as Pendo answers");
  const mine = list.body.find((f) => f.id === number);
  assert.ok(mine);
  assert.deepEqual(Object.keys(mine).sort(), featureKeys);
  assert.equal(mine.created_by_user_id, await userNumber("creator-a"), "the creator's User.id");
  const times = list.body.map((f) => String(f.created_at));
  assert.deepEqual(times, [...times].sort().reverse(), "newest first");

  assert.equal(
    (await call("GET", "/feedback/users/search?external_id=123")).status,
    404,
    "no user 123 before the vote",
  );
  const voted = await call<Json[]>("POST", "/feedback/votes", {
    body: { user_id: "123", votes: [{ feature_id: String(number), quantity: 3 }] },
  });
  assert.equal(voted.status, 200, JSON.stringify(voted.body));
  assert.equal(voted.body.length, 1);
  const [vote] = voted.body;
  assert.deepEqual(Object.keys(vote ?? {}).sort(), [
    "created_at",
    "feature_id",
    "quantity",
    "updated_at",
    "user_id",
  ]);
  assert.deepEqual(
    { ...vote, created_at: "", updated_at: "" },
    {
      feature_id: number,
      user_id: await userNumber("123"),
      quantity: 3,
      created_at: "",
      updated_at: "",
    },
  );
  const created = await call<Json>("GET", "/feedback/users/search?external_id=123");
  assert.equal(created.status, 200, "the vote created the user");
  assert.equal(created.body.external_id, "123");
  assert.equal(created.body.id, String(vote?.user_id), "the vote's user_id is the User's id");
  const v1 = await call<{ votes: Json }>("GET", `/api/v1/ideas/${id}`);
  assert.deepEqual(v1.body.votes, { count: 1, quantity: 3, notInterested: 0 });
  // A second vote replaces the first; -1 is "not interested".
  await call("POST", "/feedback/votes", {
    body: { user_id: "123", votes: [{ feature_id: id, quantity: -1 }] },
  });
  assert.deepEqual((await call<{ votes: Json }>("GET", `/api/v1/ideas/${id}`)).body.votes, {
    count: 0,
    quantity: 0,
    notInterested: 1,
  });
});

test("features: shape, paging, order and filters", async () => {
  const tag = `t-${Date.now()}`;
  const bId = await idea({ title: "Banana", tags: [tag, "Fruit"], productArea: "Web", details: "yellow" });
  const a = await featureNumber(await idea({ title: "apple", tags: [tag], private: true }));
  const cId = await idea({ title: "Cherry", tags: [tag] });
  const [b, c] = [await featureNumber(bId), await featureNumber(cId)];
  const byTitle = await call<Json[]>(`GET`, `/feedback/features?tags=${tag}&order_by=title&order_dir=asc`);
  assert.deepEqual(
    byTitle.body.map((f) => f.id),
    [a, b, c],
  );
  const desc = await call<Json[]>(`GET`, `/feedback/features?tags=${tag}&order_by=title&order_dir=desc`);
  assert.deepEqual(
    desc.body.map((f) => f.id),
    [c, b, a],
  );
  const page = await call<Json[]>(`GET`, `/feedback/features?tags=${tag}&order_by=title&start=1&limit=1`);
  assert.deepEqual(
    page.body.map((f) => f.id),
    [b],
  );
  const banana = byTitle.body[1];
  assert.deepEqual(
    { ...banana, created_at: "", updated_at: "", status_changed_at: "" },
    {
      id: b,
      title: "Banana",
      description: "yellow",
      status: "new",
      status_changed_at: "",
      created_at: "",
      updated_at: "",
      created_by_user_id: null,
      updated_by_user_id: null,
      resolved_by_user_id: null,
      resolution: null,
      effort: null,
      form_entry: null,
      app_url: null,
      uploads: [],
      vendor_id: null,
      view_count: null,
      is_private: false,
      merged_to_feature_id: null,
      planned_at: null,
      developing_at: null,
      released_at: null,
      declined_at: null,
      waiting_at: null,
      tags: [tag, "Fruit"],
      products: ["Web"],
    },
  );
  const ids = async (query: string) =>
    (await call<Json[]>("GET", `/feedback/features?tags=${tag}&order_by=title&${query}`)).body.map(
      (f) => f.id,
    );
  assert.deepEqual(await ids("is_private=true"), [a]);
  assert.deepEqual(await ids("is_private=false"), [b, c]);
  const both = await call<Json[]>("GET", `/feedback/features?tags=${tag.toUpperCase()},fruit`);
  assert.deepEqual(
    both.body.map((f) => f.id),
    [b],
    "every tag, case-insensitively",
  );
  assert.deepEqual(await ids("products=Web,Mobile"), [b]);
  await call("POST", "/feedback/votes", {
    body: {
      user_id: `fan-${tag}`,
      votes: [
        { feature_id: c, quantity: 2 },
        { feature_id: a, quantity: -1 },
      ],
    },
  });
  const fan = await userNumber(`fan-${tag}`);
  assert.deepEqual(await ids(`wanted_by=${fan}`), [c], "wanted: positive votes only, by User.id");
  const notAnId = await call<ErrorBody>("GET", `/feedback/features?wanted_by=fan-${tag}`);
  assert.equal(notAnId.status, 404, "the team's own id is not a User.id: said, not an empty list");
  // A status change shows in the status time fields.
  await call("PATCH", `/api/v1/ideas/${cId}`, { body: { status: "planned" } });
  const planned = await call<Json>("GET", `/feedback/features/${c}`);
  assert.equal(planned.status, 200);
  assert.equal(planned.body.status, "planned");
  assert.equal(typeof planned.body.planned_at, "string");
  assert.equal(planned.body.status_changed_at, planned.body.planned_at);
});

test("features/:id: 410 once deleted, 404 for another subscription's or an unknown one", async () => {
  const id = await idea({ title: "Short-lived" });
  const number = await featureNumber(id);
  assert.equal((await call("DELETE", `/api/v1/ideas/${id}`)).status, 204);
  const gone = await call<ErrorBody>("GET", `/feedback/features/${number}`);
  assert.equal(gone.status, 410);
  assert.equal((await call("GET", `/feedback/features/${id}`)).status, 410, "Cairn's id too");
  assert.equal(gone.body.error.code, "gone");
  const votes = await call<ErrorBody>("POST", "/feedback/votes", {
    body: { user_id: "u", votes: [{ feature_id: number, quantity: 1 }] },
  });
  assert.equal(votes.status, 410);
  const theirs = await idea({ title: "Theirs" }, server.keys.other);
  const theirNumber = (await call<Json>("GET", `/feedback/features/${theirs}`, { key: server.keys.other }))
    .body.id;
  const other = await call<ErrorBody>("GET", `/feedback/features/${String(theirNumber)}`);
  assert.equal(other.status, 404);
  assert.equal(other.body.error.code, "not_found");
  assert.equal((await call("GET", "/feedback/features/idea_nope")).status, 404);
  assert.equal((await call("GET", "/feedback/features/999999999")).status, 404);
  const list = await call<Json[]>("GET", "/feedback/features?limit=500");
  assert.ok(
    !list.body.some((f) => f.id === number || f.id === theirNumber),
    "neither deleted nor foreign ideas listed",
  );
});

test("votes: GET by user and feature, positive/negative, paging; POST checks every feature first", async () => {
  const one = await featureNumber(await idea({ title: "Vote one" }));
  const two = await featureNumber(await idea({ title: "Vote two" }));
  const voter = `voter-${Date.now()}`;
  const cast = await call<Json[]>("POST", "/feedback/votes", {
    body: {
      user_id: voter,
      votes: [
        { feature_id: one, quantity: 5 },
        { feature_id: String(two), quantity: -1 },
      ],
    },
  });
  assert.equal(cast.body.length, 2);
  const user = await userNumber(voter);
  await call("POST", "/feedback/votes", {
    body: { user_id: "someone-else", votes: [{ feature_id: one, quantity: 1 }] },
  });
  const someoneElse = await userNumber("someone-else");
  const mine = await call<Json[]>("GET", `/feedback/votes?user_id=${user}`);
  assert.deepEqual(
    mine.body.map((v) => [v.feature_id, v.quantity]).sort(),
    [
      [one, 5],
      [two, -1],
    ].sort(),
  );
  const positive = await call<Json[]>("GET", `/feedback/votes?user_id=${user}&positive=true`);
  assert.deepEqual(
    positive.body.map((v) => v.feature_id),
    [one],
  );
  const negative = await call<Json[]>("GET", `/feedback/votes?user_id=${user}&negative=true`);
  assert.deepEqual(
    negative.body.map((v) => v.feature_id),
    [two],
  );
  const onOne = await call<Json[]>("GET", `/feedback/votes?feature_id=${one}`);
  assert.deepEqual(onOne.body.map((v) => v.user_id).sort(), [someoneElse, user].sort());
  const firstPage = await call<Json[]>("GET", `/feedback/votes?feature_id=${one}&limit=1`);
  const secondPage = await call<Json[]>("GET", `/feedback/votes?feature_id=${one}&limit=1&start=1`);
  assert.equal(firstPage.body.length, 1);
  assert.equal(secondPage.body.length, 1);
  assert.notEqual(firstPage.body[0]?.user_id, secondPage.body[0]?.user_id);
  // Newest first: someone-else voted last. Clients page with offset as well as start.
  assert.equal(firstPage.body[0]?.user_id, someoneElse);
  const byOffset = await call<Json[]>("GET", `/feedback/votes?feature_id=${one}&limit=1&offset=1`);
  assert.deepEqual(byOffset.body, secondPage.body);
  // quantity 0 removes the vote; a number as user_id is the User's id, the user their own id named.
  const removed = await call<Json[]>("POST", "/feedback/votes", {
    body: { user_id: user, votes: [{ feature_id: one, quantity: 0 }] },
  });
  assert.deepEqual(removed.body, []);
  assert.deepEqual(
    (await call<Json[]>("GET", `/feedback/votes?user_id=${user}`)).body.map((v) => v.feature_id),
    [two],
  );
  // One unknown feature: 404 and no vote cast, not even on the known one.
  const unknown = await call<ErrorBody>("POST", "/feedback/votes", {
    body: {
      user_id: user,
      votes: [
        { feature_id: one, quantity: 7 },
        { feature_id: 999_999_999, quantity: 1 },
      ],
    },
  });
  assert.equal(unknown.status, 404);
  assert.equal(
    (await call<Json[]>("GET", `/feedback/votes?user_id=${user}&feature_id=${one}`)).body.length,
    0,
  );
  const tooMuch = await call<ErrorBody>("POST", "/feedback/votes", {
    body: { user_id: user, votes: [{ feature_id: one, quantity: 1_000_001 }] },
  });
  assert.equal(tooMuch.status, 400);
  assert.equal(
    (
      await call("POST", "/feedback/votes", {
        body: { user_id: user, votes: [{ feature_id: one, quantity: -2 }] },
      })
    ).status,
    400,
  );
  // Another subscription sees none of these votes.
  assert.deepEqual(
    (await call<Json[]>("GET", `/feedback/votes?feature_id=${one}`, { key: server.keys.other })).status,
    404,
  );
});

test("users: the EndUserPing upsert, list, get, search; accounts list and get", async () => {
  const stamp = Date.now();
  const ping = await call<Json>("POST", "/feedback/users", {
    body: {
      user: {
        id: `ext-${stamp}`,
        email: `Ada.${stamp}@example.com`,
        full_name: "Ada",
        roles: "endUser",
        tags: ["vip"],
      },
      account: {
        id: `acc-${stamp}`,
        name: "Zeta Corp",
        monthly_value: 100,
        is_paying: true,
        status: "paying",
      },
      return_url: "https://example.com",
    },
  });
  assert.equal(ping.status, 200, JSON.stringify(ping.body));
  assert.deepEqual(Object.keys(ping.body).sort(), [
    "account",
    "created_at",
    "email",
    "external_id",
    "id",
    "last_seen",
    "name",
    "roles",
  ]);
  assert.match(
    String(ping.body.id),
    /^[0-9]+$/,
    "a number, written as a string as the Swagger types User.id",
  );
  assert.equal(ping.body.external_id, `ext-${stamp}`);
  assert.equal(ping.body.name, "Ada");
  assert.equal(ping.body.roles, "endUser");
  const account = ping.body.account as Json;
  assert.deepEqual(Object.keys(account).sort(), ["external_id", "id", "monthly_value", "name", "status"]);
  assert.equal(account.external_id, `acc-${stamp}`);
  assert.equal(account.name, "Zeta Corp");
  assert.deepEqual([account.monthly_value, account.status], [100, "paying"], "the ping's value and status");
  // A second ping updates in place.
  const again = await call<Json>("POST", "/feedback/users", {
    body: { user: { id: `ext-${stamp}`, full_name: "Ada L." }, account: { id: `acc-${stamp}` } },
  });
  assert.equal(again.body.id, ping.body.id);
  assert.equal(again.body.name, "Ada L.");
  assert.equal(again.body.email, `Ada.${stamp}@example.com`);
  const bob = await call<Json>("POST", "/feedback/users", {
    body: { user: { id: `bob-${stamp}`, full_name: "bob" }, account: { id: `acc-${stamp}` } },
  });
  const got = await call<Json>("GET", `/feedback/users/${ping.body.id}`);
  assert.deepEqual(got.body, again.body);
  assert.equal(
    (await call("GET", `/feedback/users/${ping.body.id}`, { key: server.keys.other })).status,
    404,
  );
  assert.equal((await call("GET", "/feedback/users/eusr_nope")).status, 404);
  const inAccount = await call<Json[]>(
    "GET",
    `/feedback/users?role=endUser&account=acc-${stamp}&order_by=name&order_dir=asc`,
  );
  assert.deepEqual(
    inAccount.body.map((u) => u.name),
    ["Ada L.", "bob"],
  );
  const byCairnId = await call<Json[]>(
    `GET`,
    `/feedback/users?account=${String(account.id)}&order_by=name&order_dir=desc&limit=1`,
  );
  assert.deepEqual(
    byCairnId.body.map((u) => u.id),
    [bob.body.id],
  );
  assert.deepEqual((await call<Json[]>("GET", "/feedback/users?role=vendorUser")).body, []);
  const byEmail = await call<Json>("GET", `/feedback/users/search?email=ada.${stamp}@EXAMPLE.com`);
  assert.equal(byEmail.body.id, ping.body.id, "one User, as the Swagger's /users/search answers");
  assert.equal((await call("GET", "/feedback/users/search")).status, 400, "search names someone");
  assert.equal((await call("GET", `/feedback/users/search?external_id=nobody-${stamp}`)).status, 404);
  const accounts = await call<Json[]>("GET", "/feedback/accounts?order_by=name&order_dir=asc&limit=500");
  const names = accounts.body.map((a) => String(a.name ?? "~")).map((n) => n.toLowerCase());
  assert.deepEqual(names, [...names].sort());
  const zeta = accounts.body.find((a) => a.external_id === `acc-${stamp}`);
  assert.ok(zeta);
  assert.deepEqual(Object.keys(zeta).sort(), [
    "created_at",
    "external_id",
    "id",
    "is_paying",
    "last_seen",
    "monthly_value",
    "name",
    "status",
  ]);
  assert.deepEqual(
    [zeta.status, zeta.is_paying, zeta.monthly_value],
    ["paying", true, 100],
    "the ping's status and monthly_value are stored",
  );
  assert.equal(
    (await call<Json[]>("GET", "/feedback/accounts?order_by=last_seen&limit=1")).body[0]?.id,
    zeta.id,
  );
  assert.deepEqual((await call<Json>("GET", `/feedback/accounts/${String(zeta.id)}`)).body, zeta);
  assert.equal(
    (await call("GET", `/feedback/accounts/${String(zeta.id)}`, { key: server.keys.other })).status,
    404,
  );
});

test("search: scope=feature with words and statuses answers Features", async () => {
  const word = `zq${Date.now()}`;
  const first = await featureNumber(await idea({ title: `Export ${word}`, details: "to CSV" }));
  const secondId = await idea({ title: "Another", details: `mentions ${word}` });
  const second = await featureNumber(secondId);
  await call("PATCH", `/api/v1/ideas/${secondId}`, { body: { status: "waiting" } });
  const all = await call<Json[]>("GET", `/feedback/search?scope=feature&q=${word}&order_by=title`);
  assert.deepEqual(
    all.body.map((f) => f.id),
    [second, first],
  );
  assert.deepEqual(Object.keys(all.body[0] ?? {}).sort(), featureKeys);
  const waiting = await call<Json[]>("GET", `/feedback/search?scope=feature&q=${word}&status=new,waiting`);
  assert.equal(waiting.body.length, 2);
  const onlyNew = await call<Json[]>("GET", `/feedback/search?scope=feature&q=${word}&status=new`);
  assert.deepEqual(
    onlyNew.body.map((f) => f.id),
    [first],
  );
  assert.equal((await call("GET", `/feedback/search?q=${word}`)).status, 400, "scope is required");
  assert.equal((await call("GET", `/feedback/search?scope=user&q=${word}`)).status, 400);
});

test("hooks: subscribe and unsubscribe through the same hooks as /api/v1/hooks", async () => {
  const url = "https://example.com/classic-hook";
  const made = await call<Json>("POST", "/feedback/hooks", {
    body: { event: "feature_created", target_url: url },
  });
  assert.equal(made.status, 200, "200, as Pendo's Swagger documents");
  // Pendo's answer, and the signing secret, shown this once.
  assert.deepEqual(Object.keys(made.body).sort(), ["created_at", "event", "id", "secret", "target_url"]);
  assert.match(String(made.body.secret), /^cws_[0-9A-Za-z]{43}$/);
  const listed = await call<{ results: Json[] }>("GET", "/api/v1/hooks");
  assert.ok(listed.body.results.some((h) => h.id === made.body.id));
  const twice = await call<Json>("POST", "/feedback/hooks", {
    body: { event: "feature_created", target_url: url },
  });
  assert.equal(twice.status, 200);
  assert.equal(twice.body.id, made.body.id);
  assert.equal(twice.body.secret, undefined, "the secret is shown once");
  assert.deepEqual((await call("POST", "/feedback/hooks/unsubscribe", { body: { target_url: url } })).body, {
    removed: 1,
  });
  assert.equal(
    (await call("POST", "/feedback/hooks", { body: { event: "nope", target_url: url } })).status,
    400,
  );
});

test("unknown parameters and fields are a 400 naming them; Pendo's documented ones are accepted", async () => {
  const cases: Array<[string, string, unknown, RegExp]> = [
    ["GET", "/feedback/features?colour=red", undefined, /colour/],
    ["GET", "/feedback/features?order_by=votes", undefined, /order_by/],
    ["GET", "/feedback/votes?limit=1001", undefined, /limit/],
    [
      "POST",
      "/feedback/votes",
      { user_id: "u", votes: [{ feature_id: "x", quantity: 1, weight: 2 }] },
      /weight/,
    ],
    ["POST", "/feedback/users", { user: { id: "u", nickname: "x" } }, /nickname/],
    ["GET", "/feedback/accounts?order_by=deleted_at", undefined, /order_by/],
    ["POST", "/feedback/users", { user: { id: "u" }, account: { id: "a", status: "rich" } }, /status/],
  ];
  for (const [method, path, body, text] of cases) {
    const answer = await call<ErrorBody>(method, path, { body });
    assert.equal(answer.status, 400, path);
    assert.equal(answer.body.error.code, "bad_request");
    assert.match(answer.body.error.message, text);
  }
  const someone = await call<Json>("POST", "/feedback/users", { body: { user: { id: "documented" } } });
  const user = String(someone.body.id);
  const feature = await featureNumber(await idea({ title: "Documented" }));
  const documented = [
    `/feedback/features?limit=1&start=0&order_by=waiting_at&order_dir=asc&is_private=false&tags=a&products=b&wanted_by=${user}`,
    "/feedback/features?order_by=deleted_at&limit=1000",
    "/feedback/users?role=endUser&account=a&limit=1000&start=0&order_by=name&order_dir=asc",
    "/feedback/users/search?external_id=documented&role=endUser",
    `/feedback/votes?user_id=${user}&feature_id=${feature}&positive=true&negative=false&start=0&limit=1000`,
    "/feedback/search?scope=feature&q=a&status=new&tags=b&products=c&limit=1000",
    "/feedback/accounts?order_by=churned&limit=1000",
    `/feedback/comments?case_id=${feature}&limit=1000`,
  ];
  for (const path of documented) assert.equal((await call("GET", path)).status, 200, path);
});
