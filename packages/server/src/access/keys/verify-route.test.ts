import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { startCairn } from "../../start/start-cairn.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { createKey, revokeKey, setIntegrationKeysEnabled } from "./key-service.js";

const errorShape =
  /^\{"error":\{"code":"[a-z_]+","message":"[^"]+","hint":"[^"]+","requestId":"req_[\w-]+"\}\}$/;

test("GET /api/v1/token/verify over real HTTP: every misuse gets its error, and no key reaches a log, body or file", async () => {
  const dataDir = tempDir("v1-verify");
  const logStream = new PassThrough();
  let logs = "";
  logStream.on("data", (chunk: Buffer) => {
    logs += chunk.toString();
  });
  const config = loadConfig({ dataDir, port: "0", logLevel: "trace" }, {}, process.cwd());
  const cairn = await startCairn(config, { logStream, verifier: { pollMs: 50 } });
  const db = cairn.metadata.db;
  const subscriptionId = cairn.installation.subscription.id;
  await setIntegrationKeysEnabled(db, { subscriptionId, enabled: true, actor: "test" });
  const integration = await createKey(db, {
    subscriptionId,
    kind: "integration",
    description: "ETL",
    actor: "test",
  });
  const feedback = await createKey(db, {
    subscriptionId,
    kind: "feedback",
    description: "fb",
    actor: "test",
  });
  const track = await createKey(db, {
    subscriptionId,
    kind: "track",
    description: "tr",
    appId: cairn.installation.app.id,
    actor: "test",
  });
  const revoked = await createKey(db, {
    subscriptionId,
    kind: "integration",
    description: "old",
    actor: "test",
  });
  await revokeKey(db, { subscriptionId, id: revoked.record.id, actor: "test" });
  const expiring = await createKey(db, {
    subscriptionId,
    kind: "integration",
    description: "short",
    expiresAt: new Date(Date.now() + 300),
    actor: "test",
  });
  const secrets = [integration.key, feedback.key, track.key, revoked.key, expiring.key];

  const url = `${cairn.publicUrl}/api/v1/token/verify`;
  const call = (headers: Record<string, string>, query = "") => fetch(url + query, { headers });

  const ok = await call({ "x-pendo-integration-key": integration.key });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), {
    valid: true,
    keyId: integration.record.id,
    kind: "integration",
    scope: "read",
    subscriptionId,
  });
  const capitalised = await call({ "X-Pendo-Integration-Key": integration.key });
  assert.equal(capitalised.status, 200, "header names are case-insensitive");

  await new Promise((r) => setTimeout(r, 400));
  const cases: Array<[string, Record<string, string>, string, number, string, RegExp?]> = [
    ["nothing", {}, "", 401, "missing_key", /x-pendo-integration-key/],
    [
      "the app key",
      { "x-pendo-integration-key": cairn.installation.app.appKey },
      "",
      401,
      "wrong_key_kind",
      /public app key.*Integration Keys/,
    ],
    [
      "a feedback key",
      { "x-pendo-integration-key": feedback.key },
      "",
      401,
      "wrong_key_kind",
      /Feedback key; the v1 API needs an integration key/,
    ],
    ["a track secret", { "x-pendo-integration-key": track.key }, "", 401, "wrong_key_kind", /track secret/],
    ["garbage", { "x-pendo-integration-key": "hello" }, "", 401, "invalid_key"],
    ["a 10 kB header", { "x-pendo-integration-key": "x".repeat(10_000) }, "", 401, "invalid_key"],
    ["a revoked key", { "x-pendo-integration-key": revoked.key }, "", 401, "revoked_key", /revoked on/],
    ["an expired key", { "x-pendo-integration-key": expiring.key }, "", 401, "expired_key", /expired on/],
    ["a key in the URL", {}, `?integration_key=${integration.key}`, 401, "key_in_url"],
    [
      "a key as any query value",
      { "x-pendo-integration-key": integration.key },
      `?q=${integration.key}`,
      401,
      "key_in_url",
    ],
    [
      "a key sent by a browser",
      { "x-pendo-integration-key": integration.key, origin: "https://app.example.com" },
      "",
      403,
      "secret_key_exposed",
    ],
  ];
  for (const [what, headers, query, status, code, message] of cases) {
    const response = await call(headers, query);
    const body = await response.text();
    assert.equal(response.status, status, `${what}: ${body}`);
    assert.match(body, errorShape, what);
    const parsed = JSON.parse(body) as { error: { code: string; message: string; hint: string } };
    assert.equal(parsed.error.code, code, what);
    if (message) assert.match(`${parsed.error.message} ${parsed.error.hint}`, message, what);
    for (const secret of secrets) assert.ok(!body.includes(secret), `${what}: no key in the body`);
  }
  const exposed = await db
    .selectFrom("api_keys")
    .select("exposed_at")
    .where("id", "=", integration.record.id)
    .executeTakeFirstOrThrow();
  assert.ok(exposed.exposed_at, "the key sent by a browser is flagged");

  await cairn.shutdown();
  assert.ok(logs.length > 0 && logs.includes("/api/v1/token/verify"), "requests were logged");
  for (const secret of secrets) {
    assert.ok(!logs.includes(secret) && !logs.includes(secret.slice(4)), "no key in any log line");
  }
  // Every file in the data folder, the ingest log's segments included.
  for (const file of readdirSync(dataDir, { recursive: true, encoding: "utf8" })) {
    if (!statSync(path.join(dataDir, file)).isFile()) continue;
    const bytes = readFileSync(path.join(dataDir, file), "latin1");
    for (const secret of secrets) assert.ok(!bytes.includes(secret.slice(4)), `${file} holds no key`);
  }
});
