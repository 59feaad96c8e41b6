import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createKey } from "../../access/keys/key-service.js";
import { encodeJzb } from "../../collect/jzb.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { type Answer, callApi, errorOf, type Json } from "../../start/test-support/api-calls.js";
import {
  type KeysOfEveryKind,
  keysOfEveryKind,
  otherSubscriptionKey,
} from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let keys: KeysOfEveryKind;
let readKey: string;
let otherKey: string;
let pageId: string;
let featureId: string;

const chromeUa =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const ann = "ann@example.com";
/** Three hours ago, on a whole second: the history's day starts here. */
const t0 = Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1000;
const site = "https://app.example.com";

const call = (method: string, path: string, options: Parameters<typeof callApi>[3] = {}) =>
  callApi(cairn, method, path, options);

function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(errorOf(answer).code, code);
  if (message) assert.match(errorOf(answer).message, message);
}

async function send(kind: "ptm" | "guide", events: Json[]): Promise<void> {
  const answer = await cairn.app.inject({
    method: "GET",
    url: `/data/${kind}.gif/${keys.app}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(events)}`,
    headers: { "user-agent": chromeUa },
  });
  assert.equal(answer.statusCode, 200, answer.body);
}

const button = (id: string) => ({ target: { tag: "BUTTON", id, cls: "btn", parentElem: { tag: "BODY" } } });

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("profile-queries"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  keys = await keysOfEveryKind(cairn);
  readKey = (
    await createKey(cairn.metadata.db, {
      subscriptionId: cairn.installation.subscription.id,
      kind: "integration",
      description: "ro",
      actor: "test",
    })
  ).key;
  otherKey = await otherSubscriptionKey(cairn, "integration");

  const at = (ms: number, type: string, path: string, props: Json = {}, visitor = ann) => ({
    type,
    visitor_id: visitor,
    account_id: "acme",
    url: `${site}${path}`,
    browser_time: t0 + ms,
    props,
  });
  await send("ptm", [
    at(-3_600_000, "load", "/dashboard"),
    at(0, "meta", "/dashboard", {
      visitor: { id: ann, email: "Ann@Example.com", age: 30 },
      account: { id: "acme" },
    }),
    at(0, "load", "/dashboard"),
    at(10_000, "click", "/dashboard", button("save")),
    at(12_000, "click", "/dashboard", button("save")),
    at(20_000, "focus", "/dashboard"),
    at(30_000, "load", "/settings"),
    at(40_000, "click", "/settings", button("other")),
    // The first moment after the day.
    at(24 * 3_600_000, "load", "/dashboard"),
    at(5_000, "meta", "/home", { visitor: { id: "bob", email: "bob@example.com", age: 41.5 } }, "bob"),
    at(5_000, "load", "/dashboard", {}, "bob"),
  ]);
  await send("guide", [
    at(50_000, "guideSeen", "/settings", { guide_id: "g1", guide_step_id: "s1", reason: "auto" }),
    at(55_000, "guideAdvanced", "/settings", { guide_id: "g1", guide_step_id: "s1" }),
  ]);
  const custom = await call("POST", "/api/v1/metadata/visitor/custom/value?create=true", {
    key: keys.integration,
    body: [
      { visitorId: ann, values: { plan: "Pro", seats: 3, active: true, tags: ["a", "b"] } },
      { visitorId: "bob", values: { plan: "free", seats: 2.5, mixed: "x" } },
      { visitorId: "carl", values: { mixed: 4 } },
    ],
  });
  assert.equal(custom.status, 200, custom.text);
  const theirs = await call("POST", "/api/v1/metadata/visitor/custom/value?create=true", {
    key: otherKey,
    body: [{ visitorId: ann, values: { secret: "theirs", plan: "PRO" } }],
  });
  assert.equal(theirs.status, 200, theirs.text);
  await cairn.writer.flush();
  const page = await call("POST", "/api/v1/page", {
    key: keys.integration,
    body: { name: "Dashboard", rules: ["//*/dashboard"] },
  });
  assert.equal(page.status, 201, page.text);
  pageId = String(page.body.id);
  const feature = await call("POST", "/api/v1/feature", {
    key: keys.integration,
    body: { name: "Save", elementPathRules: ["#save"] },
  });
  assert.equal(feature.status, 201, feature.text);
  featureId = String(feature.body.id);
});
after(() => cairn.shutdown());

