import assert from "node:assert/strict";
import { test } from "node:test";
import { startCairn } from "../../start/start-cairn.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { loadConfig } from "../config/load-config.js";
import { buildApp } from "./build-app.js";
import { compilePendingValidators } from "./lazy-validators.js";

const appOptions = {
  logLevel: "silent",
  accepting: () => true,
  engines: { metadata: "sqlite", events: "duckdb" },
} as const;

test("every route schema of a started Cairn compiles (they compile on first use, so this is where a bad one shows)", async () => {
  const config = loadConfig(
    { dataDir: tempDir("lazy-validators"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  const cairn = await startCairn(config);
  try {
    assert.ok(compilePendingValidators() >= 100, "the routes' validators were waiting to be compiled");
    assert.equal(compilePendingValidators(), 0);
  } finally {
    await cairn.shutdown();
  }
});

test("a schema Ajv cannot compile passes start-up but not compilePendingValidators", async () => {
  const app = buildApp(appOptions);
  app.post("/bad", { schema: { body: { type: "nonsense" } } }, async () => "ok");
  await app.ready();
  assert.throws(() => compilePendingValidators(), /nonsense|type/);
  await app.close();
});

test("a lazily compiled validator refuses and admits exactly as Ajv does, with its message", async () => {
  const app = buildApp(appOptions);
  app.post(
    "/echo",
    { schema: { body: { type: "object", required: ["title"], properties: { title: { type: "string" } } } } },
    async (request) => request.body,
  );
  const missing = await app.inject({ method: "POST", url: "/echo", payload: {} });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /must have required property 'title'/);
  const fine = await app.inject({ method: "POST", url: "/echo", payload: { title: "x" } });
  assert.equal(fine.statusCode, 200);
  assert.deepEqual(fine.json(), { title: "x" });
  const again = await app.inject({ method: "POST", url: "/echo", payload: { title: { nested: true } } });
  assert.equal(again.statusCode, 400);
  await app.close();
});
