import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { testClickhouseUrl } from "../../start/test-support/clickhouse-engine.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openClickhouseEvents } from "../../store/events/clickhouse/open-clickhouse-events.js";
import { openDuckdbEvents } from "../../store/events/duckdb/open-duckdb-events.js";
import type { EventQuery } from "../../store/events/event-query.js";
import type { EventSink } from "../../store/events/event-sink.js";
import type { ProfileMirror } from "../../store/events/profile-mirror.js";
import type { VisitorPatch } from "../../store/profiles/profile-records.js";
import type { ProfileStore } from "../../store/profiles/profile-store.js";
import { openSqliteProfiles } from "../../store/profiles/sqlite/open-sqlite-profiles.js";
import { metadataSchema } from "./metadata-schema.js";
import { visitorsByLowerCaseField } from "./visitor-lookup.js";

type Opened = { sink: EventSink; query: EventQuery; profileMirror: ProfileMirror };

/** The queries over the event engine's copy of the profiles, the same on every engine. */
const engines: Array<{ name: string; open: (dir: string) => Promise<Opened> }> = [
  { name: "duckdb", open: (dir) => openDuckdbEvents(path.join(dir, "events.duckdb")) },
  { name: "clickhouse", open: () => openClickhouseEvents(testClickhouseUrl("profile_queries")) },
];

const visitor = (
  subscriptionId: string,
  visitorId: string,
  agent: Record<string, unknown>,
): VisitorPatch => ({
  subscriptionId,
  visitorId,
  firstVisit: 1_795_000_000_000,
  lastVisit: 1_795_000_001_000,
  lastAppId: "app_1",
  lastAccountId: "acme",
  lastUserAgent: "Mozilla/5.0 Chrome/150",
  lastBrowserName: "Chrome",
  lastBrowserVersion: "150",
  lastOperatingSystem: "Linux",
  lastServerName: "app.example.com",
  agentMetadata: JSON.stringify(agent),
});

for (const engine of engines) {
  describe(`profile mirror queries: ${engine.name}`, () => {
    let opened: Opened;
    let profiles: ProfileStore;
    const deps = () => ({ events: opened.query, profiles, profileMirror: opened.profileMirror });
    before(async () => {
      const dir = tempDir(`profile-queries-${engine.name}`);
      opened = await engine.open(dir);
      await opened.sink.migrate();
      profiles = openSqliteProfiles(path.join(dir, "profiles.sqlite"));
      await profiles.migrate();
      await profiles.apply({
        sequence: 1,
        patches: {
          visitors: [
            visitor("sub_a", "Ann@Example.com", { email: "Ann@Example.com", age: 30 }),
            visitor("sub_a", "bob", { email: "bob@example.com", age: 41.5, nested: { x: 1 } }),
            visitor("sub_b", "eve", { email: "ann@example.com", secret: true }),
          ],
          accounts: [],
          aliases: [],
          customMetadata: [
            {
              subscriptionId: "sub_a",
              kind: "visitor",
              id: "Ann@Example.com",
              values: { plan: "Pro", mixed: 4 },
            },
            { subscriptionId: "sub_a", kind: "visitor", id: "bob", values: { tags: ["a", "b"], mixed: "x" } },
          ],
        },
      });
      await opened.profileMirror.sync(profiles);
      // A later change of the same visitor, copied apart: queries see one row per visitor, its newest.
      await profiles.apply({
        sequence: 2,
        patches: {
          visitors: [visitor("sub_a", "bob", { email: "Bob@Example.com", age: 42 })],
          accounts: [],
          aliases: [],
        },
      });
    });
    after(async () => {
      await opened.sink.close();
      await profiles.close();
    });

    test("the metadata schema types each field by the values stored, one row per visitor", async () => {
      // bob's ages were 41.5, then 42: only his newest copy counts, so every age is whole.
      const answer = await metadataSchema(deps(), "sub_a", "visitor");
      const summary = (group: Record<string, { Type: string; ElementType: string; sample: unknown }>) =>
        Object.fromEntries(Object.entries(group).map(([k, f]) => [k, [f.Type, f.ElementType, f.sample]]));
      assert.deepEqual(summary(answer.agent ?? {}), {
        age: ["integer", "", 30],
        email: ["string", "", "Ann@Example.com"],
        nested: ["", "", { x: 1 }],
      });
      assert.deepEqual(summary(answer.custom ?? {}), {
        mixed: ["", "", "x"],
        plan: ["string", "", "Pro"],
        tags: ["", "string", ["a", "b"]],
      });
    });

    test("visitors are found by a metadata value in any case, in their own subscription only", async () => {
      const ids = async (group: string, field: string, value: string, subscription = "sub_a") =>
        (await visitorsByLowerCaseField(deps(), subscription, group, field, value)).map((v) => v.id);
      assert.deepEqual(await ids("agent", "_lc_email", "ANN@example.com"), ["Ann@Example.com"]);
      assert.deepEqual(await ids("agent", "_lc_email", "bob@example.com"), ["bob"]);
      assert.deepEqual(await ids("custom", "_lc_plan", "pro"), ["Ann@Example.com"]);
      assert.deepEqual(await ids("auto", "_lc_id", "ann@example.com"), ["Ann@Example.com"]);
      assert.deepEqual(await ids("agent", "_lc_email", "ann@example.com", "sub_b"), ["eve"]);
      assert.deepEqual(await ids("agent", "_lc_age", "30"), ["Ann@Example.com"]);
    });
  });
}
