import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import {
  type AdminSession,
  adminSession,
  callAdmin,
  callApi,
  errorOf,
  type Json,
} from "../../start/test-support/api-calls.js";
import { otherSubscription } from "../../start/test-support/installed-store.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import type { StoredEvent } from "../../store/events/stored-event.js";

let cairn: RunningCairn;
let owner: AdminSession;
let viewer: AdminSession;
let appA: string;
let appB: string;
let dashboardPage: string;

const day = 86_400_000;
const site = "https://app.example.com";
const save = "button#save.primary < form < main";

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("tagging-preview"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  const subscriptionId = cairn.installation.subscription.id;
  appA = cairn.installation.app.id;
  const other = await otherSubscription(cairn.metadata);
  owner = await adminSession(cairn, "owner");
  viewer = await adminSession(cairn, "viewer");
  const created = await callAdmin(cairn, owner, "POST", "/api/admin/apps", { name: "Second" });
  assert.equal(created.status, 201, created.text);
  appB = String(created.body.id);
  const recent = Date.now() - 2 * day;
  const old = Date.now() - 40 * day;
  const event = (
    visitorId: string,
    type: "load" | "click",
    path: string,
    overrides: Partial<StoredEvent> = {},
  ): StoredEvent =>
    sampleEvent({
      subscriptionId,
      appId: appA,
      visitorId,
      type,
      url: `${site}${path}`,
      elementPath: type === "click" ? save : null,
      occurredAt: recent,
      receivedAt: recent,
      ...overrides,
    });
  await cairn.writer.write([
    event("v1", "load", "/dashboard"),
    event("v1", "load", "/dashboard"),
    event("v2", "load", "/dashboard/7"),
    event("v1", "load", "/settings"),
    event("v3", "load", "/dashboard", { occurredAt: old, receivedAt: old }),
    event("v4", "load", "/dashboard", { excluded: true }),
    event("v5", "load", "/dashboard", { appId: appB }),
    event("v6", "load", "/dashboard", { subscriptionId: other.subscriptionId, appId: other.appId }),
    event("v1", "click", "/dashboard"),
    event("v1", "click", "/dashboard"),
    event("v2", "click", "/settings"),
    event("v3", "click", "/dashboard", { occurredAt: old, receivedAt: old }),
    event("v4", "click", "/dashboard", { excluded: true }),
    event("v1", "click", "/dashboard", { elementPath: "a#help < main" }),
  ]);
  await cairn.writer.flush();
  const page = await callAdmin(cairn, owner, "POST", "/api/admin/pages", {
    name: "Dashboard",
    rules: ["//*/dashboard"],
  });
  assert.equal(page.status, 201, page.text);
  dashboardPage = String(page.body.id);
});
after(() => cairn.shutdown());

const preview = (kind: "pages" | "features", body: Json, session = viewer) =>
  callAdmin(cairn, session, "POST", `/api/admin/${kind}/preview`, body);

async function counts(kind: "pages" | "features", body: Json): Promise<[number, number]> {
  const answer = await preview(kind, body);
  assert.equal(answer.status, 200, `${JSON.stringify(body)} → ${answer.text}`);
  return [answer.body.events as number, answer.body.visitors as number];
}

