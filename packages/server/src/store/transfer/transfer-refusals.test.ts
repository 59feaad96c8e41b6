import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { before, test } from "node:test";
import { encodeJzb } from "../../collect/jzb.js";
import { openIngestLog } from "../../ingest/ingest-log.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { startCairn } from "../../start/start-cairn.js";
import { runCli, spawnCli, waitForOutput } from "../../start/test-support/run-cli.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { countEvents } from "../events/event-reads.js";
import { openEventStores, openMetadataStore } from "../open-stores.js";
import { progressTable } from "./import-progress.js";
import type { ExportManifest } from "./manifest.js";

// What `cairn export` and `cairn import` refuse (damaged or partial exports, non-empty targets and folders), and
// an import killed part way that a second run finishes, every event counted once. SQLite + DuckDB targets.

const cwd = tempDir("transfer-refusals-cwd");
let sourceDir: string;
let exportDir: string;
let sourceEvents: number;

const importInto = (dir: string, dataDir: string) => runCli(["import", dir, "--data-dir", dataDir], { cwd });

/** A copy of the export to damage. */
function copyOfExport(): string {
  const copy = path.join(tempDir("transfer-copy"), "export");
  cpSync(exportDir, copy, { recursive: true });
  return copy;
}

const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as ExportManifest;

async function eventsIn(dataDir: string): Promise<number> {
  const events = await openEventStores({ engine: "duckdb", file: path.join(dataDir, "events.duckdb") });
  try {
    const [subscription] = await (async () => {
      const metadata = await openMetadataStore({
        engine: "sqlite",
        file: path.join(dataDir, "metadata.sqlite"),
      });
      try {
        return await metadata.db.selectFrom("subscriptions").select("id").execute();
      } finally {
        await metadata.close();
      }
    })();
    assert.ok(subscription);
    return await countEvents(events.query, { subscriptionId: subscription.id });
  } finally {
    await events.sink.close();
  }
}

before(async () => {
  sourceDir = tempDir("transfer-refusals-source");
  exportDir = path.join(tempDir("transfer-refusals-export"), "export");
  const cairn = await startCairn(
    loadConfig({ dataDir: sourceDir, port: "0", logLevel: "silent" }, {}, process.cwd()),
  );
  try {
    const events = Array.from({ length: 120 }, (_, i) => ({
      type: "load",
      visitor_id: `visitor-${i % 7}`,
      account_id: "acme",
      url: `https://app.example.com/page/${i % 5}`,
      browser_time: Date.now() - i * 1_000,
      props: {},
    }));
    const answer = await cairn.app.inject({
      method: "GET",
      url: `/data/ptm.gif/${cairn.installation.app.appKey}?v=2.291.4_prod&ct=${Date.now()}&jzb=${encodeJzb(events)}`,
    });
    assert.equal(answer.statusCode, 200, answer.body);
    await cairn.writer.flush();
    sourceEvents = await countEvents(cairn.events, { subscriptionId: cairn.installation.subscription.id });
  } finally {
    await cairn.shutdown();
  }
  assert.equal(sourceEvents, 120);
  const exported = await runCli(["export", exportDir, "--data-dir", sourceDir, "--events-per-file", "3"], {
    cwd,
  });
  assert.equal(exported.code, 0, exported.stderr);
});

