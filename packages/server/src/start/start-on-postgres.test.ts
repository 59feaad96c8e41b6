import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createKey } from "../access/keys/key-service.js";
import { encodeJzb } from "../collect/jzb.js";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "./start-cairn.js";
import { type AdminSession, adminSession, callAdmin, callApi } from "./test-support/api-calls.js";
import { keysOfEveryKind } from "./test-support/keys-of-every-kind.js";
import { testPostgresUrl } from "./test-support/postgres-cluster.js";
import { tempDir } from "./test-support/temp-dir.js";

// The whole server on a PostgreSQL metadata store, through HTTP: keys, sessions and guides, the paths that
// read and write the metadata store on every request.
let cairn: RunningCairn;
/** A second server on the same database with its own data folder, as behind a load balancer. */
let other: RunningCairn;
let owner: AdminSession;
let integrationKey: string;

before(async () => {
  const metadataUrl = await testPostgresUrl("server");
  const config = loadConfig(
    { dataDir: tempDir("start-on-postgres"), port: "0", logLevel: "silent", metadataUrl },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { verifier: { pollMs: 50 } });
  const otherConfig = loadConfig(
    { dataDir: tempDir("start-on-postgres-other"), port: "0", logLevel: "silent", metadataUrl },
    {},
    process.cwd(),
  );
  other = await startCairn(otherConfig, { verifier: { pollMs: 50 } });
  integrationKey = (await keysOfEveryKind(cairn)).integration;
  owner = await adminSession(cairn, "owner");
});
after(async () => {
  await other.shutdown();
  await cairn.shutdown();
});

const admin = (method: string, path: string, body?: unknown) => callAdmin(cairn, owner, method, path, body);

test("the server runs on PostgreSQL and says so", async () => {
  assert.equal(cairn.metadata.engine, "postgres");
  assert.equal((await fetch(`${cairn.publicUrl}/healthz`)).status, 200);
  assert.equal(cairn.installation.created, true);
});

test("keys: made through the admin API, accepted, then refused once revoked", async () => {
  const verify = (key: string) =>
    callApi(cairn, "GET", "/api/v1/token/verify", { key }).then((answer) => answer.status);
  assert.equal(await verify(integrationKey), 200);
  const made = await admin("POST", "/api/admin/keys", { kind: "integration", description: "pg" });
  assert.equal(made.status, 201, made.text);
  const key = String(made.body.key);
  assert.equal(await verify(key), 200);
  const revoked = await admin("POST", `/api/admin/keys/${made.body.id}/revoke`, {});
  assert.equal(revoked.status, 200, revoked.text);
  // Every server, this one too, drops its cached keys when it next reads the shared key revision (50 ms here).
  const until = Date.now() + 1_000;
  while ((await verify(key)) !== 401) {
    assert.ok(Date.now() < until, "still accepted a second after revocation");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const readOnly = await createKey(cairn.metadata.db, {
    subscriptionId: cairn.installation.subscription.id,
    kind: "integration",
    description: "read only",
    actor: "test",
  });
  assert.equal(await verify(readOnly.key), 200);
});

test("sessions: a sign-in link opens a session that the admin API accepts, and signing out ends it", async () => {
  const session = await adminSession(cairn, "admin");
  const me = await callAdmin(cairn, session, "GET", "/api/admin/session");
  assert.equal(me.status, 200, me.text);
  const out = await callAdmin(cairn, session, "POST", "/api/admin/sign-out", {});
  assert.ok(out.status < 300, out.text);
  assert.equal((await callAdmin(cairn, session, "GET", "/api/admin/session")).status, 401);
});

test("guides: made and published through the admin API, then delivered by guide.json", async () => {
  const made = await admin("POST", "/api/admin/guides", {
    name: "Welcome on PostgreSQL",
    launchMethod: "auto",
    steps: [
      {
        type: "lightbox",
        content: {
          blocks: [
            { type: "heading", text: "Welcome!", level: 2 },
            { type: "button", label: "Done", action: { type: "dismissGuide" } },
          ],
        },
      },
    ],
  });
  assert.equal(made.status, 201, made.text);
  const published = await admin("PUT", `/api/admin/guides/${made.body.id}/state`, { state: "public" });
  assert.equal(published.status, 200, published.text);
  assert.equal(typeof published.body.lastUpdatedAt, "number");

  const listed = await callApi(cairn, "GET", "/api/v1/guide", { key: integrationKey });
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(
    listed.body.map((g) => g.name),
    ["Welcome on PostgreSQL"],
  );

  const jzb = encodeJzb({
    visitorId: "v-pg",
    accountId: "acme",
    url: "http://app.example.com/home",
    metadata: { visitor: { id: "v-pg" }, account: { id: "acme" }, version: "2.291.4_prod" },
  });
  const { appKey } = cairn.installation.app;
  const until = Date.now() + 3_000;
  let names: string[] = [];
  // Guide delivery's cache learns of the new guide within its poll.
  while (Date.now() < until) {
    const response = await fetch(
      `${cairn.publicUrl}/data/guide.json/${appKey}?id=1&jzb=${jzb}&v=2.291.4_prod`,
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as { guides: Array<{ name: string }> };
    names = body.guides.map((g) => g.name);
    if (names.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  assert.deepEqual(names, ["Welcome on PostgreSQL"]);
});

test("profiles: a visitor's metadata written through one server is read through the other", async () => {
  assert.equal(other.installation.created, false, "the second server joined the first one's installation");
  const written = await callApi(cairn, "POST", "/api/v1/metadata/visitor/custom/value?create=true", {
    key: integrationKey,
    body: [{ visitorId: "v-shared", values: { plan: "pro", seats: 12 } }],
  });
  assert.equal(written.status, 200, written.text);
  const read = await callApi(other, "GET", "/api/v1/visitor/v-shared", { key: integrationKey });
  assert.equal(read.status, 200, read.text);
  const { metadata } = read.body as { metadata?: { custom?: unknown } };
  assert.deepEqual(metadata?.custom, { plan: "pro", seats: 12 });
});
