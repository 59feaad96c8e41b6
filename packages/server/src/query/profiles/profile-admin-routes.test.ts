import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { encodeJzb } from "../../collect/jzb.js";
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
import {
  type KeysOfEveryKind,
  keysOfEveryKind,
  otherSubscriptionKey,
} from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let keys: KeysOfEveryKind;
let viewer: AdminSession;
let theirs: AdminSession;

const ann = "ann@example.com";
const t0 = Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1000;
const site = "https://app.example.com";

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("profile-admin"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
  keys = await keysOfEveryKind(cairn);
  const otherKey = await otherSubscriptionKey(cairn, "integration");
  viewer = await adminSession(cairn, "viewer");
  theirs = await adminSession(cairn, "owner", "sub_other");
  const at = (ms: number, type: string, path: string, props: Json = {}) => ({
    type,
    visitor_id: ann,
    account_id: "acme",
    url: `${site}${path}`,
    browser_time: t0 + ms,
    props,
  });
  const events = [
    at(0, "meta", "/dashboard", { visitor: { id: ann, email: "Ann@Example.com" }, account: { id: "acme" } }),
    at(0, "load", "/dashboard"),
    at(10_000, "click", "/dashboard", { target: { tag: "BUTTON", id: "save", parentElem: { tag: "BODY" } } }),
    at(30_000, "load", "/settings"),
  ];
  const beacon = await cairn.app.inject({
    method: "GET",
    url: `/data/ptm.gif/${keys.app}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(events)}`,
  });
  assert.equal(beacon.statusCode, 200, beacon.body);
  const custom = await callApi(cairn, "POST", "/api/v1/metadata/account/custom/value?create=true", {
    key: keys.integration,
    body: [{ accountId: "acme", values: { plan: "pro" } }],
  });
  assert.equal(custom.status, 200, custom.text);
  const theirAnn = await callApi(cairn, "POST", "/api/v1/metadata/visitor/custom/value?create=true", {
    key: otherKey,
    body: [{ visitorId: "bob", values: { plan: "theirs" } }],
  });
  assert.equal(theirAnn.status, 200, theirAnn.text);
  await cairn.writer.flush();
  const page = await callApi(cairn, "POST", "/api/v1/page", {
    key: keys.integration,
    body: { name: "Dashboard", rules: ["//*/dashboard"] },
  });
  assert.equal(page.status, 201, page.text);
});
after(() => cairn.shutdown());

const v1 = (path: string) => callApi(cairn, "GET", path, { key: keys.integration });
const admin = (session: AdminSession, path: string) => callAdmin(cairn, session, "GET", path);

test("a viewer reads a visitor, an account and a visitor's history as the v1 routes answer them", async () => {
  const pairs: [string, string][] = [
    [`/api/admin/visitors/${encodeURIComponent(ann)}`, `/api/v1/visitor/${encodeURIComponent(ann)}`],
    ["/api/admin/accounts/acme", "/api/v1/account/acme"],
    [
      `/api/admin/visitors/${encodeURIComponent(ann)}/history?starttime=${t0}`,
      `/api/v1/visitor/${encodeURIComponent(ann)}/history?starttime=${t0}`,
    ],
    [
      `/api/admin/visitors/${encodeURIComponent(ann)}/history?starttime=${t0}&blacklist=only`,
      `/api/v1/visitor/${encodeURIComponent(ann)}/history?starttime=${t0}&blacklist=only`,
    ],
  ];
  for (const [adminPath, v1Path] of pairs) {
    const got = await admin(viewer, adminPath);
    const want = await v1(v1Path);
    assert.equal(got.status, 200, `${adminPath}: ${got.text}`);
    assert.equal(want.status, 200, want.text);
    assert.deepEqual(got.body, want.body);
  }
  const visitor = await admin(viewer, `/api/admin/visitors/${encodeURIComponent(ann)}`);
  assert.equal(((visitor.body.metadata as Json).agent as Json).email, "Ann@Example.com");
  const account = await admin(viewer, "/api/admin/accounts/acme");
  assert.equal(((account.body.metadata as Json).custom as Json).plan, "pro");
  const history = await admin(
    viewer,
    `/api/admin/visitors/${encodeURIComponent(ann)}/history?starttime=${t0}`,
  );
  assert.deepEqual(
    (history.body as Json[]).map((h) => h.type),
    ["page", "untagged"],
  );
});

test("unknown ids and another subscription's are the v1 routes' 404s", async () => {
  for (const [adminPath, v1Path] of [
    ["/api/admin/visitors/nobody", "/api/v1/visitor/nobody"],
    ["/api/admin/accounts/nobody", "/api/v1/account/nobody"],
    [`/api/admin/visitors/nobody/history?starttime=${t0}`, `/api/v1/visitor/nobody/history?starttime=${t0}`],
  ]) {
    const got = await admin(viewer, adminPath as string);
    const want = await v1(v1Path as string);
    assert.equal(got.status, 404, got.text);
    const { requestId: _a, ...gotError } = errorOf(got);
    const { requestId: _b, ...wantError } = errorOf(want);
    assert.deepEqual(gotError, wantError);
  }
  assert.equal(
    (await admin(viewer, "/api/admin/visitors/bob")).status,
    404,
    "the other subscription's visitor",
  );
  assert.equal((await admin(theirs, "/api/admin/visitors/bob")).status, 200);
  assert.equal((await admin(theirs, `/api/admin/visitors/${encodeURIComponent(ann)}`)).status, 404);
  assert.equal((await admin(theirs, "/api/admin/accounts/acme")).status, 404);
});

test("history needs a starttime; unknown parameters are refused", async () => {
  const path = `/api/admin/visitors/${encodeURIComponent(ann)}/history`;
  for (const query of [
    "",
    "?starttime=yesterday",
    `?starttime=${t0}&blacklist=maybe`,
    `?starttime=${t0}&x=1`,
  ]) {
    const answer = await admin(viewer, `${path}${query}`);
    assert.equal(answer.status, 400, `${query}: ${answer.text}`);
    assert.equal(errorOf(answer).code, "bad_request");
  }
});

test("without a session each is a 401; a GET needs no CSRF token; an integration key is no session", async () => {
  const paths = [
    `/api/admin/visitors/${encodeURIComponent(ann)}`,
    "/api/admin/accounts/acme",
    `/api/admin/visitors/${encodeURIComponent(ann)}/history?starttime=${t0}`,
  ];
  for (const path of paths) {
    const anonymous = await callApi(cairn, "GET", path);
    assert.equal(anonymous.status, 401, anonymous.text);
    assert.equal(errorOf(anonymous).code, "not_signed_in");
    assert.equal((await callApi(cairn, "GET", path, { key: keys.integration })).status, 401);
    const cookieOnly = await callApi(cairn, "GET", path, { headers: { cookie: viewer.cookie } });
    assert.equal(cookieOnly.status, 200, cookieOnly.text);
  }
});
