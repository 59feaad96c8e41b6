import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { testPostgresUrl } from "../start/test-support/postgres-cluster.js";
import { runCli, spawnCli, waitForOutput } from "../start/test-support/run-cli.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { clickhouseMigrations } from "../store/events/clickhouse/clickhouse-migrations.js";
import { duckdbMigrations } from "../store/events/duckdb/duckdb-migrations.js";
import { metadataMigrations } from "../store/metadata/migrations/index.js";
import { openPostgresStore } from "../store/metadata/postgres/open-postgres-store.js";
import { sqliteProfileMigrations } from "../store/profiles/sqlite/profile-migrations.js";

const uuidV4 = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/;

async function startAndReadBanner(cwd: string) {
  const child = spawnCli(["start", "--port", "0", "--log-level", "warn"], { cwd });
  const output = await waitForOutput(child, /<\/script>/);
  const url = /Cairn is ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  const signIn = /(\S+\/admin\/sign-in\?token=[\w-]+)/.exec(output)?.[1];
  const appKey = /public app key[^\n]*\n\s+(\S+)/.exec(output)?.[1];
  assert.ok(url && signIn && appKey, output);
  return { child, output, url, signIn, appKey };
}

describe("cairn start", () => {
  test("first start serves /healthz and prints sign-in link, app key and snippet; a second start reuses them", async () => {
    const cwd = tempDir("cli-start");
    const first = await startAndReadBanner(cwd);
    assert.match(first.output, /first start: subscription, app and owner created/);
    assert.match(first.appKey, uuidV4);
    assert.ok(first.signIn.startsWith(`${first.url}/admin/sign-in?token=`));
    assert.ok(first.output.includes(`y.src='${first.url}/agent/static/'+apiKey+'/pendo.js'`));
    assert.ok(first.output.includes(`})('${first.appKey}');`), "the snippet carries the app key");

    const health = await fetch(`${first.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "ok");

    first.child.kill("SIGTERM");
    const [code] = (await once(first.child, "exit")) as [number | null];
    assert.equal(code, 0, "SIGTERM shuts down cleanly");
    const dataDir = path.join(cwd, "data");
    assert.equal(statSync(dataDir).mode & 0o777, 0o700, "the data folder is its owner's alone");
    for (const file of readdirSync(dataDir, { recursive: true, encoding: "utf8" })) {
      const mode = statSync(path.join(dataDir, file)).mode & 0o777;
      assert.equal(mode & 0o077, 0, `${file} is private to its owner (mode ${mode.toString(8)})`);
    }

    const second = await startAndReadBanner(cwd);
    assert.doesNotMatch(second.output, /first start/);
    assert.equal(second.appKey, first.appKey);
    assert.notEqual(second.signIn, first.signIn, "a new one-time link");
    second.child.kill("SIGINT");
    assert.deepEqual(await once(second.child, "exit"), [0, null]);
  });

  const misconfigurations: Array<[string, string[], Record<string, string>, RegExp]> = [
    [
      "a port that is not a number",
      ["--port", "http"],
      {},
      /^cairn: invalid configuration: CAIRN_PORT \(--port\) must be a number, got "http"\n$/,
    ],
    [
      "a port out of range from the environment",
      [],
      { CAIRN_PORT: "99999" },
      /^cairn: invalid configuration: CAIRN_PORT \(--port\) must be from 0 to 65535, got "99999"\n$/,
    ],
    [
      "an unknown metadata URL scheme",
      [],
      { CAIRN_METADATA_URL: "mongodb://db/cairn" },
      /^cairn: invalid configuration: CAIRN_METADATA_URL \(--metadata-url\) must be sqlite:<file> or postgres:\/\/…, got "mongodb:\/\/db\/cairn"\n$/,
    ],
    [
      "a ClickHouse server that does not answer",
      [],
      { CAIRN_EVENTS_URL: "clickhouse://cairn:secret@127.0.0.1:9/cairn" },
      /^cairn: cannot reach the ClickHouse server at clickhouse:\/\/cairn:\*\*\*@127\.0\.0\.1:9\/cairn \(connect ECONNREFUSED 127\.0\.0\.1:9\); is it running, and is CAIRN_EVENTS_URL right\?\n$/,
    ],
  ];
  for (const [what, args, env, stderr] of misconfigurations) {
    test(`${what} stops start-up with one line naming the setting, exit 2`, async () => {
      const result = await runCli(["start", ...args], { cwd: tempDir("cli-bad"), env });
      assert.equal(result.code, 2);
      assert.match(result.stderr, stderr);
    });
  }

  test("an unwritable data folder stops start-up with one line naming CAIRN_DATA_DIR, exit 2", async () => {
    const cwd = tempDir("cli-bad");
    // A path below a regular file cannot be created, even by root.
    writeFileSync(path.join(cwd, "not-a-folder"), "");
    const result = await runCli(["start"], { cwd, env: { CAIRN_DATA_DIR: "not-a-folder/data" } });
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^cairn: invalid configuration: CAIRN_DATA_DIR \(--data-dir\) names a folder Cairn cannot write to: \S+not-a-folder\/data \(ENOTDIR\)\n$/,
    );
  });

  test("a port already in use stops start-up with one line naming CAIRN_PORT, exit 2", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const result = await runCli(["start", "--port", String(port)], { cwd: tempDir("cli-bad") });
    blocker.close();
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      new RegExp(
        `^cairn: invalid configuration: CAIRN_PORT \\(--port\\) ${port} is already in use by another program\\n$`,
      ),
    );
  });
});

describe("cairn migrate and cairn doctor", () => {
  test("migrate applies and reports numbered migrations; --status only reports", async () => {
    const cwd = tempDir("cli-migrate");
    const status = await runCli(["migrate", "--status"], { cwd });
    assert.equal(status.code, 0, status.stderr);
    const names = Object.keys(metadataMigrations);
    assert.match(
      status.stdout,
      new RegExp(`metadata store \\(sqlite\\): 0 applied, ${names.length} pending\\n`),
    );
    for (const name of names) assert.match(status.stdout, new RegExp(`\\n  ${name} +pending\\n`));
    const eventNames = duckdbMigrations.map((m) => m.name);
    assert.match(
      status.stdout,
      new RegExp(`event store \\(duckdb\\): 0 applied, ${eventNames.length} pending\\n`),
    );
    for (const name of eventNames) assert.match(status.stdout, new RegExp(`\\n  ${name} +pending\\n`));
    const profileNames = sqliteProfileMigrations.map((m) => m.name);
    assert.match(
      status.stdout,
      new RegExp(`profile store \\(sqlite\\): 0 applied, ${profileNames.length} pending\\n`),
    );

    const applied = await runCli(["migrate"], { cwd });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(
      applied.stdout,
      new RegExp(`metadata store \\(sqlite\\): ${names.length} applied, 0 pending\\n`),
    );
    for (const name of names)
      assert.match(applied.stdout, new RegExp(`\\n  ${name} +applied \\S+ \\(now\\)\\n`));
    assert.match(
      applied.stdout,
      new RegExp(
        `event store \\(duckdb\\): ${eventNames.length} applied, 0 pending\\n {2}0001-events +applied \\S+ \\(now\\)`,
      ),
    );

    assert.match(
      applied.stdout,
      new RegExp(
        `profile store \\(sqlite\\): ${profileNames.length} applied, 0 pending\\n {2}0001-profiles +applied \\S+ \\(now\\)`,
      ),
    );

    const again = await runCli(["migrate"], { cwd });
    assert.doesNotMatch(again.stdout, /\(now\)/);
  });

  test("migrate and doctor on a PostgreSQL metadata URL", async () => {
    const cwd = tempDir("cli-postgres");
    const env = { CAIRN_METADATA_URL: await testPostgresUrl("cli") };
    const names = Object.keys(metadataMigrations);
    const applied = await runCli(["migrate"], { cwd, env });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(
      applied.stdout,
      new RegExp(`metadata store \\(postgres\\): ${names.length} applied, 0 pending\\n`),
    );
    const doctor = await runCli(["doctor", "--port", "1"], { cwd, env });
    assert.match(
      doctor.stdout,
      new RegExp(`metadata store \\(postgres://[^)]*\\): opens; migrations up to date \\(${names.length}\\)`),
    );
    assert.match(doctor.stdout, /ok +metadata database: PostgreSQL \d+\.\d+/);
    assert.match(doctor.stdout, /ok +metadata database: collation C\.UTF-8 orders text by code point/);
    assert.equal(doctor.code, 0, doctor.stdout);

    // A database made with a language collation works, but sorts differently from SQLite: doctor says so.
    const admin = await openPostgresStore(env.CAIRN_METADATA_URL.replace(/\/[^/]+$/, "/postgres"));
    const icuUrl = env.CAIRN_METADATA_URL.replace(/\/[^/]+$/, "/cairn_cli_icu");
    try {
      await sql`create database cairn_cli_icu template template0 locale_provider icu icu_locale 'en-US'`.execute(
        admin.db,
      );
    } finally {
      await admin.close();
    }
    const icu = await runCli(["doctor", "--port", "1"], { cwd, env: { CAIRN_METADATA_URL: icuUrl } });
    assert.match(
      icu.stdout,
      /note +metadata database: collation is ICU en-US, not C\.UTF-8: ids and names sort differently from SQLite/,
    );
    assert.equal(icu.code, 0, icu.stdout);
  });

  test("migrate and doctor on a ClickHouse events URL (the engine in-process, chdb)", async () => {
    const cwd = tempDir("cli-clickhouse");
    const env = { CAIRN_EVENTS_URL: `chdb:${path.join(cwd, "chdb")}?database=cli` };
    const names = clickhouseMigrations.map((m) => m.name);
    const applied = await runCli(["migrate"], { cwd, env });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(
      applied.stdout,
      new RegExp(
        `event store \\(clickhouse\\): ${names.length} applied, 0 pending\\n {2}0001-events +applied \\S+ \\(now\\)`,
      ),
    );
    const doctor = await runCli(["doctor", "--port", "1"], { cwd, env });
    assert.match(
      doctor.stdout,
      new RegExp(
        `ok +event store \\(chdb:\\S+\\): opens; ClickHouse 26\\.\\d+\\S* in this process \\(chdb\\); migrations up to date \\(${names.length}\\)`,
      ),
    );
    assert.equal(doctor.code, 0, doctor.stdout);
  });

  test("doctor prints the resolved configuration with secrets hidden and says what is wrong", async () => {
    const cwd = tempDir("cli-doctor");
    const fresh = await runCli(["doctor", "--port", "1"], { cwd });
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stdout, /port\s+1\s+\(flag\)/);
    assert.match(fresh.stdout, /data folder \S+ does not exist yet/);
    assert.ok(!existsSync(path.join(cwd, "data")), "doctor creates nothing");

    mkdirSync(path.join(cwd, "data"));
    const empty = await runCli(["doctor", "--port", "1"], { cwd });
    assert.match(empty.stdout, /metadata store .*not created yet/);
    assert.match(empty.stdout, /profile store \(sqlite:\S+profiles\.sqlite\): not created yet/);
    assert.match(empty.stdout, /no server answers at http:\/\/127\.0\.0\.1:1/);
    assert.match(empty.stdout, /No problems found/);

    const broken = await runCli(["doctor"], {
      cwd,
      env: { CAIRN_METADATA_URL: "postgres://cairn:hunter2@db.internal/cairn" },
    });
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /metadata\s+postgres:\/\/cairn:\*\*\*@db\.internal\/cairn\s+\(env\)/);
    assert.match(
      broken.stdout,
      /PROBLEM {2}metadata store \(postgres:\S+\): cannot be opened: .*db\.internal/,
    );
    assert.ok(!broken.stdout.includes("hunter2") && !broken.stderr.includes("hunter2"));
  });

  test("doctor next to a running server says the event store is in use and the server answers", async () => {
    const cwd = tempDir("cli-doctor-running");
    const server = await startAndReadBanner(cwd);
    const port = new URL(server.url).port;
    const result = await runCli(["doctor", "--port", port], { cwd });
    server.child.kill("SIGTERM");
    await once(server.child, "exit");
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /note {5}event store .*in use by a running server/);
    assert.match(result.stdout, /ok {7}profile store .*opens; migrations up to date/);
    assert.match(
      result.stdout,
      new RegExp(`ok {7}server at http://127\\.0\\.0\\.1:${port} answers /healthz`),
    );
  });
});
