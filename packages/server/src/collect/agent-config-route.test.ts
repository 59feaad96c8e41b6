import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../start/start-cairn.js";
import { tempDir } from "../start/test-support/temp-dir.js";

let cairn: RunningCairn;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("agent-config"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config);
});
after(() => cairn.shutdown());

test("config.json, which Pendo's npm agent fetches first, answers the app's settings with CORS headers", async () => {
  const { appKey } = cairn.installation.app;
  const response = await fetch(`${cairn.publicUrl}/agent/static/${appKey.toUpperCase()}/config.json`, {
    headers: { origin: "https://shop.example.com" },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(await response.json(), {
    apiKey: appKey,
    dataHost: cairn.publicUrl,
    excludeAllText: true,
    guideValidation: false,
    pendoFeedback: false,
  });
});

test("config.json for an unknown app key is a 404 that still carries CORS headers, so the page can read it", async () => {
  const response = await fetch(
    `${cairn.publicUrl}/agent/static/00000000-0000-4000-8000-000000000000/config.json`,
    { headers: { origin: "https://shop.example.com" } },
  );
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.equal(((await response.json()) as { error: { code: string } }).error.code, "not_found");
});