test("a damaged file, a missing file, a missing manifest and a newer format are refused, naming what is wrong", async () => {
  const target = tempDir("transfer-refusals-target");
  const damaged = copyOfExport();
  const events = manifestOf(damaged).files.filter((f) => f.kind === "events");
  const victim = events[5];
  assert.ok(victim);
  const file = path.join(damaged, victim.path);
  const bytes = readFileSync(file);
  bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
  const refused = await importInto(damaged, target);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`damaged: ${victim.path} does not match its checksum`));

  const truncated = copyOfExport();
  writeFileSync(path.join(truncated, victim.path), bytes.subarray(0, 10));
  assert.match((await importInto(truncated, target)).stderr, new RegExp(`${victim.path} has 10 bytes`));

  const missing = copyOfExport();
  const { rmSync } = await import("node:fs");
  rmSync(path.join(missing, victim.path));
  assert.match(
    (await importInto(missing, target)).stderr,
    new RegExp(`incomplete: ${victim.path} is missing`),
  );

  const cutShort = copyOfExport();
  rmSync(path.join(cutShort, "manifest.json"));
  assert.match((await importInto(cutShort, target)).stderr, /has no manifest.json: .*cut short/);

  const newer = copyOfExport();
  writeFileSync(
    path.join(newer, "manifest.json"),
    JSON.stringify({ ...manifestOf(newer), formatVersion: 99 }),
  );
  assert.match((await importInto(newer, target)).stderr, /export format 99; .* import it with a newer Cairn/);

  const nowhere = await importInto(path.join(target, "no-such-export"), target);
  assert.equal(nowhere.code, 1);
  assert.match(nowhere.stderr, /no-such-export does not exist/);

  // None of these wrote anything: the whole export goes into the same target afterwards.
  const imported = await importInto(exportDir, target);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(await eventsIn(target), sourceEvents);
});

test("a target that already holds data is refused; so is an export into a folder that is not empty", async () => {
  const refused = await importInto(exportDir, sourceDir);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /already hold data \(metadata \(subscriptions.*120 events\)/);

  const busy = tempDir("transfer-busy");
  writeFileSync(path.join(busy, "notes.txt"), "mine");
  const intoBusy = await runCli(["export", busy, "--data-dir", sourceDir], { cwd });
  assert.equal(intoBusy.code, 1);
  assert.match(intoBusy.stderr, /is not empty \(notes.txt/);

  const noStore = await runCli(["export", path.join(busy, "x"), "--data-dir", path.join(busy, "nothing")], {
    cwd,
  });
  assert.equal(noStore.code, 1);
  assert.match(noStore.stderr, /there is no store to export at/);
});

test("an export of a data folder whose ingest log holds batches not loaded yet is refused", async () => {
  const copy = tempDir("transfer-unloaded");
  cpSync(sourceDir, copy, { recursive: true });
  // A server killed before loading what it acknowledged leaves it in its log, past the stores' checkpoints.
  const { log } = await openIngestLog(path.join(copy, "events.duckdb.ingest-log"), 1_000_000);
  await log.append(Buffer.from("{}"));
  await log.close();
  const refused = await runCli(["export", path.join(copy, "export"), "--data-dir", copy], { cwd });
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /holds 1 acknowledged batches not loaded .*start Cairn on this data folder once/,
  );
});

test("an export cut short is started again from the beginning", async () => {
  const dir = path.join(tempDir("transfer-restart"), "export");
  mkdirSync(path.join(dir, "events"), { recursive: true });
  writeFileSync(path.join(dir, "export-in-progress"), "started earlier\n");
  writeFileSync(path.join(dir, "events", "events-000001.ndjson.gz"), "half a file");
  const exported = await runCli(["export", dir, "--data-dir", sourceDir, "--events-per-file", "50"], { cwd });
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stderr, /cut short: starting it again/);
  const manifest = manifestOf(dir);
  assert.equal(
    manifest.files.filter((f) => f.kind === "events").reduce((n, f) => n + f.rows, 0),
    sourceEvents,
  );
  const imported = await importInto(dir, tempDir("transfer-restart-target"));
  assert.equal(imported.code, 0, imported.stderr);
});

test("an import killed part way is finished by running it again, every event once", async () => {
  const target = tempDir("transfer-killed");
  const child = spawnCli(["import", exportDir, "--data-dir", target], { cwd });
  await waitForOutput(child, /importing events: 0 of/);
  child.kill("SIGKILL");
  await new Promise((resolve) => child.on("close", resolve));
  const again = await importInto(exportDir, target);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /resumed|already imported/);
  assert.equal(await eventsIn(target), sourceEvents);

  // Killed after an event file was committed but before its progress row: the event store knows the file.
  const metadata = await openMetadataStore({ engine: "sqlite", file: path.join(target, "metadata.sqlite") });
  await metadata.db
    .deleteFrom(progressTable as never)
    .where("step" as never, "!=", "metadata" as never)
    .execute();
  await metadata.close();
  const resumed = await importInto(exportDir, target);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /resumed/);
  assert.equal(await eventsIn(target), sourceEvents);
});