describe("GET /api/v1/metadata/schema/{visitor|account}", () => {
  const flags = {
    ElementFormat: "",
    Dirty: false,
    isHidden: false,
    isDeleted: false,
    isCalculated: false,
    isPerApp: false,
    isPromoted: false,
    neverIndex: false,
  };
  const field = (type: string, name: string, sample: unknown, elementType = "") => ({
    Type: type,
    DisplayName: name,
    ElementType: elementType,
    ...flags,
    sample,
  });

  test("agent and custom fields are found in the stored visitors and typed by their values, with Pendo's casing", async () => {
    const answer = await call("GET", "/api/v1/metadata/schema/visitor", { key: readKey });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(Object.keys(answer.body), ["agent", "auto", "custom"]);
    assert.deepEqual(answer.body.agent, {
      age: field("float", "age", 30),
      email: field("string", "email", "Ann@Example.com"),
    });
    assert.deepEqual(answer.body.custom, {
      active: field("boolean", "active", true),
      // The smallest as JSON text: "x" before 4.
      mixed: field("", "mixed", "x"),
      plan: field("string", "plan", "Pro"),
      seats: field("float", "seats", 2.5),
      tags: field("", "tags", ["a", "b"], "string"),
    });
    const auto = answer.body.auto as Record<string, Json>;
    assert.deepEqual(auto.lastvisit, field("time", "Last Visit", null));
    assert.deepEqual(auto.id, field("string", "Visitor ID", null));
    assert.deepEqual(Object.keys(auto).sort(), [
      "accountid",
      "firstvisit",
      "id",
      "lastbrowsername",
      "lastbrowserversion",
      "lastoperatingsystem",
      "lastservername",
      "lastupdated",
      "lastuseragent",
      "lastvisit",
    ]);
  });

  test("a field seen with whole numbers only is an integer; another subscription's fields never show", async () => {
    const theirs = await call("GET", "/api/v1/metadata/schema/visitor", { key: otherKey });
    assert.deepEqual(theirs.body.custom, {
      plan: field("string", "plan", "PRO"),
      secret: field("string", "secret", "theirs"),
    });
    assert.deepEqual(theirs.body.agent, {});
    const more = await call("POST", "/api/v1/metadata/account/custom/value?create=true", {
      key: keys.integration,
      body: [
        { accountId: "acme", values: { employees: 120 } },
        { accountId: "globex", values: { employees: 7 } },
      ],
    });
    assert.equal(more.status, 200, more.text);
    const accounts = await call("GET", "/api/v1/metadata/schema/account", { key: readKey });
    assert.equal(accounts.status, 200, accounts.text);
    assert.deepEqual(accounts.body.custom, { employees: field("integer", "employees", 120) });
    assert.deepEqual(Object.keys(accounts.body.auto as Json).sort(), [
      "firstvisit",
      "id",
      "lastupdated",
      "lastvisit",
    ]);
  });

  test("VisitorMetadata and AccountMetadata answer 200 (clients check a key with them); another kind is a 404", async () => {
    for (const kind of ["VisitorMetadata", "AccountMetadata"]) {
      const answer = await call("GET", `/api/v1/metadata/schema/${kind}?limit=1`, { key: readKey });
      assert.equal(answer.status, 200, answer.text);
    }
    expectError(
      await call("GET", "/api/v1/metadata/schema/guide", { key: readKey }),
      404,
      "not_found",
      /one for visitor and one for account/,
    );
    assert.equal((await call("GET", "/api/v1/metadata/schema/visitor")).status, 401);
  });
});