describe("POST /api/admin/pages/preview", () => {
  test("counts the page loads and visitors unsaved rules match in the app over the last 30 days", async () => {
    const before = Date.now();
    const answer = await preview("pages", { rules: ["//*/dashboard"] });
    assert.equal(answer.status, 200, answer.text);
    // v1's two loads: not v3's, 40 days old; not v4's, excluded; not the second app's or another subscription's.
    assert.deepEqual([answer.body.events, answer.body.visitors], [2, 1]);
    const from = Date.parse(String(answer.body.from));
    const to = Date.parse(String(answer.body.to));
    assert.equal(from % 3_600_000, 0, "the window starts on an hour");
    assert.ok(from <= before - 30 * day && from > before - 30 * day - 3_600_000, String(answer.body.from));
    assert.ok(to >= before && to <= Date.now(), String(answer.body.to));
    assert.deepEqual(await counts("pages", { rules: ["//*/dashboard", "//*/dashboard/*"] }), [3, 2]);
    assert.deepEqual(
      await counts("pages", {
        rules: ["//*/dashboard", "//*/dashboard/*"],
        excludeRules: ["//*/dashboard/7"],
      }),
      [2, 1],
    );
    assert.deepEqual(await counts("pages", { appId: appB, rules: ["//*/dashboard"] }), [1, 1]);
    assert.deepEqual(await counts("pages", { rules: ["//*/nowhere"] }), [0, 0]);
  });

  test("an invalid rule or app gets the 400 and message creating the page gets", async () => {
    const cases: Json[] = [
      { rules: [] },
      { rules: ["///x"] },
      { rules: ["//*/a"], excludeRules: ["//*/~contains:"] },
      { rules: ["//*/a"], appId: "app_nope" },
      { rules: ["//*/a"], appId: "app_other" },
      { rules: Array.from({ length: 51 }, (_, i) => `//*/p${i}`) },
    ];
    for (const body of cases) {
      const got = await preview("pages", body);
      const want = await callAdmin(cairn, owner, "POST", "/api/admin/pages", { name: "X", ...body });
      assert.equal(got.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${got.text}`);
      assert.equal(want.status, 400, want.text);
      assert.equal(errorOf(got).code, errorOf(want).code);
      assert.equal(errorOf(got).message, errorOf(want).message);
    }
    const named = await preview("pages", { rules: ["//*/a"], name: "X" });
    assert.equal(named.status, 400, "a field it does not take is refused");
  });
});

describe("POST /api/admin/features/preview", () => {
  test("counts the clicks and visitors unsaved selectors match, anywhere in the app or on one page", async () => {
    // v1's two clicks and v2's on /settings: not v3's (old) or v4's (excluded).
    assert.deepEqual(await counts("features", { selectors: ["button#save"] }), [3, 2]);
    assert.deepEqual(await counts("features", { selectors: ["button#save"], pageId: dashboardPage }), [2, 1]);
    assert.deepEqual(await counts("features", { selectors: ["#help", ".primary"] }), [4, 2]);
    assert.deepEqual(await counts("features", { selectors: ["button#save"], appId: appB }), [0, 0]);
  });

  test("an invalid selector or page gets the 400 and message creating the feature gets", async () => {
    const cases: Json[] = [
      { selectors: [] },
      { selectors: ["a:hover"] },
      { selectors: ["[data-x]"] },
      { selectors: ["a"], pageId: "page_nope" },
      { selectors: ["a"], pageId: "PAGE", appId: "APP_B" },
      { selectors: ["a"], appId: "app_nope" },
    ];
    for (const given of cases) {
      const body = JSON.parse(JSON.stringify(given).replace("PAGE", dashboardPage).replace("APP_B", appB));
      const { selectors, ...rest } = body as { selectors: string[] };
      const got = await preview("features", body);
      const want = await callAdmin(cairn, owner, "POST", "/api/admin/features", {
        name: "X",
        elementPathRules: selectors,
        ...rest,
      });
      assert.equal(got.status, 400, `${JSON.stringify(body)} → ${got.text}`);
      assert.equal(want.status, 400, want.text);
      assert.equal(errorOf(got).code, errorOf(want).code);
      assert.equal(errorOf(got).message, errorOf(want).message);
    }
  });
});

test("a viewer may preview; it writes nothing; it needs a session and, being a POST, the CSRF token", async () => {
  const pagesBefore = await cairn.metadata.db.selectFrom("pages").select("id").execute();
  const featuresBefore = await cairn.metadata.db.selectFrom("features").select("id").execute();
  for (const [kind, body] of [
    ["pages", { rules: ["//*/dashboard"] }],
    ["features", { selectors: ["button#save"] }],
  ] as const) {
    assert.equal((await preview(kind, body, viewer)).status, 200);
    const path = `/api/admin/${kind}/preview`;
    const anonymous = await callApi(cairn, "POST", path, { body });
    assert.equal(anonymous.status, 401, anonymous.text);
    assert.equal(errorOf(anonymous).code, "not_signed_in");
    const noCsrf = await callApi(cairn, "POST", path, { body, headers: { cookie: viewer.cookie } });
    assert.equal(noCsrf.status, 403, noCsrf.text);
    assert.equal(errorOf(noCsrf).code, "csrf_failed");
  }
  assert.equal(
    (await cairn.metadata.db.selectFrom("pages").select("id").execute()).length,
    pagesBefore.length,
  );
  assert.equal(
    (await cairn.metadata.db.selectFrom("features").select("id").execute()).length,
    featuresBefore.length,
  );
});
