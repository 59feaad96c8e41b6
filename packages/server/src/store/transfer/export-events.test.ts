import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { loadEvents } from "../../start/test-support/load-events.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openDuckdbEvents } from "../events/duckdb/open-duckdb-events.js";
import { exportEvents } from "./export-events.js";
import { rowsOf } from "./rows-files.js";

test("events are exported once each, in received order, across windows of received time, none after the cut-off", async () => {
  const dir = tempDir("export-events");
  const { sink, query } = await openDuckdbEvents(path.join(dir, "events.duckdb"));
  await sink.migrate();
  const hour = 3_600_000;
  const start = Date.UTC(2026, 11, 1);
  // 60 events over 12 hours, loaded out of order; three received after the cut-off.
  const events = Array.from({ length: 63 }, (_, i) =>
    sampleEvent({
      eventId: `e-${String(i).padStart(2, "0")}`,
      receivedAt: start + (i % 12) * hour + i * 1000,
    }),
  );
  const upTo = start + 12 * hour;
  events.push(...[1, 2, 3].map((k) => sampleEvent({ eventId: `late-${k}`, receivedAt: upTo + k })));
  await loadEvents(sink, [...events].reverse(), 1);
  const files = await exportEvents(query, path.join(dir, "out"), upTo, 25, () => {}, 7);
  const exported = (
    await Promise.all(
      files.map((f) => rowsOf<{ event_id: string; received_at: number }>(path.join(dir, "out"), f)),
    )
  ).flat();
  const expected = events.filter((e) => e.receivedAt <= upTo).sort((a, b) => a.receivedAt - b.receivedAt);
  assert.deepEqual(
    exported.map((r) => r.event_id),
    expected.map((e) => e.eventId),
  );
  assert.equal(files.length, 3, "25 rows a file");
  await sink.close();
});
