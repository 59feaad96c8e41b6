import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApp } from "../../access/apps/app-service.js";
import { listAudit } from "../../access/audit/audit-log.js";
import { createKey } from "../../access/keys/key-service.js";
import { addUser } from "../../access/users/user-service.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../../start/test-support/keys-of-every-kind.js";
import { loadEvents } from "../../start/test-support/load-events.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let subscriptionId: string;
let defaultApp: string;
let secondApp: string;
let writeKey: string;
let readKey: string;
let otherKey: string;
let keyId: string;

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json & Json[] };

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("tagging-api"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  subscriptionId = cairn.installation.subscription.id;
  defaultApp = cairn.installation.app.id;
  secondApp = (await createApp(cairn.metadata.db, { subscriptionId, name: "Mobile", actor: "test" })).id;
  writeKey = (await keysOfEveryKind(cairn)).integration;
  const read = await createKey(cairn.metadata.db, {
    subscriptionId,
    kind: "integration",
    description: "read-only",
    actor: "test",
  });
  readKey = read.key;
  otherKey = await otherSubscriptionKey(cairn, "integration");
  const write = await cairn.metadata.db
    .selectFrom("api_keys")
    .select("id")
    .where("scope", "=", "write")
    .where("kind", "=", "integration")
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirstOrThrow();
  keyId = write.id;
});
after(() => cairn.shutdown());

