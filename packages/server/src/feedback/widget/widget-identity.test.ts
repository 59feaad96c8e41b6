import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setFeedbackWidget, setVisitorIdentity } from "../../access/apps/app-keys.js";
import type { IdentityMode } from "../../access/identity/identity-policy.js";
import { seconds, signIdentityToken } from "../../access/identity/test-support/sign-identity-token.js";
import { createKey, revokeKey } from "../../access/keys/key-service.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { tempDir } from "../../start/test-support/temp-dir.js";

let cairn: RunningCairn;
let appKey: string;
let appId: string;
let subscriptionId: string;
let secret: string;
let secretId: string;
let ideaId: string;

type ErrorBody = { error: { code: string; message: string; hint: string } };
type WidgetIdea = { id: string; title: string; votes: number; myVote: number };

const victim = { id: "victim", email: "victim@example.com", name: "Victim", account: { id: "acme" } };

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("widget-identity"), port: "0", logLevel: "warn" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { verifier: { pollMs: 20 } });
  appKey = cairn.installation.app.appKey;
  appId = cairn.installation.app.id;
  subscriptionId = cairn.installation.subscription.id;
  await setFeedbackWidget(cairn.metadata.db, { subscriptionId, appId, enabled: true, actor: "test" });
  const created = await createKey(cairn.metadata.db, {
    subscriptionId,
    kind: "identity",
    appId,
    description: "signs visitor tokens in the shop's back end",
    actor: "test",
  });
  secret = created.key;
  secretId = created.record.id;
  // The victim exists, with their own e-mail, name and account, before anyone else speaks for them.
  const first = await panel(
    "POST",
    "/ideas",
    { user: victim, title: "Export to CSV" },
    tokenFor("victim", "acme"),
  );
  assert.equal(first.status, 201, await first.clone().text());
  ideaId = ((await first.json()) as { idea: WidgetIdea }).idea.id;
});
after(() => cairn.shutdown());

function tokenFor(sub: string, account?: string, lifetimeS = 600): string {
  return signIdentityToken(secret, {
    sub,
    ...(account ? { account } : {}),
    exp: seconds(Date.now()) + lifetimeS,
  });
}