describe("GET /api/v1/visitor/metadata/{group}/_lc_{field}/{value}", () => {
  test("finds visitors by a metadata value in any case, answering visitor objects as GET /visitor/:id does", async () => {
    const direct = await call("GET", `/api/v1/visitor/${encodeURIComponent(ann)}`, { key: readKey });
    assert.equal(direct.status, 200, direct.text);
    for (const path of [
      "/api/v1/visitor/metadata/agent/_lc_email/ann@example.com",
      "/api/v1/visitor/metadata/agent/_lc_email/ANN%40EXAMPLE.COM",
      "/api/v1/visitor/metadata/custom/_lc_plan/pro",
      "/api/v1/visitor/metadata/auto/_lc_id/Ann@Example.com",
    ]) {
      const answer = await call("GET", path, { key: readKey });
      assert.equal(answer.status, 200, `${path}: ${answer.text}`);
      assert.deepEqual(answer.body, [direct.body], path);
    }
    assert.deepEqual(
      (await call("GET", "/api/v1/visitor/metadata/agent/_lc_email/nobody@x", { key: readKey })).body,
      [],
    );
  });

  test("another subscription's visitors are never found", async () => {
    const theirs = await call("GET", "/api/v1/visitor/metadata/agent/_lc_email/ann@example.com", {
      key: otherKey,
    });
    assert.deepEqual(theirs.body, []);
    const theirPlan = await call("GET", "/api/v1/visitor/metadata/custom/_lc_plan/pro", { key: otherKey });
    assert.deepEqual(
      (theirPlan.body as Json[]).map((v) => [v.id, (v.metadata as { custom: Json }).custom.secret]),
      [[ann, "theirs"]],
    );
  });

  test("a path without _lc_, an unknown group or an auto field without text is a 400 that says so", async () => {
    expectError(
      await call("GET", "/api/v1/visitor/metadata/agent/email/ann@example.com", { key: readKey }),
      400,
      "bad_request",
      /starts with _lc_/,
    );
    expectError(
      await call("GET", "/api/v1/visitor/metadata/salesforce/_lc_email/x", { key: readKey }),
      400,
      "bad_request",
      /agent, custom or auto/,
    );
    expectError(
      await call("GET", "/api/v1/visitor/metadata/auto/_lc_firstvisit/1", { key: readKey }),
      400,
      "bad_request",
      /holds no text/,
    );
  });
});

