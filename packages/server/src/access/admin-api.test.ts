import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { otherSubscription } from "../start/test-support/installed-store.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { addExcludeRule } from "./exclude/exclude-service.js";
import { createKey } from "./keys/key-service.js";
import { addUser } from "./users/user-service.js";

let cairn: RunningCairn;
let base: string;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("admin-api"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { signInLimits: { maxFailuresPerAddress: 5 }, verifier: { pollMs: 50 } });
  base = cairn.publicUrl;
});
after(() => cairn.shutdown());

interface Session {
  cookie: string;
  csrf: string;
  userId: string;
}

async function call(
  path: string,
  options: { method?: string; body?: unknown; session?: Session; csrf?: string | null; origin?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.session) headers.cookie = options.session.cookie;
  const csrf = options.csrf === undefined ? options.session?.csrf : options.csrf;
  if (csrf) headers["x-csrf-token"] = csrf;
  if (options.origin) headers.origin = options.origin;
  const response = await fetch(base + path, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

function errorCode(response: { body: Record<string, unknown> }): string | undefined {
  return (response.body.error as { code?: string } | undefined)?.code;
}

async function signInWithLink(token: string): Promise<Session> {
  const response = await call("/api/admin/sign-in/link", { body: { token } });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const setCookie = response.headers.get("set-cookie") ?? "";
  const cookie = /^(cairn_session=[^;]+)/.exec(setCookie)?.[1];
  assert.ok(cookie);
  return {
    cookie,
    csrf: String(response.body.csrfToken),
    userId: String((response.body.user as { id: string }).id),
  };
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get("token") ?? "";
}

describe("admin API", () => {
  let owner: Session;

  test("the one-time link signs the owner in once, with an HttpOnly SameSite=Lax cookie", async () => {
    const token = cairn.installation.signInToken ?? "";
    const response = await call("/api/admin/sign-in/link", { body: { token } });
    assert.equal(response.status, 200);
    const setCookie = response.headers.get("set-cookie") ?? "";
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.doesNotMatch(setCookie, /Secure/, "served over http here; Secure comes with an https public URL");
    owner = {
      cookie: /^(cairn_session=[^;]+)/.exec(setCookie)?.[1] ?? "",
      csrf: String(response.body.csrfToken),
      userId: "",
    };
    const again = await call("/api/admin/sign-in/link", { body: { token } });
    assert.equal(again.status, 401);
    assert.equal(errorCode(again), "invalid_credentials");
  });

  test("no cookie is not_signed_in; a change without the CSRF token or from another origin is csrf_failed", async () => {
    assert.equal(errorCode(await call("/api/admin/session")), "not_signed_in");
    assert.equal(
      errorCode(await call("/api/admin/session", { session: { ...owner, cookie: "cairn_session=forged" } })),
      "not_signed_in",
    );
    const session = await call("/api/admin/session", { session: owner });
    assert.equal(session.status, 200);
    assert.equal((session.body.user as { role: string }).role, "owner");
    assert.equal(session.body.csrfToken, owner.csrf);
    const patch = { method: "PATCH", body: { integrationKeysEnabled: true } };
    assert.equal(
      errorCode(await call("/api/admin/subscription", { ...patch, session: owner, csrf: null })),
      "csrf_failed",
    );
    assert.equal(
      errorCode(await call("/api/admin/subscription", { ...patch, session: owner, csrf: "x".repeat(43) })),
      "csrf_failed",
    );
    assert.equal(
      errorCode(
        await call("/api/admin/subscription", { ...patch, session: owner, origin: "https://evil.example" }),
      ),
      "csrf_failed",
    );
    const enabled = await call("/api/admin/subscription", { ...patch, session: owner, origin: base });
    assert.equal(enabled.status, 200);
    assert.equal(enabled.body.integrationKeysEnabled, true);
  });

  test("the subscription's settings are read by the signed-in; an app's install snippet carries its key and this server", async () => {
    assert.equal(errorCode(await call("/api/admin/subscription")), "not_signed_in");
    const settings = await call("/api/admin/subscription", { session: owner });
    assert.equal(settings.status, 200);
    assert.equal(settings.body.integrationKeysEnabled, true);
    assert.equal(settings.body.exposedKeyPolicy, "notify");

    const app = cairn.installation.app;
    const install = await call(`/api/admin/apps/${app.id}/install`, { session: owner });
    assert.equal(install.status, 200);
    assert.equal(install.body.appKey, app.appKey);
    assert.match(String(install.body.snippet), new RegExp(`'${app.appKey}'`));
    assert.equal(install.body.agentUrl, `${base}/agent/static/${app.appKey}/pendo.js`);
    assert.equal(errorCode(await call("/api/admin/apps/app_nope/install", { session: owner })), "not_found");
    assert.equal(errorCode(await call(`/api/admin/apps/${app.id}/install`)), "not_signed_in");
  });

  test("unknown fields are refused by name, and change nothing", async () => {
    const response = await call("/api/admin/keys", {
      session: owner,
      body: { kind: "feedback", description: "x", admin: true },
    });
    assert.equal(response.status, 400);
    assert.match(String((response.body.error as { message: string }).message), /Unknown field "admin"/);
    const list = await call("/api/admin/keys", { session: owner });
    assert.deepEqual((list.body.keys as unknown[]).length, 0);
  });

  test("keys: created once in the answer, listed without it, rolled and revoked; v1 sees each change", async () => {
    const created = await call("/api/admin/keys", {
      session: owner,
      body: { kind: "integration", description: "ETL" },
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get("cache-control"), "no-store", "an answer holding a key is never cached");
    const key = String(created.body.key);
    const id = String(created.body.id);
    assert.match(key, /^cik_/);
    const list = await call("/api/admin/keys", { session: owner });
    assert.ok(!JSON.stringify(list.body).includes(key));
    const verify = (k: string) =>
      fetch(`${base}/api/v1/token/verify`, { headers: { "x-pendo-integration-key": k } }).then(
        (r) => r.status,
      );
    assert.equal(await verify(key), 200);

    const rolled = await call(`/api/admin/keys/${id}/roll`, { session: owner, body: { grace: "0" } });
    assert.equal(rolled.status, 200);
    assert.equal(rolled.headers.get("cache-control"), "no-store");
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(await verify(key), 401, "grace 0: the old key is refused on the next request");
    assert.equal(await verify(String(rolled.body.key)), 200);

    const revoked = await call(`/api/admin/keys/${String(rolled.body.id)}/revoke`, {
      session: owner,
      body: {},
    });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.state, "revoked");
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(await verify(String(rolled.body.key)), 401);
  });

  test("roles: an admin without integration key access manages other keys but not integration keys; a member reads no keys", async () => {
    const subscriptionId = cairn.installation.subscription.id;
    const admin = await call("/api/admin/users", {
      session: owner,
      body: { email: "ada@example.com", name: "Ada", role: "admin" },
    });
    assert.equal(admin.status, 201);
    const adminSession = await signInWithLink(tokenOf(String(admin.body.signInLink)));
    assert.equal(
      (
        await call("/api/admin/keys", {
          session: adminSession,
          body: { kind: "feedback", description: "form" },
        })
      ).status,
      201,
    );
    const refused = await call("/api/admin/keys", {
      session: adminSession,
      body: { kind: "integration", description: "x" },
    });
    assert.equal(refused.status, 403);
    assert.match(
      String((refused.body.error as { message: string }).message),
      /integration key access; you are an admin/,
    );
    assert.equal(
      errorCode(
        await call("/api/admin/users", {
          session: adminSession,
          body: { email: "x@example.com", name: "X", role: "viewer" },
        }),
      ),
      "forbidden",
    );

    const { signInToken } = await addUser(cairn.metadata.db, {
      subscriptionId,
      email: "mo@example.com",
      name: "Mo",
      role: "member",
      actor: "test",
    });
    const member = await signInWithLink(signInToken);
    assert.equal(errorCode(await call("/api/admin/keys", { session: member })), "forbidden");
    assert.equal((await call("/api/admin/apps", { session: member })).status, 200);
  });

  test("the owner gives a user integration key access or another role; others cannot; the last owner stays one", async () => {
    const added = await call("/api/admin/users", {
      session: owner,
      body: { email: "grace@example.com", name: "Grace", role: "admin" },
    });
    const graceId = String(added.body.id);
    const grace = await signInWithLink(tokenOf(String(added.body.signInLink)));
    const integrationKey = { kind: "integration", description: "warehouse" };
    assert.equal((await call("/api/admin/keys", { session: grace, body: integrationKey })).status, 403);

    const path = `/api/admin/users/${graceId}`;
    const given = await call(path, { method: "PATCH", session: owner, body: { integrationKeyAccess: true } });
    assert.equal(given.status, 200);
    assert.equal(given.body.integrationKeyAccess, true);
    assert.equal((await call("/api/admin/keys", { session: grace, body: integrationKey })).status, 201);

    assert.equal(
      errorCode(await call(path, { method: "PATCH", session: grace, body: { role: "owner" } })),
      "forbidden",
    );
    assert.equal(errorCode(await call(path, { method: "PATCH", session: owner, body: {} })), "bad_request");
    assert.equal(
      errorCode(await call(path, { method: "PATCH", session: owner, body: { role: "root" } })),
      "bad_request",
    );
    const viewer = await call(path, { method: "PATCH", session: owner, body: { role: "viewer" } });
    assert.equal(viewer.body.role, "viewer");
    assert.equal(
      errorCode(await call("/api/admin/keys", { session: grace })),
      "forbidden",
      "the role applies at once",
    );

    const session = await call("/api/admin/session", { session: owner });
    const ownerId = String((session.body.user as { id: string }).id);
    const demoted = await call(`/api/admin/users/${ownerId}`, {
      method: "PATCH",
      session: owner,
      body: { role: "admin" },
    });
    assert.equal(errorCode(demoted), "conflict");
    assert.match(String((demoted.body.error as { message: string }).message), /last owner/);

    // A lost link: the owner makes a new one; it signs the user in once. Nobody else may.
    assert.equal(errorCode(await call(`${path}/sign-in-link`, { session: grace, body: {} })), "forbidden");
    const relinked = await call(`${path}/sign-in-link`, { session: owner, body: {} });
    assert.equal(relinked.status, 201);
    await signInWithLink(tokenOf(String(relinked.body.signInLink)));
    assert.equal(
      errorCode(
        await call("/api/admin/sign-in/link", { body: { token: tokenOf(String(relinked.body.signInLink)) } }),
      ),
      "invalid_credentials",
    );

    const audit = await call(`/api/admin/audit?target=${graceId}`, { session: owner });
    const actions = (audit.body.records as { action: string; detail: Record<string, unknown> }[]).filter(
      (record) => record.action === "user.changed",
    );
    assert.deepEqual(
      actions.map((record) => record.detail),
      [{ role: { from: "admin", to: "viewer" } }, { integrationKeyAccess: true }],
    );
    assert.ok(
      (audit.body.records as { action: string }[]).some((record) => record.action === "user.sign_in_link"),
    );
  });

  test("a key keeps working after the admin who created it is removed; their sessions end", async () => {
    const added = await call("/api/admin/users", {
      session: owner,
      body: { email: "ike@example.com", name: "Ike", role: "admin", integrationKeyAccess: true },
    });
    const ike = await signInWithLink(tokenOf(String(added.body.signInLink)));
    const created = await call("/api/admin/keys", {
      session: ike,
      body: { kind: "integration", description: "made by Ike" },
    });
    assert.equal(created.status, 201);
    assert.equal(
      (await call(`/api/admin/users/${String(added.body.id)}`, { method: "DELETE", session: owner })).status,
      204,
    );
    assert.equal(errorCode(await call("/api/admin/session", { session: ike })), "not_signed_in");
    const status = await fetch(`${base}/api/v1/token/verify`, {
      headers: { "x-pendo-integration-key": String(created.body.key) },
    });
    assert.equal(status.status, 200);
  });

  test("another subscription's objects answer 404 everywhere, as if they did not exist", async () => {
    const other = await otherSubscription(cairn.metadata);
    const theirKey = await createKey(cairn.metadata.db, {
      subscriptionId: other.subscriptionId,
      kind: "feedback",
      description: "theirs",
      actor: "cli",
    });
    const theirUser = await addUser(cairn.metadata.db, {
      subscriptionId: other.subscriptionId,
      email: "them@example.com",
      name: "Them",
      role: "admin",
      actor: "cli",
    });
    const attempts = [
      call(`/api/admin/keys/${theirKey.record.id}/revoke`, { session: owner, body: {} }),
      call(`/api/admin/keys/${theirKey.record.id}/roll`, { session: owner, body: {} }),
      call(`/api/admin/keys?after=${theirKey.record.id}`, { session: owner }),
      call(`/api/admin/users/${theirUser.user.id}`, { method: "DELETE", session: owner }),
      call(`/api/admin/apps/${other.appId}/feedback-widget`, {
        method: "PUT",
        session: owner,
        body: { enabled: true },
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      assert.equal(response.status, 404, JSON.stringify(response.body));
      assert.equal(errorCode(response), "not_found");
    }
    const keys = await call("/api/admin/keys", { session: owner });
    assert.ok(!JSON.stringify(keys.body).includes(theirKey.record.id));
    const users = await call("/api/admin/users", { session: owner });
    assert.ok(!JSON.stringify(users.body).includes("them@example.com"));
    const apps = await call("/api/admin/apps", { session: owner });
    assert.ok(!JSON.stringify(apps.body).includes(other.appId));
  });

  test("exclude list: any role reads it, owners and admins change it; audited; another subscription's rule is 404", async () => {
    const subscriptionId = cairn.installation.subscription.id;
    const path = "/api/admin/exclude-rules";
    assert.equal(errorCode(await call(path)), "not_signed_in");
    assert.deepEqual((await call(path, { session: owner })).body, { rules: [] });
    const office = { kind: "ip", pattern: " 10.0.0.0/8 ", note: "office" };
    assert.equal(errorCode(await call(path, { session: owner, body: office, csrf: null })), "csrf_failed");

    const added = await call(path, { session: owner, body: office });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const id = String(added.body.id);
    assert.match(id, /^exr_/);
    assert.equal(added.body.pattern, "10.0.0.0/8");
    assert.equal(added.body.note, "office");

    const duplicate = await call(path, { session: owner, body: { kind: "ip", pattern: "10.0.0.0/8" } });
    assert.equal(duplicate.status, 409);
    assert.equal(errorCode(duplicate), "conflict");
    assert.match(String((duplicate.body.error as { message: string }).message), new RegExp(id));
    const refusals: Array<[unknown, RegExp]> = [
      [{ kind: "ip", pattern: "10.0.0.0/33" }, /not a CIDR range/],
      [{ kind: "email", pattern: "x" }, /one of ip, visitor, account, host/],
      [{ kind: "host", pattern: "" }, /needs a pattern/],
      [{ kind: "visitor", pattern: "v", admin: true }, /Unknown field "admin"/],
      [{ kind: "visitor" }, /pattern/],
    ];
    for (const [body, message] of refusals) {
      const refused = await call(path, { session: owner, body });
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(String((refused.body.error as { message: string }).message), message);
    }
    assert.equal(((await call(path, { session: owner })).body.rules as unknown[]).length, 1);

    const viewer = await signInWithLink(
      (
        await addUser(cairn.metadata.db, {
          subscriptionId,
          email: "vera@example.com",
          name: "Vera",
          role: "viewer",
          actor: "test",
        })
      ).signInToken,
    );
    const member = await signInWithLink(
      (
        await addUser(cairn.metadata.db, {
          subscriptionId,
          email: "max@example.com",
          name: "Max",
          role: "member",
          actor: "test",
        })
      ).signInToken,
    );
    for (const reader of [viewer, member]) {
      const list = await call(path, { session: reader });
      assert.equal(list.status, 200);
      assert.deepEqual(
        (list.body.rules as Array<{ id: string }>).map((r) => r.id),
        [id],
      );
      const add = await call(path, { session: reader, body: { kind: "visitor", pattern: "qa-*" } });
      assert.equal(add.status, 403);
      assert.match(String((add.body.error as { message: string }).message), /needs an admin or owner/);
      assert.equal(
        errorCode(await call(`${path}/${id}`, { method: "DELETE", session: reader })),
        "forbidden",
      );
    }

    const admin = await signInWithLink(
      (
        await addUser(cairn.metadata.db, {
          subscriptionId,
          email: "adele@example.com",
          name: "Adele",
          role: "admin",
          actor: "test",
        })
      ).signInToken,
    );
    const byAdmin = await call(path, {
      session: admin,
      body: { kind: "host", pattern: "*.Internal.Example.com" },
    });
    assert.equal(byAdmin.status, 201);
    assert.equal(byAdmin.body.pattern, "*.internal.example.com");
    assert.equal(byAdmin.body.createdBy, admin.userId);
    assert.equal((await call(`${path}/${id}`, { method: "DELETE", session: admin })).status, 204);
    assert.equal(errorCode(await call(`${path}/${id}`, { method: "DELETE", session: admin })), "not_found");
    assert.deepEqual(
      ((await call(path, { session: owner })).body.rules as Array<{ id: string }>).map((r) => r.id),
      [String(byAdmin.body.id)],
    );
    const ownerId = String(
      ((await call("/api/admin/session", { session: owner })).body.user as { id: string }).id,
    );
    const audit = await call(`/api/admin/audit?target=${id}`, { session: owner });
    assert.deepEqual(
      (audit.body.records as Array<{ action: string; actor: string }>).map((r) => [r.action, r.actor]),
      [
        ["exclude_rule.removed", admin.userId],
        ["exclude_rule.added", ownerId],
      ],
    );

    await cairn.metadata.db
      .insertInto("subscriptions")
      .values({
        id: "sub_exclude",
        name: "Elsewhere",
        default_app_id: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    const theirs = await addExcludeRule(cairn.metadata.db, {
      subscriptionId: "sub_exclude",
      kind: "visitor",
      pattern: "their-qa",
      actor: "cli",
    });
    const notFound = await call(`${path}/${theirs.id}`, { method: "DELETE", session: owner });
    assert.equal(notFound.status, 404);
    assert.equal(errorCode(notFound), "not_found");
    assert.ok(!JSON.stringify((await call(path, { session: owner })).body).includes(theirs.id));
  });

  test("the feedback panel is switched per app by admins and owners; the apps list shows it; audited", async () => {
    const appId = cairn.installation.app.id;
    const path = `/api/admin/apps/${appId}/feedback-widget`;
    const on = await call(path, { method: "PUT", session: owner, body: { enabled: true } });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.deepEqual(on.body, { feedbackWidget: true });
    const apps = (await call("/api/admin/apps", { session: owner })).body.apps as Array<{
      id: string;
      feedbackWidget: boolean;
    }>;
    assert.equal(apps.find((a) => a.id === appId)?.feedbackWidget, true);
    assert.equal(
      errorCode(await call(path, { method: "PUT", session: owner, body: { enabled: "yes" } })),
      "bad_request",
    );
    const audit = JSON.stringify((await call("/api/admin/audit", { session: owner })).body);
    assert.match(audit, /app\.feedback_widget_enabled/);
    const off = await call(path, { method: "PUT", session: owner, body: { enabled: false } });
    assert.deepEqual(off.body, { feedbackWidget: false });
  });

  test("signed visitor identity: admins create the app's identity secret once and set where it is required; audited", async () => {
    const appId = cairn.installation.app.id;
    const created = await call("/api/admin/keys", {
      session: owner,
      body: { kind: "identity", description: "shop back end signs visitors", appId },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(String(created.body.key), /^cis_[0-9A-Za-z]{66}$/);
    const listed = JSON.stringify((await call("/api/admin/keys", { session: owner })).body);
    assert.ok(!listed.includes(String(created.body.key)), "the secret is shown only once");
    const noApp = await call("/api/admin/keys", {
      session: owner,
      body: { kind: "identity", description: "x" },
    });
    assert.match(JSON.stringify(noApp.body), /identity secret belongs to one app/);

    const path = `/api/admin/apps/${appId}/identity`;
    const set = await call(path, {
      method: "PUT",
      session: owner,
      body: { identity: "panel_and_events", unsignedEvents: "refuse" },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body, { identity: "panel_and_events", unsignedEvents: "refuse" });
    const apps = (await call("/api/admin/apps", { session: owner })).body.apps as Array<{
      id: string;
      identity: string;
      unsignedEvents: string;
    }>;
    assert.deepEqual(
      apps.filter((a) => a.id === appId).map((a) => [a.identity, a.unsignedEvents]),
      [["panel_and_events", "refuse"]],
    );
    assert.equal(
      errorCode(await call(path, { method: "PUT", session: owner, body: { identity: "always" } })),
      "bad_request",
    );
    const audit = JSON.stringify((await call("/api/admin/audit", { session: owner })).body);
    assert.match(audit, /app\.identity_set/);
    assert.ok(!audit.includes(String(created.body.key)), "the audit log never holds the secret");
    const off = await call(path, { method: "PUT", session: owner, body: { identity: "off" } });
    assert.deepEqual(off.body, { identity: "off", unsignedEvents: "refuse" });
  });

  test("sign-out ends the session", async () => {
    const session = await signInWithLink(
      (
        await addUser(cairn.metadata.db, {
          subscriptionId: cairn.installation.subscription.id,
          email: "v@example.com",
          name: "V",
          role: "viewer",
          actor: "test",
        })
      ).signInToken,
    );
    assert.equal((await call("/api/admin/sign-out", { session, body: {} })).status, 204);
    assert.equal(errorCode(await call("/api/admin/session", { session })), "not_signed_in");
  });
  test("passwords: argon2id, at least 12 characters; sign-in by password; failures are limited per address", async () => {
    assert.equal(
      (await call("/api/admin/password", { session: owner, body: { password: "short" } })).status,
      400,
    );
    assert.equal(
      (await call("/api/admin/password", { session: owner, body: { password: "correct horse battery" } }))
        .status,
      204,
    );
    const stored = await cairn.metadata.db
      .selectFrom("users")
      .select("password_hash")
      .where("role", "=", "owner")
      .executeTakeFirstOrThrow();
    assert.match(stored.password_hash ?? "", /^\$argon2id\$/);

    const ok = await call("/api/admin/sign-in", {
      body: { email: "owner@localhost", password: "correct horse battery" },
    });
    assert.equal(ok.status, 200);
    const byPassword: Session = {
      cookie: /^(cairn_session=[^;]+)/.exec(ok.headers.get("set-cookie") ?? "")?.[1] ?? "",
      csrf: String(ok.body.csrfToken),
      userId: String((ok.body.user as { id: string }).id),
    };
    const change = (body: Record<string, string>) =>
      call("/api/admin/password", {
        session: byPassword,
        body: { password: "a stolen session's pick", ...body },
      });
    assert.equal(
      errorCode(await change({})),
      "current_password_required",
      "a session alone cannot change it",
    );
    assert.equal(errorCode(await change({ currentPassword: "a guess at it" })), "current_password_required");
    assert.equal((await change({ currentPassword: "correct horse battery" })).status, 204);
    assert.equal(
      (await change({ password: "correct horse battery", currentPassword: "a stolen session's pick" }))
        .status,
      204,
    );
    for (const password of ["wrong password 1", "wrong password 2"]) {
      assert.equal(
        errorCode(await call("/api/admin/sign-in", { body: { email: "owner@localhost", password } })),
        "invalid_credentials",
      );
    }
    assert.equal(
      errorCode(
        await call("/api/admin/sign-in", {
          body: { email: "nobody@example.com", password: "whatever123456" },
        }),
      ),
      "invalid_credentials",
    );
    let limited = false;
    for (let i = 0; i < 5 && !limited; i++) {
      const response = await call("/api/admin/sign-in", {
        body: { email: "owner@localhost", password: "wrong again!!" },
      });
      limited = response.status === 429 && /^\d+$/.test(response.headers.get("retry-after") ?? "");
    }
    assert.ok(limited, "429 with Retry-After after repeated failures");
  });

  test("the printed sign-in link opens a page that loads only its own script, under a strict CSP", async () => {
    const page = await fetch(`${base}/admin/sign-in?token=<script>alert(1)</script>`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'; script-src 'self'/);
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    const html = await page.text();
    assert.ok(!html.includes("alert(1)"), "nothing from the URL is echoed");
    assert.match(html, /<script src="\/admin\/sign-in\.js"><\/script>/);
    const script = await fetch(`${base}/admin/sign-in.js`);
    assert.match(script.headers.get("content-type") ?? "", /^text\/javascript/);
    const code = await script.text();
    for (const path of ["/api/admin/sign-in/link", "/api/admin/password"])
      assert.ok(code.includes(path), `the page calls ${path}`);
    assert.ok(!/innerHTML/.test(code), "text is shown with textContent only");
  });
});
