// How long discoverTrackTypes takes over a large event store: the first (full) scan, a scan when nothing is
// new, and one after new names arrived. Run: node --import tsx scripts/time-track-type-discovery.ts [events]
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureInstallation } from "../src/access/setup/ensure-installation.js";
import { discoverTrackTypes } from "../src/query/tagging/definitions.js";
import { openDuckdbEvents } from "../src/store/events/duckdb/open-duckdb-events.js";
import { eventRowsNdjson, rowsBytes } from "../src/store/events/event-rows.js";
import type { StoredEvent } from "../src/store/events/stored-event.js";
import { openSqliteStore } from "../src/store/metadata/sqlite/open-sqlite-store.js";

const total = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(path.join(tmpdir(), "cairn-discovery-"));
const metadata = openSqliteStore(path.join(dir, "metadata.sqlite"));
await metadata.migrate();
const { subscription, app } = await ensureInstallation(metadata);
const events = await openDuckdbEvents(path.join(dir, "events.duckdb"));
await events.sink.migrate();

// A tenth of the events are track events over 200 names; the rest clicks and loads; received over the last day,
// so an incremental scan (events of the last minutes) has a few thousand to read.
const spacingMs = (24 * 3600_000) / total;
const start = Date.now() - total * spacingMs;
const types = ["click", "load", "click", "focus", "click", "load", "click", "change", "click"];
let sequence = 0;
function event(i: number, receivedAt: number): StoredEvent {
  const track = i % 10 === 0;
  return {
    eventId: randomUUID(),
    subscriptionId: subscription.id,
    appId: app.id,
    type: track ? "track" : (types[i % types.length] ?? "click"),
    visitorId: `v${i % 5000}`,
    accountId: `a${i % 300}`,
    occurredAt: receivedAt - 50,
    receivedAt,
    url: `https://app.example.com/p/${i % 400}`,
    title: "Page",
    elementPath: track ? null : "BUTTON#b.btn < DIV < BODY",
    trackName: track ? `event_${(i / 10) % 200}` : null,
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0",
    isBot: false,
    excluded: false,
    batchKey: null,
    properties: "{}",
  };
}
const batch = 50_000;
for (let loaded = 0; loaded < total; loaded += batch) {
  const rows = Array.from({ length: Math.min(batch, total - loaded) }, (_, k) =>
    event(loaded + k, Math.round(start + (loaded + k) * spacingMs)),
  );
  await events.sink.load({ rows: [rowsBytes(eventRowsNdjson(rows))], sequence: ++sequence });
}

async function timed(label: string): Promise<void> {
  const runs: number[] = [];
  let outcome: unknown;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    outcome = await discoverTrackTypes(metadata, events.query, subscription.id);
    runs.push(performance.now() - t0);
    if (label === "first, full scan") break;
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${label}: median ${runs[Math.floor(runs.length / 2)]?.toFixed(1)} ms of ${runs.length} (${JSON.stringify(outcome)})`,
  );
}

console.log(`${total} events, ${total / 10} of them track events over 200 names, in DuckDB`);
await timed("first, full scan");
await timed("nothing new (incremental)");
await events.sink.load({
  rows: [rowsBytes(eventRowsNdjson([{ ...event(0, Date.now()), trackName: "brand_new" }]))],
  sequence: ++sequence,
});
const t0 = performance.now();
const outcome = await discoverTrackTypes(metadata, events.query, subscription.id);
console.log(`a new name arrived: ${(performance.now() - t0).toFixed(1)} ms (${JSON.stringify(outcome)})`);
await events.sink.close();
await metadata.close();
rmSync(dir, { recursive: true, force: true });
