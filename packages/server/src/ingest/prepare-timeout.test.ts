import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeJzb } from "../collect/jzb.js";
import { loadConfig } from "../platform/config/load-config.js";
import { ingestLogDir, type RunningCairn, startCairn } from "../start/start-cairn.js";
import { tempDir } from "../start/test-support/temp-dir.js";
import { readEvents } from "../store/events/event-reads.js";
import { openIngestLog } from "./ingest-log.js";
import { recordText } from "./log-records.js";
import type { BeaconContext } from "./prepare-batch.js";

const subscriptionId = "sub_replayed";

function loggedBeacon(batchKey: string, events: readonly unknown[], extra: Partial<BeaconContext> = {}) {
  const beacon: BeaconContext = {
    jzb: encodeJzb(events),
    batchKey,
    subscriptionId,
    appId: "app_replayed",
    receivedAt: Date.now(),
    ip: "203.0.113.7",
    userAgent: null,
    excludeRules: [],
    ...extra,
  };
  return recordText({ count: events.length, beacon });
}

/**
 * Genuinely slow to prepare, with no trick: 2,000 wildcard Exclude List rules, each of which passes its
 * anchors and then scans the whole id, times 1,500 events with 511-character visitor ids. Seconds of work
 * (about 1.3 s per 400 events on a 2-core test box), where a normal beacon takes well under a millisecond.
 */
function slowBeacon(): string {
  const excludeRules = Array.from({ length: 2_000 }, (_, i) => ({
    kind: "visitor" as const,
    pattern: `*${"a".repeat(20)}${i}*b`,
  }));
  const events = Array.from({ length: 1_500 }, () => ({
    type: "load",
    visitor_id: `${"a".repeat(510)}b`,
    props: {},
  }));
  return loggedBeacon("batch-slow", events, { excludeRules });
}

async function visitorsStored(cairn: RunningCairn, subscription: string): Promise<string[]> {
  await cairn.writer.flush();
  const events = await readEvents(cairn.events, { subscriptionId: subscription });
  return [...new Set(events.map((event) => event.visitorId))].sort();
}

async function start(dataDir: string): Promise<RunningCairn> {
  const flags = { dataDir, port: "0", logLevel: "silent", prepareTimeoutMs: "300" };
  return startCairn(loadConfig(flags, {}, process.cwd()), { prepareThreads: 1 });
}

test("a logged beacon that outlasts the prepare time limit is skipped and counted once, and ingest goes on", {
  timeout: 120_000,
}, async () => {
  const dataDir = tempDir("prepare-timeout");
  const config = loadConfig({ dataDir }, {}, process.cwd());
  // As if acknowledged just before a crash: the slow beacon waits in the log between two normal ones.
  const { log } = await openIngestLog(ingestLogDir(config), 0);
  const load = (visitor: string) => [{ type: "load", visitor_id: visitor, browser_time: Date.now() }];
  for (const record of [
    loggedBeacon("batch-before", load("v-before")),
    slowBeacon(),
    loggedBeacon("batch-after", load("v-after")),
  ])
    await log.append(Buffer.from(record));
  await log.close();

  // The replay at start prepares the log: it must end, with the slow beacon dropped and counted.
  const first = await start(dataDir);
  try {
    assert.equal(first.drops.get("prepare_timeout"), 1);
    assert.deepEqual(await visitorsStored(first, subscriptionId), ["v-after", "v-before"]);

    const appKey = first.installation.app.appKey;
    const jzb = encodeJzb(load("v-live"));
    const answer = await fetch(`${first.publicUrl}/data/ptm.gif/${appKey}?v=1&ct=${Date.now()}&jzb=${jzb}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await visitorsStored(first, first.installation.subscription.id), ["v-live"]);
  } finally {
    await first.shutdown();
  }

  // The log moved past the skipped beacon: the next start replays nothing and does not meet it again.
  const second = await start(dataDir);
  try {
    assert.equal(second.writer.replayed, 0);
    assert.equal(second.drops.get("prepare_timeout"), undefined);
    const jzb = encodeJzb(load("v-again"));
    const appKey = second.installation.app.appKey;
    await fetch(`${second.publicUrl}/data/ptm.gif/${appKey}?v=1&ct=${Date.now()}&jzb=${jzb}`);
    assert.deepEqual(await visitorsStored(second, second.installation.subscription.id), [
      "v-again",
      "v-live",
    ]);
  } finally {
    await second.shutdown();
  }
});
