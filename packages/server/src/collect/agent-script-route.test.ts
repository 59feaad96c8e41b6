import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Script } from "node:vm";
import { setAllowedOrigins } from "../access/apps/app-keys.js";
import { createKey } from "../access/keys/key-service.js";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { tempDir } from "../start/test-support/temp-dir.js";

let cairn: RunningCairn;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("agent-route"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { verifier: { pollMs: 50 } });
});
after(() => cairn.shutdown());

test("the snippet's script URL serves Cairn's agent with this app's key and this server's URL baked in", async () => {
  const { appKey } = cairn.installation.app;
  const response = await fetch(`${cairn.publicUrl}/agent/static/${appKey.toUpperCase()}/pendo.js`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/javascript; charset=utf-8");
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  const script = await response.text();
  assert.doesNotThrow(() => new Script(script), "valid JavaScript");
  assert.ok(!script.includes("__CAIRN_AGENT_CONFIG__"), "the placeholder is replaced");
  assert.ok(script.includes(JSON.stringify(appKey)), "the app key, lower-cased, is baked in");
  assert.ok(script.includes(JSON.stringify(cairn.publicUrl)), "beacons go to this server");
  assert.match(script, /"excludeAllText":true/);
});

test("the guides' bundle is served beside the agent, for the agent to load once guide.json answers a guide", async () => {
  const { appKey } = cairn.installation.app;
  const response = await fetch(`${cairn.publicUrl}/agent/static/${appKey}/guides.js`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/javascript; charset=utf-8");
  const script = await response.text();
  assert.doesNotThrow(() => new Script(script), "valid JavaScript");
  assert.ok(script.includes("_guidesLoaded"), "it hands itself to the agent");
  const unknown = await fetch(
    `${cairn.publicUrl}/agent/static/00000000-0000-4000-8000-000000000000/guides.js`,
  );
  assert.equal(unknown.status, 404);
});

test("an app that restricts origins still serves its script (a <script> request carries no Origin)", async () => {
  const { app } = cairn.installation;
  await setAllowedOrigins(cairn.metadata.db, {
    subscriptionId: cairn.installation.subscription.id,
    appId: app.id,
    origins: ["https://shop.example.com"],
    actor: "test",
  });
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal((await fetch(`${cairn.publicUrl}/agent/static/${app.appKey}/pendo.js`)).status, 200);
  const beacon = await fetch(
    `${cairn.publicUrl}/data/ptm.gif/${app.appKey}?jzb=eJwFwIEIAAAAwDDQd3-N1QABFQC5`,
    {
      headers: { origin: "https://evil.example.com" },
    },
  );
  assert.equal(beacon.status, 403, "beacons are where origins are enforced");
});

test("an unknown app key is a 404, and a secret key in the script URL is refused and flagged", async () => {
  const unknown = await fetch(
    `${cairn.publicUrl}/agent/static/00000000-0000-4000-8000-000000000000/pendo.js`,
  );
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, "not_found");

  const { key, record } = await createKey(cairn.metadata.db, {
    subscriptionId: cairn.installation.subscription.id,
    kind: "feedback",
    description: "pasted into a snippet by mistake",
    actor: "test",
  });
  const leaked = await fetch(`${cairn.publicUrl}/agent/static/${key}/pendo.js`);
  assert.equal(leaked.status, 403);
  assert.equal(((await leaked.json()) as { error: { code: string } }).error.code, "secret_key_exposed");
  const row = await cairn.metadata.db
    .selectFrom("api_keys")
    .select("exposed_at")
    .where("id", "=", record.id)
    .executeTakeFirstOrThrow();
  assert.ok(row.exposed_at);
});