async function call(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers["x-pendo-integration-key"] = options.key;
  if (options.body !== undefined || options.raw !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${cairn.publicUrl}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

function errorOf(answer: Answer): { code: string; message: string; hint: string; requestId: string } {
  return answer.body.error as { code: string; message: string; hint: string; requestId: string };
}

async function counts(): Promise<number[]> {
  const db = cairn.metadata.db;
  return [
    (await db.selectFrom("pages").select("id").execute()).length,
    (await db.selectFrom("features").select("id").execute()).length,
    (await db.selectFrom("track_types").select("id").execute()).length,
    // Only the tagging actions: a refused key is audited too, and may land a moment after its answer.
    (await listAudit(db, subscriptionId, { limit: 1000 })).filter((e) =>
      /^(page|feature|track_type)\./.test(e.action),
    ).length,
  ];
}

const headerFields = [
  "createdByUser",
  "createdAt",
  "lastUpdatedByUser",
  "lastUpdatedAt",
  "kind",
  "rootVersionId",
  "stableVersionId",
  "id",
  "name",
  "appId",
];

describe("v1 pages, features and track types", () => {
  let page: Json;
  let feature: Json;

  test("POST /api/v1/page creates a page in the default app, in Pendo's shape with every field", async () => {
    const created = await call("POST", "/api/v1/page", {
      key: writeKey,
      body: {
        name: "Dashboard",
        rules: [{ rule: "//*/dashboard/*", designerHint: "dash" }, "/home?tab"],
        excludeRules: ["//*/dashboard/admin"],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    page = created.body;
    for (const field of [
      ...headerFields,
      "color",
      "group",
      "dirty",
      "rules",
      "excludeRules",
      "isCoreEvent",
      "isSuggested",
      "suggestedTagRules",
    ]) {
      assert.ok(field in page, field);
    }
    assert.match(String(page.id), /^page_[0-9A-Za-z]{22}$/);
    assert.equal(page.kind, "Page");
    assert.equal(page.appId, defaultApp);
    assert.equal(typeof page.createdAt, "number");
    assert.deepEqual(page.createdByUser, {
      id: keyId,
      username: (page.createdByUser as Json).username,
      first: "",
      last: "",
      role: null,
      userType: "integration_key",
    });
    const rules = page.rules as Array<{ rule: string; designerHint: string | null; parsedRule: string }>;
    assert.deepEqual(
      rules.map((r) => [r.rule, r.designerHint]),
      [
        ["//*/dashboard/*", "dash"],
        ["/home?tab", null],
      ],
    );
    assert.ok(new RegExp(rules[0]?.parsedRule ?? "").test("https://app.example.com/dashboard/42?tab=1#x"));
    assert.ok(new RegExp(rules[1]?.parsedRule ?? "").test("https://app.example.com/home?x=1&tab=2"));
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: String(page.id) });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [["page.created", keyId]],
    );
  });

  test("GET lists the default app's objects; ?expand=* every app; ?id=a,b those; unknown parameters are ignored", async () => {
    const mobile = await call("POST", "/api/v1/page", {
      key: writeKey,
      body: { name: "Mobile home", appId: secondApp, rules: ["//*/m"] },
    });
    assert.equal(mobile.status, 201);
    const ids = (a: Answer) => (a.body as unknown as Json[]).map((p) => p.id);
    assert.deepEqual(ids(await call("GET", "/api/v1/page?length=10&limit=5&offset=0", { key: readKey })), [
      page.id,
    ]);
    assert.deepEqual(ids(await call("GET", "/api/v1/page?expand=*", { key: readKey })), [
      page.id,
      mobile.body.id,
    ]);
    assert.deepEqual(ids(await call("GET", `/api/v1/page?id=${mobile.body.id},nope`, { key: readKey })), [
      mobile.body.id,
    ]);
    const bad = await call("GET", "/api/v1/page?expand=all", { key: readKey });
    assert.equal(bad.status, 400);
    assert.match(errorOf(bad).message, /\?expand= takes "\*"/);
    const one = await call("GET", `/api/v1/page/${page.id}?limit=1`, { key: readKey });
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, page);
  });

  test("features: created on a page (its app), app-wide without one; selectors Pendo's way", async () => {
    const created = await call("POST", "/api/v1/feature", {
      key: writeKey,
      body: { name: "Save", elementPathRules: ["button#save", ".toolbar > .btn"], pageId: page.id },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    feature = created.body;
    for (const field of [
      ...headerFields,
      "color",
      "group",
      "dirty",
      "pageId",
      "appWide",
      "isCoreEvent",
      "elementPathRules",
      "eventPropertyConfigurations",
      "isSuggested",
    ]) {
      assert.ok(field in feature, field);
    }
    assert.deepEqual(
      [feature.kind, feature.appId, feature.pageId, feature.appWide],
      ["Feature", defaultApp, page.id, false],
    );
    const wide = await call("POST", "/api/v1/feature", {
      key: writeKey,
      body: { name: "Help", elementPathRules: ["a.help"] },
    });
    assert.deepEqual([wide.status, wide.body.pageId, wide.body.appWide], [201, null, true]);
    const listed = await call("GET", "/api/v1/feature", { key: readKey });
    assert.deepEqual(
      (listed.body as unknown as Json[]).map((f) => f.name),
      ["Save", "Help"],
    );
  });

  test("PUT changes the fields given, and takes back an object as GET gave it", async () => {
    const renamed = await call("PUT", `/api/v1/page/${page.id}`, {
      key: writeKey,
      body: { name: "Main dashboard" },
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, "Main dashboard");
    assert.deepEqual(renamed.body.rules, page.rules);
    const roundTrip = await call("PUT", `/api/v1/page/${page.id}`, {
      key: writeKey,
      body: { ...renamed.body, excludeRules: [] },
    });
    assert.equal(roundTrip.status, 200, JSON.stringify(roundTrip.body));
    assert.deepEqual(roundTrip.body.excludeRules, []);
    const moved = await call("PUT", `/api/v1/feature/${feature.id}`, {
      key: writeKey,
      body: { appWide: true, elementPathRules: ["button#save2"] },
    });
    assert.deepEqual(
      [moved.status, moved.body.appWide, moved.body.elementPathRules],
      [200, true, ["button#save2"]],
    );
  });

  test("bad input of every kind is a 400 that says what is wrong, and changes nothing", async () => {
    const before = await counts();
    const attempts: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/api/v1/page", { name: "X", rules: ["dashboard"] }, /The page rule "dashboard" starts with/],
      ["POST", "/api/v1/page", { name: "X", rules: [] }, /at least one rule/],
      [
        "POST",
        "/api/v1/page",
        { name: "X", rules: ["//*/a"], appId: "app_nope" },
        /No app "app_nope" in this subscription; its apps: /,
      ],
      [
        "POST",
        "/api/v1/page",
        { name: "n".repeat(201), rules: ["//*/a"] },
        /at most 200 characters; this one has 201/,
      ],
      ["POST", "/api/v1/page", { name: "   ", rules: ["//*/a"] }, /needs a name/],
      ["POST", "/api/v1/page", { name: 42, rules: ["//*/a"] }, /name must be string/],
      ["POST", "/api/v1/page", { name: "X", rules: "//*/a" }, /rules must be array/],
      ["POST", "/api/v1/page", { name: "X", rules: ["//*/a"], rulez: [] }, /Unknown field "rulez"/],
      [
        "POST",
        "/api/v1/feature",
        { name: "X", elementPathRules: ["a:hover"] },
        /pseudo-class :hover, which cannot be matched/,
      ],
      ["POST", "/api/v1/feature", { name: "X", elementPathRules: ["[data-x]"] }, /attribute selector/],
      [
        "POST",
        "/api/v1/feature",
        { name: "X", elementPathRules: ["a"], pageId: "page_nope" },
        /No page "page_nope"/,
      ],
      [
        "POST",
        "/api/v1/feature",
        { name: "X", elementPathRules: ["a"], appWide: "yes" },
        /appWide must be boolean/,
      ],
      [
        "POST",
        "/api/v1/feature",
        { name: "X", elementPathRules: ["a"], appWide: false },
        /without a pageId counts on every page/,
      ],
      [
        "POST",
        "/api/v1/feature",
        { name: "X", elementPathRules: ["a"], pageId: "", appId: secondApp },
        /No page ""/,
      ],
      ["POST", "/api/v1/tracktype", {}, /needs a name/],
      ["POST", "/api/v1/tracktype", { trackTypeName: ["a"] }, /trackTypeName must be string/],
      ["PUT", `/api/v1/page/${page.id}`, { appId: secondApp }, /a page's app cannot change/],
      ["PUT", `/api/v1/page/${page.id}`, { rules: ["//*/a/**/b"] }, /after "\*\*"/],
    ];
    for (const [method, path, body, message] of attempts) {
      const answer = await call(method, path, { key: writeKey, body });
      assert.equal(
        answer.status,
        400,
        `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`,
      );
      assert.equal(errorOf(answer).code, "bad_request");
      assert.match(errorOf(answer).message, message, JSON.stringify(body));
      assert.match(errorOf(answer).requestId, /^req_/);
    }
    const notJson = await call("POST", "/api/v1/page", { key: writeKey, raw: "{nope" });
    assert.equal(notJson.status, 400);
    const duplicate = await call("POST", "/api/v1/page", {
      key: writeKey,
      body: { name: "Main dashboard", rules: ["//*/x"] },
    });
    assert.deepEqual([duplicate.status, errorOf(duplicate).code], [409, "conflict"]);
    assert.match(errorOf(duplicate).message, new RegExp(`named "Main dashboard" \\(${page.id}\\)`));
    const inUse = await call("DELETE", `/api/v1/page/${page.id}`, { key: writeKey });
    assert.deepEqual([inUse.status, errorOf(inUse).code], [409, "conflict"]);
    assert.deepEqual(await counts(), before);
  });

  test("a read-only key reads but every write is 403 insufficient_scope", async () => {
    // The guard audits refused writes; only the objects must not change.
    const before = (await counts()).slice(0, 3);
    assert.equal((await call("GET", "/api/v1/tracktype", { key: readKey })).status, 200);
    for (const [method, path] of [
      ["POST", "/api/v1/page"],
      ["PUT", `/api/v1/page/${page.id}`],
      ["DELETE", `/api/v1/page/${page.id}`],
      ["POST", "/api/v1/feature"],
      ["DELETE", `/api/v1/feature/${feature.id}`],
      ["POST", "/api/v1/tracktype"],
    ] as const) {
      const answer = await call(method, path, { key: readKey, body: { name: "X", rules: ["//*/a"] } });
      assert.deepEqual(
        [answer.status, errorOf(answer).code],
        [403, "insufficient_scope"],
        `${method} ${path}`,
      );
    }
    assert.deepEqual((await counts()).slice(0, 3), before);
  });

  test("another subscription's key finds none of these objects: 404 in the usual error shape", async () => {
    assert.deepEqual((await call("GET", "/api/v1/page?expand=*", { key: otherKey })).body, []);
    for (const [method, path] of [
      ["GET", `/api/v1/page/${page.id}`],
      ["PUT", `/api/v1/page/${page.id}`],
      ["DELETE", `/api/v1/page/${page.id}`],
      ["GET", `/api/v1/feature/${feature.id}`],
      ["DELETE", `/api/v1/feature/${feature.id}`],
    ] as const) {
      const answer = await call(method, path, {
        key: otherKey,
        ...(method === "PUT" ? { body: { name: "Theirs" } } : {}),
      });
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal(errorOf(answer).code, "not_found");
      assert.equal(typeof errorOf(answer).hint, "string");
    }
    assert.equal(
      (await call("GET", `/api/v1/page/${page.id}`, { key: readKey })).body.name,
      "Main dashboard",
    );
    assert.equal((await call("GET", "/api/v1/page", {})).status, 401);
  });

  test("GET /api/v1/tracktype lists track types discovered from the events, created and deleted through v1", async () => {
    await loadEvents(
      cairn.sink,
      [
        sampleEvent({ subscriptionId, appId: defaultApp, type: "track", trackName: "signup" }),
        sampleEvent({ subscriptionId, appId: secondApp, type: "track", trackName: "mobile_login" }),
      ],
      1_000_000,
    );
    const listed = await call("GET", "/api/v1/tracktype", { key: readKey });
    const types = listed.body as unknown as Json[];
    assert.deepEqual(
      types.map((t) => [t.trackTypeName, t.appId]),
      [["signup", defaultApp]],
    );
    for (const field of [...headerFields, "trackTypeName", "trackTypeRules", "eventPropertyNameList"])
      assert.ok(field in (types[0] ?? {}), field);
    assert.equal(types[0]?.kind, "TrackType");
    const all = await call("GET", "/api/v1/tracktype?expand=*", { key: readKey });
    assert.deepEqual((all.body as unknown as Json[]).map((t) => t.trackTypeName).sort(), [
      "mobile_login",
      "signup",
    ]);
    const made = await call("POST", "/api/v1/tracktype", {
      key: writeKey,
      body: { name: "Report exported", trackTypeName: "report_exported", eventPropertyNameList: ["format"] },
    });
    assert.deepEqual(
      [made.status, made.body.name, made.body.eventPropertyNameList],
      [201, "Report exported", ["format"]],
    );
    const again = await call("POST", "/api/v1/tracktype", {
      key: writeKey,
      body: { trackTypeName: "report_exported" },
    });
    assert.equal(again.status, 409);
    assert.equal((await call("DELETE", `/api/v1/tracktype/${made.body.id}`, { key: writeKey })).status, 204);
    assert.equal((await call("GET", `/api/v1/tracktype/${made.body.id}`, { key: readKey })).status, 404);
  });

  test("DELETE removes a feature, then its page", async () => {
    assert.equal((await call("DELETE", `/api/v1/feature/${feature.id}`, { key: writeKey })).status, 204);
    assert.equal((await call("DELETE", `/api/v1/page/${page.id}`, { key: writeKey })).status, 204);
    assert.equal((await call("GET", `/api/v1/page/${page.id}`, { key: writeKey })).status, 404);
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: String(page.id) });
    assert.deepEqual(
      audit.map((a) => a.action),
      ["page.deleted", "page.updated", "page.updated", "page.created"],
    );
  });
});

describe("admin API: pages, features, track types", () => {
  async function signIn(token: string): Promise<{ cookie: string; csrf: string; userId: string }> {
    const answer = await fetch(`${cairn.publicUrl}/api/admin/sign-in/link`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    const body = (await answer.json()) as { csrfToken: string; user: { id: string } };
    const cookie = /^(cairn_session=[^;]+)/.exec(answer.headers.get("set-cookie") ?? "")?.[1] ?? "";
    return { cookie, csrf: body.csrfToken, userId: body.user.id };
  }
  function admin(session: { cookie: string; csrf: string }, method: string, path: string, body?: unknown) {
    return call(method, path, { body, headers: { cookie: session.cookie, "x-csrf-token": session.csrf } });
  }

  test("list, create, update and delete with a session; audited with the user; viewers read only", async () => {
    const owner = await signIn(cairn.installation.signInToken ?? "");
    const created = await admin(owner, "POST", "/api/admin/pages", {
      name: "Settings",
      appId: secondApp,
      rules: ["//*/settings/**"],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((created.body.createdByUser as Json).userType, "user");
    assert.equal((created.body.createdByUser as Json).id, owner.userId);
    const listed = await admin(owner, "GET", "/api/admin/pages");
    assert.deepEqual(
      (listed.body.pages as Json[]).map((p) => p.name),
      ["Mobile home", "Settings"],
    );
    const onlyDefault = await admin(owner, "GET", `/api/admin/pages?appId=${defaultApp}`);
    assert.deepEqual(onlyDefault.body.pages, []);
    const feature = await admin(owner, "POST", "/api/admin/features", {
      name: "Theme",
      elementPathRules: ["#theme"],
      pageId: created.body.id,
    });
    assert.deepEqual([feature.status, feature.body.appId], [201, secondApp]);
    const updated = await admin(owner, "PUT", `/api/admin/features/${feature.body.id}`, {
      name: "Theme switch",
    });
    assert.deepEqual([updated.status, updated.body.name], [200, "Theme switch"]);
    const bad = await admin(owner, "POST", "/api/admin/features", {
      name: "X",
      elementPathRules: ["li + li"],
    });
    assert.deepEqual([bad.status, errorOf(bad).code], [400, "bad_request"]);
    const types = await admin(owner, "GET", "/api/admin/track-types");
    assert.deepEqual((types.body.trackTypes as Json[]).map((t) => t.trackTypeName).sort(), [
      "mobile_login",
      "signup",
    ]);
    assert.equal((await admin(owner, "DELETE", `/api/admin/features/${feature.body.id}`)).status, 204);
    assert.equal((await admin(owner, "DELETE", `/api/admin/pages/${created.body.id}`)).status, 204);
    const audit = await listAudit(cairn.metadata.db, subscriptionId, { target: String(feature.body.id) });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor]),
      [
        ["feature.deleted", owner.userId],
        ["feature.updated", owner.userId],
        ["feature.created", owner.userId],
      ],
    );

    const viewer = await addUser(cairn.metadata.db, {
      subscriptionId,
      email: "viewer@example.com",
      name: "Vi Ewer",
      role: "viewer",
      actor: "test",
    });
    const viewing = await signIn(viewer.signInToken);
    assert.equal((await admin(viewing, "GET", "/api/admin/features")).status, 200);
    const refused = await admin(viewing, "POST", "/api/admin/pages", { name: "Nope", rules: ["//*/nope"] });
    assert.deepEqual([refused.status, errorOf(refused).code], [403, "forbidden"]);
    const noCsrf = await call("POST", "/api/admin/pages", {
      body: { name: "Nope", rules: ["//*/nope"] },
      headers: { cookie: owner.cookie },
    });
    assert.equal(noCsrf.status, 403);
    assert.equal((await call("GET", "/api/admin/pages")).status, 401);
  });

  test("another subscription's objects answer 404 in the admin API too", async () => {
    const owner = await signIn(
      (
        await addUser(cairn.metadata.db, {
          subscriptionId: "sub_other",
          email: "o@other.example",
          name: "Other Owner",
          role: "owner",
          actor: "test",
        })
      ).signInToken,
    );
    const mine = await call("POST", "/api/v1/page", {
      key: writeKey,
      body: { name: "Private", rules: ["//*/private"] },
    });
    assert.equal(mine.status, 201);
    for (const [method, body] of [["GET"], ["PUT", { name: "x" }], ["DELETE"]] as const) {
      const answer = await admin(owner, method, `/api/admin/pages/${mine.body.id}`, body);
      assert.deepEqual([answer.status, errorOf(answer).code], [404, "not_found"], method);
    }
    assert.deepEqual((await admin(owner, "GET", "/api/admin/pages")).body.pages, []);
  });
});