function panel(method: "GET" | "POST", path: string, body?: unknown, token?: string): Promise<Response> {
  return fetch(`${cairn.publicUrl}/data/feedback/${appKey}${path}`, {
    method,
    headers: {
      origin: "https://shop.example",
      ...(token === undefined ? {} : { "x-cairn-identity": token }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function expectError(response: Response, status: number, code: string): Promise<ErrorBody> {
  const body = (await response.json()) as ErrorBody;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code, JSON.stringify(body));
  return body;
}

async function endUser(externalId: string) {
  return cairn.metadata.db
    .selectFrom("feedback_end_users as u")
    .leftJoin("feedback_accounts as a", "a.id", "u.account_id")
    .select(["u.email", "u.name", "a.external_id as account"])
    .where("u.external_id", "=", externalId)
    .executeTakeFirst();
}

async function votesOf(externalId: string): Promise<number> {
  const rows = await cairn.metadata.db
    .selectFrom("feedback_votes as v")
    .innerJoin("feedback_end_users as u", "u.id", "v.end_user_id")
    .select("v.id")
    .where("u.external_id", "=", externalId)
    .execute();
  return rows.length;
}

/** Sets the app's requirement and waits until the collector's app cache answers by it. */
async function requireIdentity(mode: IdentityMode): Promise<void> {
  await setVisitorIdentity(cairn.metadata.db, { subscriptionId, appId, mode, actor: "test" });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const status = (await panel("GET", "/ideas?visitorId=probe")).status;
    if ((status === 401) === (mode !== "off")) return;
    assert.ok(Date.now() < deadline, "the app cache picks up the setting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("without a token the panel may create an end user, but never change an existing one's e-mail, name or account", async () => {
  await requireIdentity("off");
  const impostor = {
    id: "victim",
    email: "attacker@evil.example",
    name: "Mallory",
    account: { id: "evil-co", name: "Evil" },
  };
  const voted = await panel("POST", "/votes", { user: impostor, ideaId, quantity: 1 });
  assert.equal(voted.status, 200);
  const idea = await panel("POST", "/ideas", { user: impostor, title: "Send me everything" });
  assert.equal(idea.status, 201);
  assert.deepEqual(await endUser("victim"), { email: "victim@example.com", name: "Victim", account: "acme" });
  const account = await cairn.metadata.db
    .selectFrom("feedback_accounts")
    .select("name")
    .where("external_id", "=", "evil-co")
    .executeTakeFirst();
  assert.equal(
    account?.name ?? null,
    "Evil",
    "a new account may be created, but the victim is not moved to it",
  );

  const newcomer = { id: "newcomer", email: "new@example.com", name: "New", account: { id: "acme" } };
  assert.equal((await panel("POST", "/votes", { user: newcomer, ideaId, quantity: 1 })).status, 200);
  assert.deepEqual(await endUser("newcomer"), { email: "new@example.com", name: "New", account: "acme" });
});

test("with a token for the visitor, the panel may change their own e-mail and name, and account when signed", async () => {
  await requireIdentity("off");
  const renamed = { ...victim, name: "Victim Renamed" };
  assert.equal(
    (await panel("POST", "/votes", { user: renamed, ideaId, quantity: 1 }, tokenFor("victim", "acme")))
      .status,
    200,
  );
  assert.deepEqual(await endUser("victim"), {
    email: "victim@example.com",
    name: "Victim Renamed",
    account: "acme",
  });
  // A token without an account vouches for the visitor only: naming another account moves nothing.
  const moved = { ...renamed, account: { id: "elsewhere" } };
  assert.equal(
    (await panel("POST", "/votes", { user: moved, ideaId, quantity: 1 }, tokenFor("victim"))).status,
    200,
  );
  assert.equal((await endUser("victim"))?.account, "acme");
});

test("with the panel requirement on, acting or reading as a visitor without their token is a 401 that says what to do", async () => {
  await requireIdentity("panel");
  const votesBefore = await votesOf("victim");
  const ideasBefore = (await cairn.metadata.db.selectFrom("feedback_ideas").select("id").execute()).length;

  const noToken = await expectError(
    await panel("POST", "/votes", { user: victim, ideaId, quantity: -1 }),
    401,
    "identity_required",
  );
  assert.match(noToken.error.message, /back end signs a JWT \(HS256\)/);
  assert.match(noToken.error.message, /identityToken/);
  await expectError(
    await panel("POST", "/ideas", { user: victim, title: "Impostor idea" }),
    401,
    "identity_required",
  );
  await expectError(await panel("GET", "/ideas?visitorId=victim"), 401, "identity_required");

  // Another visitor's valid token does not make anyone the victim.
  const other = tokenFor("mallory");
  const mismatch = await expectError(
    await panel("POST", "/votes", { user: victim, ideaId, quantity: -1 }, other),
    401,
    "invalid_identity_token",
  );
  assert.match(mismatch.error.message, /another visitor/);
  await expectError(
    await panel("GET", "/ideas?visitorId=victim", undefined, other),
    401,
    "invalid_identity_token",
  );
  await expectError(
    await panel(
      "POST",
      "/votes",
      { user: victim, ideaId, quantity: -1 },
      tokenFor("victim", "other-account"),
    ),
    401,
    "invalid_identity_token",
  );

  assert.equal(await votesOf("victim"), votesBefore);
  assert.equal(
    (await cairn.metadata.db.selectFrom("feedback_ideas").select("id").execute()).length,
    ideasBefore,
  );
  // The public list of ideas names no visitor, so it needs no token.
  assert.equal((await panel("GET", "/ideas")).status, 200);
});

test("with the requirement on, the visitor's own valid token is accepted for reads and writes", async () => {
  await requireIdentity("panel");
  const token = tokenFor("victim", "acme");
  const voted = await panel("POST", "/votes", { user: victim, ideaId, quantity: -1 }, token);
  assert.equal(voted.status, 200);
  const list = await panel("GET", "/ideas?visitorId=victim", undefined, token);
  assert.equal(list.status, 200);
  const { ideas } = (await list.json()) as { ideas: WidgetIdea[] };
  assert.equal(ideas.find((idea) => idea.id === ideaId)?.myVote, -1);
  // Pendo's signed-metadata payload shape names the same visitor.
  const pendoShape = signIdentityToken(secret, {
    visitor: { id: "victim" },
    account: { id: "acme" },
    exp: seconds(Date.now()) + 600,
  });
  assert.equal(
    (await panel("POST", "/votes", { user: victim, ideaId, quantity: 1 }, pendoShape)).status,
    200,
  );
});

test("expired, too long-lived, tampered, alg=none, other-algorithm and wrong-secret tokens are refused", async () => {
  await requireIdentity("panel");
  const now = seconds(Date.now());
  const good = tokenFor("victim", "acme");
  const [header, payload] = good.split(".") as [string, string, string];
  const forged = Buffer.from(
    JSON.stringify({ sub: "victim", account: "acme", exp: now + 600, admin: true }),
  ).toString("base64url");
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${payload}.`;
  const otherSecret = await createKey(cairn.metadata.db, {
    subscriptionId,
    kind: "identity",
    appId,
    description: "to be revoked",
    actor: "test",
  });
  await revokeKey(cairn.metadata.db, { subscriptionId, id: otherSecret.record.id, actor: "test" });
  const cases: Array<[string, string, RegExp]> = [
    ["expired", signIdentityToken(secret, { sub: "victim", exp: now - 120 }), /expired/],
    [
      "61 s past exp, beyond the skew",
      signIdentityToken(secret, { sub: "victim", exp: now - 61 }),
      /expired/,
    ],
    ["lives 2 days", signIdentityToken(secret, { sub: "victim", exp: now + 2 * 86_400 }), /longer than 24 h/],
    [
      "iat to exp over 24 h",
      signIdentityToken(secret, { sub: "victim", iat: now - 86_400, exp: now + 600 }),
      /longer than 24 h/,
    ],
    ["no exp", signIdentityToken(secret, { sub: "victim" }), /expired or has no numeric exp/],
    ["tampered payload", `${header}.${forged}.${good.split(".")[2]}`, /signature does not match/],
    ["tampered signature", `${good.slice(0, -2)}${good.endsWith("A") ? "BB" : "AA"}`, /signature/],
    ["alg none", none, /HS256/],
    ["alg HS512", signIdentityToken(secret, { sub: "victim", exp: now + 600 }, { alg: "HS512" }), /HS256/],
    ["revoked secret", signIdentityToken(otherSecret.key, { sub: "victim", exp: now + 600 }), /signature/],
    ["not a JWT", "victim", /not a JWT/],
  ];
  for (const [name, token, message] of cases) {
    const refused = await expectError(
      await panel("POST", "/votes", { user: victim, ideaId, quantity: 1 }, token),
      401,
      "invalid_identity_token",
    );
    assert.match(refused.error.message, message, name);
  }
  // Within the allowed skew, a token just past its exp still holds.
  const late = signIdentityToken(secret, { sub: "victim", exp: now - 30 });
  assert.equal((await panel("POST", "/votes", { user: victim, ideaId, quantity: 1 }, late)).status, 200);
});

test("a revoked identity secret stops verifying its tokens on the next request", async () => {
  await requireIdentity("panel");
  const token = tokenFor("victim", "acme");
  assert.equal((await panel("GET", "/ideas?visitorId=victim", undefined, token)).status, 200);
  await revokeKey(cairn.metadata.db, { subscriptionId, id: secretId, actor: "test" });
  const deadline = Date.now() + 5_000;
  let status = 200;
  while (status === 200 && Date.now() < deadline) {
    status = (await panel("GET", "/ideas?visitorId=victim", undefined, token)).status;
  }
  assert.equal(status, 401);
});
