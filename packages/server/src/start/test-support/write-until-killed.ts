/**
 * Child process for the kill -9 test: writes events through the real ingest writer (log + loader) and metadata rows through
 * the real SQLite store, as fast as it can, and prints each id only once its write was acknowledged.
 * It never stops by itself; the test kills it with SIGKILL.
 */
import { randomUUID } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import { openIngestWriter } from "../../ingest/ingest-writer.js";
import { loadConfig } from "../../platform/config/load-config.js";
import { prepareDataDir } from "../../platform/config/prepare-data-dir.js";
import {
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
} from "../../store/open-stores.js";
import { ingestLogDir, ingestLogNameOf } from "../start-cairn.js";
import { sampleEvent } from "./sample-events.js";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: write-until-killed <data-dir>");
const config = loadConfig({ dataDir }, {}, process.cwd());
prepareDataDir(config);
const metadata = await openMetadataStore(config.metadata);
await metadata.migrate();
const { sink } = await openEventStores(config.events, { log: ingestLogNameOf(config) });
await sink.migrate();
const profiles = await openProfileStore(profilesTargetOf(config), { log: ingestLogNameOf(config) });
await profiles.migrate();
const writer = await openIngestWriter({ sink, profiles }, ingestLogDir(config));
await metadata.db
  .insertInto("subscriptions")
  .values({ id: "sub_kill", name: "kill -9", default_app_id: null, created_at: new Date().toISOString() })
  .execute();
process.stdout.write("ready\n");

let next = 0;
async function eventLoop(): Promise<never> {
  for (;;) {
    const size = 1 + (next % 40);
    const batch = Array.from({ length: size }, () => sampleEvent({ eventId: `e${next++}` }));
    await writer.write(batch);
    process.stdout.write(`event ${batch.map((e) => e.eventId).join(" ")}\n`);
  }
}

async function metadataLoop(): Promise<never> {
  for (let i = 0; ; i++) {
    const id = `app_${i}`;
    await metadata.db
      .insertInto("apps")
      .values({
        id,
        subscription_id: "sub_kill",
        name: `App ${i}`,
        app_key: randomUUID(),
        created_at: new Date().toISOString(),
      })
      .execute();
    process.stdout.write(`app ${id}\n`);
    // SQLite answers synchronously, so without a turn of the event loop this loop would starve the others.
    await nextTurn();
  }
}

// Several concurrent writers, as concurrent requests would be.
await Promise.all([eventLoop(), eventLoop(), eventLoop(), eventLoop(), metadataLoop()]);
