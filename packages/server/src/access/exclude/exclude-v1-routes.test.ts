import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { callApi, errorOf, type Json } from "../../start/test-support/api-calls.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { createKey } from "../keys/key-service.js";
import { addExcludeRule } from "./exclude-service.js";

let cairn: RunningCairn;
let readKey: string;
let otherKey: string;

before(async () => {
  cairn = await startCairn(
    loadConfig({ dataDir: tempDir("exclude-v1"), port: "0", logLevel: "silent" }, {}, process.cwd()),
  );
  const subscriptionId = cairn.installation.subscription.id;
  await keysOfEveryKind(cairn);
  readKey = (
    await createKey(cairn.metadata.db, {
      subscriptionId,
      kind: "integration",
      description: "ro",
      actor: "test",
    })
  ).key;
  otherKey = await otherSubscriptionKey(cairn, "integration");
  for (const [kind, pattern, note] of [
    ["ip", "10.0.0.0/8", "office"],
    ["visitor", "test-*", null],
    ["host", "Staging.Example.com", null],
  ] as const) {
    await addExcludeRule(cairn.metadata.db, { subscriptionId, kind, pattern, note, actor: "cli" });
  }
});
after(() => cairn.shutdown());

test("GET /api/v1/blacklist lists the Exclude List under results, with a read-only key", async () => {
  const answer = await callApi(cairn, "GET", "/api/v1/blacklist?limit=10", { key: readKey });
  assert.equal(answer.status, 200, answer.text);
  const results = answer.body.results as Json[];
  assert.deepEqual(
    results.map((r) => [r.type, r.value, r.note, r.createdBy]),
    [
      ["ip", "10.0.0.0/8", "office", "cli"],
      ["visitor", "test-*", null, "cli"],
      ["server", "staging.example.com", null, "cli"],
    ],
  );
  for (const r of results) {
    assert.match(String(r.id), /^exr_/);
    assert.equal(typeof r.createdAt, "number");
  }
});

test("GET /api/v1/blacklist/type/:type keeps one type; server and host name the same; another type is a 404", async () => {
  const only = async (type: string) =>
    (
      (await callApi(cairn, "GET", `/api/v1/blacklist/type/${type}`, { key: readKey })).body.results as Json[]
    ).map((r) => r.value);
  assert.deepEqual(await only("ip"), ["10.0.0.0/8"]);
  assert.deepEqual(await only("visitor"), ["test-*"]);
  assert.deepEqual(await only("account"), []);
  assert.deepEqual(await only("server"), ["staging.example.com"]);
  assert.deepEqual(await only("host"), ["staging.example.com"]);
  const unknown = await callApi(cairn, "GET", "/api/v1/blacklist/type/guide", { key: readKey });
  assert.deepEqual([unknown.status, errorOf(unknown).code], [404, "not_found"]);
});

test("another subscription sees its own (empty) list; writes are not served here", async () => {
  assert.deepEqual((await callApi(cairn, "GET", "/api/v1/blacklist", { key: otherKey })).body, {
    results: [],
  });
  assert.equal((await callApi(cairn, "GET", "/api/v1/blacklist")).status, 401);
});
