import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../platform/config/load-config.js";
import { ingestLogDir, ingestLogNameOf } from "../start/start-cairn.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { readEvents } from "../store/events/event-reads.js";
import {
  openEventStores,
  openMetadataStore,
  openProfileStore,
  profilesTargetOf,
} from "../store/open-stores.js";
import { openIngestWriter } from "./ingest-writer.js";

const writerScript = fileURLToPath(new URL("../start/test-support/write-until-killed.ts", import.meta.url));

test("kill -9 while writing loses nothing that had been acknowledged", async () => {
  const dataDir = tempDir("kill9");
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), writerScript, dataDir], {
    stdio: "pipe",
  });
  const ackedEvents = new Set<string>();
  const ackedApps = new Set<string>();
  let buffered = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    child.on("exit", () => reject(new Error(`writer exited early: ${stderr}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const [kind, ...ids] = line.split(" ");
        if (kind === "event") for (const id of ids) ackedEvents.add(id);
        if (kind === "app") for (const id of ids) ackedApps.add(id);
      }
      // Kill in the middle of the stream, once plenty has been acknowledged.
      if (ackedEvents.size >= 20_000 && ackedApps.size >= 50) {
        child.kill("SIGKILL");
        resolve();
      }
    });
  });
  assert.equal(await exited, "SIGKILL");

  const config = loadConfig({ dataDir }, {}, process.cwd());
  const events = await openEventStores(config.events, { log: ingestLogNameOf(config) });
  const profiles = await openProfileStore(profilesTargetOf(config), { log: ingestLogNameOf(config) });
  // What was acknowledged but not yet loaded is in the ingest log; opening the writer loads it, as start does.
  const writer = await openIngestWriter({ sink: events.sink, profiles }, ingestLogDir(config));
  await writer.close();
  const stored = new Set(
    (await readEvents(events.query, { subscriptionId: "sub_test" })).map((e) => e.eventId),
  );
  await profiles.close();
  await events.sink.close();
  const missingEvents = [...ackedEvents].filter((id) => !stored.has(id));
  assert.deepEqual(missingEvents.slice(0, 10), [], `${missingEvents.length} acknowledged events lost`);

  const metadata = await openMetadataStore(config.metadata);
  const apps = new Set((await metadata.db.selectFrom("apps").select("id").execute()).map((row) => row.id));
  await metadata.close();
  const missingApps = [...ackedApps].filter((id) => !apps.has(id));
  assert.deepEqual(missingApps, [], `${missingApps.length} acknowledged metadata rows lost`);
});