describe("GET /api/v1/visitor/:id/history", () => {
  const history = (id: string, query: string, headers: Record<string, string> = {}) =>
    call("GET", `/api/v1/visitor/${id}/history?${query}`, { key: readKey, headers });

  test("one day from starttime: pages, untagged pages, features and guides, merged and timed", async () => {
    const answer = await history(encodeURIComponent(ann), `starttime=${t0}&limit=100`, {
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.equal(answer.status, 200, answer.text);
    const rows = answer.body as Json[];
    const ua = rows[0]?.parsedUserAgent as Json;
    assert.equal(ua.name, "Chrome");
    assert.equal(ua.os, "Linux");
    const appId = cairn.installation.app.id;
    const none = { untaggedUrl: null, pageId: null, featureId: null, guideId: null, guideStepId: null };
    assert.deepEqual(rows, [
      {
        type: "page",
        ts: t0,
        lastTs: t0 + 20_000,
        duration: 20_000,
        uri: `${site}/dashboard`,
        ...none,
        pageId,
        appId,
        parsedUserAgent: ua,
      },
      {
        type: "feature",
        ts: t0 + 10_000,
        lastTs: t0 + 12_000,
        duration: 2_000,
        uri: `${site}/dashboard`,
        ...none,
        featureId,
        appId,
        parsedUserAgent: ua,
      },
      {
        type: "untagged",
        ts: t0 + 30_000,
        lastTs: t0 + 55_000,
        duration: 25_000,
        uri: `${site}/settings`,
        ...none,
        untaggedUrl: `${site}/settings`,
        appId,
        parsedUserAgent: ua,
      },
      {
        type: "guide",
        ts: t0 + 50_000,
        lastTs: t0 + 55_000,
        duration: 5_000,
        uri: `${site}/settings`,
        ...none,
        guideId: "g1",
        guideStepId: "s1",
        appId,
        parsedUserAgent: ua,
      },
    ]);
    const raw = await history(ann, `starttime=${t0}`);
    assert.deepEqual(raw.body, rows, "the id raw (with @) or percent-encoded");
  });

  test("the day is 24 hours from starttime, and the Exclude List mode is honoured", async () => {
    const later = await history(ann, `starttime=${t0 + 60_000}`);
    assert.deepEqual(
      (later.body as Json[]).map((r) => [r.type, (r.ts as number) - t0]),
      [["page", 24 * 3_600_000]],
    );
    assert.deepEqual((await history(ann, `starttime=${t0 + 24 * 3_600_000 + 1}`)).body, []);
    const before = await history(ann, `starttime=${t0 - 3_600_000}`);
    assert.deepEqual(
      (before.body as Json[]).map((r) => [r.type, (r.ts as number) - t0]),
      [
        ["page", -3_600_000],
        ["page", 0],
        ["feature", 10_000],
        ["untagged", 30_000],
        ["guide", 50_000],
      ],
    );
    assert.deepEqual((await history(ann, `starttime=${t0}&blacklist=only`)).body, []);
  });

  test("an unknown visitor, or another subscription's, is a 404; a bad starttime a 400", async () => {
    expectError(await history("nobody", `starttime=${t0}`), 404, "not_found");
    const theirs = await call("GET", `/api/v1/visitor/bob/history?starttime=${t0}`, { key: otherKey });
    expectError(theirs, 404, "not_found");
    expectError(await history(ann, ""), 400, "bad_request", /starttime/);
    expectError(await history(ann, "starttime=yesterday"), 400, "bad_request", /starttime/);
  });
});

describe("v1 reads as Pendo's clients send them", () => {
  test("query parameters a read does not use and an Authorization header are ignored, not refused", async () => {
    const extras = "length=10&limit=5&offset=0";
    const headers = { authorization: "Bearer not-a-cairn-key" };
    const paths = [
      `/api/v1/visitor/${encodeURIComponent(ann)}?${extras}`,
      `/api/v1/account/acme?${extras}&expand=*`,
      `/api/v1/token/verify?${extras}`,
      `/api/v1/page?${extras}`,
      `/api/v1/segment?${extras}`,
      `/api/v1/report?${extras}`,
      `/api/v1/blacklist?${extras}`,
      `/api/v1/metadata/schema/visitor?${extras}`,
      `/api/v1/visitor/${encodeURIComponent(ann)}/history?starttime=${t0}&${extras}`,
    ];
    for (const path of paths) {
      const answer = await call("GET", path, { key: readKey, headers });
      assert.equal(answer.status, 200, `${path}: ${answer.text}`);
    }
    const head = await call("HEAD", `/api/v1/visitor/${encodeURIComponent(ann)}?${extras}`, { key: readKey });
    assert.equal(head.status, 200);
    // The parameters a read does name are still checked.
    expectError(
      await call("GET", `/api/v1/visitor/${ann}/history?${extras}`, { key: readKey }),
      400,
      "bad_request",
    );
  });

  test("an id arrives raw (an e-mail's @) or percent-encoded, and may be longer than 100 characters", async () => {
    for (const id of [ann, encodeURIComponent(ann)]) {
      const answer = await call("GET", `/api/v1/visitor/${id}`, { key: readKey });
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.id, ann);
    }
    const long = `user-${"x".repeat(300)}@example.com`;
    const created = await call("POST", "/api/v1/metadata/visitor/custom/value?create=true", {
      key: keys.integration,
      body: [{ visitorId: long, values: { plan: "long" } }],
    });
    assert.equal(created.status, 200, created.text);
    await cairn.writer.flush();
    for (const id of [long, encodeURIComponent(long)]) {
      const answer = await call("GET", `/api/v1/visitor/${id}`, { key: readKey });
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.id, long);
    }
    const history = await call("GET", `/api/v1/visitor/${long}/history?starttime=${t0}`, { key: readKey });
    assert.equal(history.status, 200, history.text);
  });
});
