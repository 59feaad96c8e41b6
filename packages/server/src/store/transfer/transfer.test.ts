import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { before, test } from "node:test";
import { encodeJzb } from "../../collect/jzb.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { callApi, type Json } from "../../start/test-support/api-calls.js";
import { type KeysOfEveryKind, keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { testPostgresUrl } from "../../start/test-support/postgres-cluster.js";
import { runCli } from "../../start/test-support/run-cli.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { readEvents } from "../events/event-reads.js";
import { openMetadataStore } from "../open-stores.js";
import { progressTable } from "./import-progress.js";
import type { ExportManifest } from "./manifest.js";

// A data folder on SQLite + DuckDB, with events, profiles (custom metadata, an alias, guide step states), keys
// and feedback, exported by `cairn export` and imported by `cairn import` into PostgreSQL + ClickHouse (chdb):
// a server started on the imported stores gives the same answers and takes the same keys.

const chromeUa =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const ann = "ann@example.com";
const anonymous = "_PENDO_T_anon-1";
const t0 = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000;

let sourceDir: string;
let exportDir: string;
let keys: KeysOfEveryKind;
let before_: Answers;
const cwd = tempDir("transfer-cwd");

interface Answers {
  events: unknown[];
  visitor: unknown;
  anonymousVisitor: unknown;
  account: unknown;
  aliases: string[];
  guideStates: unknown;
  ideas: unknown[];
  keys: unknown[];
  eventsPerVisitor: unknown[];
  plans: unknown[];
}

async function send(cairn: RunningCairn, kind: "ptm" | "guide", events: Json[]): Promise<void> {
  const answer = await cairn.app.inject({
    method: "GET",
    url: `/data/${kind}.gif/${keys.app}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(events)}`,
    headers: { "user-agent": chromeUa },
  });
  assert.equal(answer.statusCode, 200, answer.body);
}

const at = (ms: number, type: string, urlPath: string, props: Json = {}, visitor = ann) => ({
  type,
  visitor_id: visitor,
  account_id: "acme",
  url: `https://app.example.com${urlPath}`,
  browser_time: t0 + ms,
  props,
});

async function aggregate(cairn: RunningCairn, pipeline: unknown[]): Promise<Json[]> {
  const answer = await callApi(cairn, "POST", "/api/v1/aggregation", {
    key: keys.integration,
    body: { response: { mimeType: "application/json" }, request: { pipeline } },
  });
  assert.equal(answer.status, 200, answer.text);
  const results = answer.body.results as unknown as Json[];
  return results.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The same questions, through each store's own read paths and the v1 API. */
async function answersOf(cairn: RunningCairn): Promise<Answers> {
  const subscriptionId = cairn.installation.subscription.id;
  const appId = cairn.installation.app.id;
  const events = await readEvents(cairn.events, { subscriptionId });
  const day = { period: "dayRange", first: t0 - 86_400_000, count: 3 };
  return {
    events: events
      .map((e) => ({ ...e, unsignedIdentity: Boolean(e.unsignedIdentity) }))
      .sort((a, b) => a.eventId.localeCompare(b.eventId)),
    visitor: await cairn.profiles.visitor(subscriptionId, ann),
    anonymousVisitor: await cairn.profiles.visitor(subscriptionId, anonymous),
    account: await cairn.profiles.account(subscriptionId, "acme"),
    aliases: await cairn.profiles.aliasesOf(subscriptionId, ann),
    guideStates: await cairn.profiles.guideStatesOf({ subscriptionId, appId, visitorId: ann }),
    ideas: await cairn.metadata.db.selectFrom("feedback_ideas").selectAll().orderBy("id").execute(),
    // Which key was last used, and from where, moves with each request this test makes.
    keys: (await cairn.metadata.db.selectFrom("api_keys").selectAll().orderBy("id").execute()).map(
      ({ last_used_at: _at, last_used_ip: _ip, ...key }) => key,
    ),
    eventsPerVisitor: await aggregate(cairn, [
      { source: { events: null, timeSeries: day } },
      { group: { group: ["visitorId"], fields: { events: { sum: "numEvents" } } } },
    ]),
    plans: await aggregate(cairn, [
      { source: { visitors: null } },
      { select: { visitorId: "visitorId", plan: "metadata.custom.plan" } },
    ]),
  };
}

before(async () => {
  sourceDir = tempDir("transfer-source");
  exportDir = path.join(tempDir("transfer-export"), "export");
  const cairn = await startCairn(
    loadConfig({ dataDir: sourceDir, port: "0", logLevel: "silent" }, {}, process.cwd()),
  );
  try {
    keys = await keysOfEveryKind(cairn);
    await send(cairn, "ptm", [
      at(0, "load", "/dashboard", {}, anonymous),
      at(1_000, "identify", "/dashboard", { old_visitor_id: anonymous }),
      at(2_000, "meta", "/dashboard", {
        visitor: { id: ann, email: "ann@example.com" },
        account: { id: "acme" },
      }),
      ...Array.from({ length: 30 }, (_, i) =>
        at(3_000 + i * 60_000, i % 3 ? "load" : "click", `/page/${i % 4}`),
      ),
      ...Array.from({ length: 10 }, (_, i) => at(5_000 + i * 1_000, "load", "/pricing", {}, `bob-${i % 3}`)),
    ]);
    await send(cairn, "guide", [
      at(50_000, "guideSeen", "/settings", { guide_id: "g1", guide_step_id: "s1", reason: "auto" }),
      at(55_000, "guideDismissed", "/settings", { guide_id: "g1", guide_step_id: "s1" }),
    ]);
    const custom = await callApi(cairn, "POST", "/api/v1/metadata/visitor/custom/value?create=true", {
      key: keys.integration,
      body: [
        { visitorId: ann, values: { plan: "Pro", seats: 3, tags: ["a", "b"] } },
        { visitorId: "bob-1", values: { plan: "free" } },
      ],
    });
    assert.equal(custom.status, 200, custom.text);
    const idea = await callApi(cairn, "POST", "/api/v1/ideas", {
      key: keys.feedback,
      body: { title: "Dark mode", details: "Please", user: { id: "u-1", email: "u1@example.com" } },
    });
    assert.equal(idea.status, 201, idea.text);
    // An idea merged into a later one: the import sets the reference once both rows are in.
    const later = await callApi(cairn, "POST", "/api/v1/ideas", {
      key: keys.feedback,
      body: { title: "Night mode", user: { id: "u-2", email: "u2@example.com" } },
    });
    assert.equal(later.status, 201, later.text);
    const merged = await callApi(cairn, "PATCH", `/api/v1/ideas/${idea.body.id}`, {
      key: keys.feedback,
      body: { mergedInto: later.body.id },
    });
    assert.equal(merged.status, 200, merged.text);
    await cairn.writer.flush();
    before_ = await answersOf(cairn);
  } finally {
    await cairn.shutdown();
  }
  assert.ok(before_.events.length >= 44, `events stored: ${before_.events.length}`);
  assert.deepEqual(before_.aliases, [anonymous]);
  assert.equal((before_.guideStates as { steps: unknown[] }).steps.length, 1);
  assert.equal(
    before_.ideas.filter((i) => (i as { merged_into_id: string | null }).merged_into_id).length,
    1,
  );
});

let restoredDir: string;
let target: { env: Record<string, string>; dataDir: string; metadataUrl: string; eventsUrl: string };

test("cairn export writes every store and a manifest, last", async () => {
  const exported = await runCli(["export", exportDir, "--data-dir", sourceDir, "--events-per-file", "7"], {
    cwd,
  });
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stderr, /exporting events: 0 of \d+/);
  assert.match(exported.stderr, /exporting events: (\d+) of \1/);
  assert.match(exported.stdout, /exported to .*export.* events in \d+ files/);
  const manifest = JSON.parse(readFileSync(path.join(exportDir, "manifest.json"), "utf8")) as ExportManifest;
  assert.equal(manifest.formatVersion, 1);
  assert.equal(manifest.source.metadata.engine, "sqlite");
  assert.equal(manifest.source.events.engine, "duckdb");
  assert.ok(!existsSync(path.join(exportDir, "export-in-progress")));
  const rows = (kind: string) =>
    manifest.files.filter((f) => f.kind === kind).reduce((n, f) => n + f.rows, 0);
  assert.equal(rows("events"), before_.events.length);
  assert.ok(manifest.files.filter((f) => f.kind === "events").every((f) => f.rows <= 7));
  for (const kind of ["visitors", "accounts", "aliases", "guideStepStates"]) assert.ok(rows(kind) > 0, kind);
  // Keys travel as stored, hashed: no key appears anywhere in the export.
  const everything = manifest.files.map((f) => path.join(exportDir, f.path));
  const { gunzipSync } = await import("node:zlib");
  const text = everything.map((file) => gunzipSync(readFileSync(file)).toString("utf8")).join("\n");
  for (const key of [keys.integration, keys.feedback, keys.track])
    assert.ok(!text.includes(key), "a key in clear");

  const again = await runCli(["export", exportDir, "--data-dir", sourceDir], { cwd });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds a finished export/);
});

