import assert from "node:assert/strict";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { loadEvents } from "../../../start/test-support/load-events.js";
import { runCli, spawnCli, waitForOutput } from "../../../start/test-support/run-cli.js";
import { sampleEvent } from "../../../start/test-support/sample-events.js";
import { tempDir } from "../../../start/test-support/temp-dir.js";
import { openDuckdbEvents } from "../../../store/events/duckdb/open-duckdb-events.js";
import { openSqliteStore } from "../../../store/metadata/sqlite/open-sqlite-store.js";

test("cairn query: rows as a table or JSON from the data folder, or from a running server with a key from the environment", async () => {
  const cwd = tempDir("cli-query");
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd, env });

  // A first start creates the subscription and app; then events go straight into the stopped server's store.
  let server = spawnCli(["start", "--port", "0", "--log-level", "silent"], { cwd });
  await waitForOutput(server, /<\/script>/);
  server.kill("SIGTERM");
  await once(server, "exit");
  const metadata = openSqliteStore(path.join(cwd, "data", "metadata.sqlite"));
  const app = await metadata.db
    .selectFrom("apps")
    .select(["id", "subscription_id"])
    .executeTakeFirstOrThrow();
  await metadata.close();
  const events = await openDuckdbEvents(path.join(cwd, "data", "events.duckdb"));
  const now = Date.now();
  await loadEvents(
    events.sink,
    ["ada", "ada", "grace"].map((visitorId, i) =>
      sampleEvent({
        subscriptionId: app.subscription_id,
        appId: app.id,
        visitorId,
        accountId: "acme",
        occurredAt: now - 60_000 * (i + 1),
        type: "load",
      }),
    ),
    10_000,
  );
  await events.sink.close();

  const pipeline = [
    { source: { events: null, timeSeries: { period: "dayRange", first: "now()", count: 1 } } },
    { group: { group: ["visitorId"], fields: { "events.total": { sum: "numEvents" } } } },
  ];
  writeFileSync(path.join(cwd, "pipeline.json"), JSON.stringify(pipeline));
  writeFileSync(
    path.join(cwd, "request.json"),
    JSON.stringify({ response: { mimeType: "application/json" }, request: { pipeline } }),
  );
  writeFileSync(path.join(cwd, "broken.json"), JSON.stringify([{ source: { events: null } }]));

  const table = await cli(["query", "pipeline.json"]);
  assert.equal(table.code, 0, table.stderr);
  assert.equal(table.stdout, "visitorId  events.total\nada        2\ngrace      1\n");
  assert.equal(table.stderr, "2 rows\n");
  const json = await cli(["query", "request.json", "--json"]);
  assert.deepEqual((JSON.parse(json.stdout) as { results: unknown }).results, [
    { visitorId: "ada", events: { total: 2 } },
    { visitorId: "grace", events: { total: 1 } },
  ]);
  const broken = await cli(["query", "broken.json"]);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /^cairn: pipeline\[0\] \(source\), "timeSeries": events needs a time range/);
  const missing = await cli(["query", "nope.json"]);
  assert.match(missing.stderr, /^cairn: Cannot read nope\.json/);

  await cli(["subscription", "update", "--integration-keys", "on"]);
  const created = await cli([
    "keys",
    "create",
    "--kind",
    "integration",
    "--description",
    "cli query",
    "--json",
  ]);
  const key = (JSON.parse(created.stdout) as { key: string }).key;
  server = spawnCli(["start", "--port", "0", "--log-level", "silent"], { cwd });
  try {
    const banner = await waitForOutput(server, /<\/script>/);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] as string;
    const locked = await cli(["query", "pipeline.json"]);
    assert.equal(locked.code, 1);
    assert.match(
      locked.stderr,
      /cairn start is running on this data folder.*CAIRN_INTEGRATION_KEY=<integration key> cairn query FILE --url/,
    );
    const noKey = await cli(["query", "pipeline.json", "--url", url]);
    assert.match(noKey.stderr, /Set CAIRN_INTEGRATION_KEY to an integration key/);
    const remote = await cli(["query", "pipeline.json", "--url", url], { CAIRN_INTEGRATION_KEY: key });
    assert.equal(remote.code, 0, remote.stderr);
    assert.equal(remote.stdout, table.stdout);
    assert.ok(!`${remote.stdout}${remote.stderr}`.includes(key), "the key is never printed");
  } finally {
    server.kill("SIGTERM");
    await once(server, "exit");
  }
});
