import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../platform/config/load-config.js";
import { prepareDataDir } from "../platform/config/prepare-data-dir.js";
import { countEvents } from "../store/events/event-reads.js";
import { openEventStores, openProfileStore, profilesTargetOf } from "../store/open-stores.js";
import { ingestLogDir, startCairn } from "./start-cairn.js";
import { sampleEvent } from "./test-support/sample-events.js";
import { tempDir } from "./test-support/temp-dir.js";

test("shutdown makes every accepted event durable before the stores close", async () => {
  const dataDir = tempDir("shutdown");
  const config = loadConfig({ dataDir, port: "0", logLevel: "silent" }, {}, process.cwd());
  const cairn = await startCairn(config);
  assert.match(cairn.publicUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(cairn.publicUrl, config.publicUrl, "port 0 resolves to the bound port");
  assert.equal((await fetch(`${cairn.publicUrl}/healthz`)).status, 200);

  // Queued synchronously: none of them can have been written before shutdown begins.
  const acknowledgements = Array.from({ length: 100 }, (_, i) =>
    cairn.writer.write(Array.from({ length: 100 }, (_, j) => sampleEvent({ eventId: `s${i}-${j}` }))),
  );
  assert.equal(cairn.writer.pending(), 10_000);
  await cairn.shutdown();
  await Promise.all(acknowledgements);
  await assert.rejects(fetch(`${cairn.publicUrl}/healthz`), "no longer listening");

  const events = await openEventStores(config.events);
  assert.equal(await countEvents(events.query, { subscriptionId: "sub_test" }), 10_000);
  await events.sink.close();
});

test("a data folder whose profile checkpoint an earlier release kept under the log folder's path keeps it", async () => {
  const dataDir = tempDir("log-name");
  const config = loadConfig({ dataDir, port: "0", logLevel: "silent" }, {}, process.cwd());
  prepareDataDir(config);
  // As releases before the log's own id wrote it: the checkpoint named by the ingest log's folder.
  const earlier = await openProfileStore(profilesTargetOf(config), { log: ingestLogDir(config) });
  await earlier.migrate();
  await earlier.apply({ patches: { visitors: [], accounts: [], aliases: [] }, sequence: 41 });
  await earlier.close();
  const cairn = await startCairn(config);
  assert.equal(await cairn.profiles.loadedSequence(), 41);
  await cairn.shutdown();
});