test("cairn import into PostgreSQL + ClickHouse gives the same answers, keys included", async () => {
  target = {
    dataDir: tempDir("transfer-target"),
    metadataUrl: await testPostgresUrl("transfer"),
    eventsUrl: `chdb:${tempDir("transfer-chdb")}?database=imported`,
    env: {},
  };
  target.env = {
    CAIRN_DATA_DIR: target.dataDir,
    CAIRN_METADATA_URL: target.metadataUrl,
    CAIRN_EVENTS_URL: target.eventsUrl,
  };
  const imported = await runCli(["import", exportDir], { cwd, env: target.env });
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stderr, /importing events: (\d+) of \1/);
  assert.match(imported.stdout, /imported export/);

  // Cut short between an event file's insert and its progress row: the repeat is recognised by its token.
  const metadata = await openMetadataStore({ engine: "postgres", url: target.metadataUrl });
  await metadata.db
    .deleteFrom(progressTable as never)
    .where("step" as never, "like", "events/%" as never)
    .execute();
  await metadata.db
    .deleteFrom(progressTable as never)
    .where("step" as never, "=", "done" as never)
    .execute();
  await metadata.close();
  const resumed = await runCli(["import", exportDir], { cwd, env: target.env });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /resumed/);
  const done = await runCli(["import", exportDir], { cwd, env: target.env });
  assert.match(done.stdout, /already imported/);

  // Back again, as a backup of the server engines restored on one box: PostgreSQL + ClickHouse to SQLite + DuckDB.
  // (Before this process opens the chdb folder: chdb binds a folder to one process.)
  const backup = path.join(tempDir("transfer-backup"), "export");
  const exported = await runCli(["export", backup, "--events-per-file", "10"], { cwd, env: target.env });
  assert.equal(exported.code, 0, exported.stderr);
  const manifest = JSON.parse(readFileSync(path.join(backup, "manifest.json"), "utf8")) as ExportManifest;
  assert.deepEqual(
    [manifest.source.metadata.engine, manifest.source.profiles.engine, manifest.source.events.engine],
    ["postgres", "postgres", "clickhouse"],
  );
  restoredDir = tempDir("transfer-restored");
  const restored = await runCli(["import", backup, "--data-dir", restoredDir], { cwd });
  assert.equal(restored.code, 0, restored.stderr);

  const cairn = await startCairn(
    loadConfig(
      {
        dataDir: target.dataDir,
        port: "0",
        logLevel: "silent",
        metadataUrl: target.metadataUrl,
        eventsUrl: target.eventsUrl,
      },
      {},
      process.cwd(),
    ),
  );
  try {
    assert.equal(cairn.metadata.engine, "postgres");
    assert.equal(cairn.sink.engine, "clickhouse");
    assert.equal(cairn.installation.created, false);
    const verified = await fetch(`${cairn.publicUrl}/api/v1/token/verify`, {
      headers: { "x-pendo-integration-key": keys.integration },
    });
    assert.equal(verified.status, 200);
    const answers = await answersOf(cairn);
    assert.deepEqual(answers, before_);
  } finally {
    await cairn.shutdown();
  }
});

test("the server engines' export, restored on SQLite + DuckDB, gives the same answers", async () => {
  const cairn = await startCairn(
    loadConfig({ dataDir: restoredDir, port: "0", logLevel: "silent" }, {}, process.cwd()),
  );
  try {
    assert.equal(cairn.installation.created, false);
    assert.deepEqual(await answersOf(cairn), before_);
  } finally {
    await cairn.shutdown();
  }
});
