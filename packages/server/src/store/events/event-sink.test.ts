import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { sampleEvent } from "../../test-support/sample-events.js";
import { tempDir } from "../../test-support/temp-dir.js";
import { openDuckdbStore } from "./duckdb/open-duckdb-store.js";
import { eventRowsNdjson } from "./event-rows.js";
import type { EventStore } from "./event-store.js";

/** Every engine passes the same suite; a server engine adds its entry here, opened against a real server. */
const engines: Array<{ name: string; open: (dir: string) => Promise<EventStore> }> = [
  { name: "duckdb", open: (dir) => openDuckdbStore(path.join(dir, "events.duckdb")) },
];

for (const engine of engines) {
  describe(`event store conformance: ${engine.name}`, () => {
    async function fresh(): Promise<{ store: EventStore; dir: string }> {
      const dir = tempDir(`events-${engine.name}`);
      const store = await engine.open(dir);
      await store.migrate();
      return { store, dir };
    }

    test("migrations are numbered, applied once, and reported", async () => {
      const dir = tempDir(`events-${engine.name}`);
      const store = await engine.open(dir);
      assert.deepEqual(
        (await store.migrationStatus()).map((s) => [s.name, s.appliedAt]),
        [
          ["0001-events", null],
          ["0002-ingest-checkpoints-and-profiles", null],
          ["0003-profiles-without-visits", null],
        ],
      );
      assert.deepEqual((await store.migrate()).applied, [
        "0001-events",
        "0002-ingest-checkpoints-and-profiles",
        "0003-profiles-without-visits",
      ]);
      assert.deepEqual((await store.migrate()).applied, [], "a second run applies nothing");
      const [status] = await store.migrationStatus();
      assert.match(status?.appliedAt ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      await store.close();
    });

    for (const path of ["appender", "rows"] as const) {
      test(`an appended event reads back field by field, nulls and hostile text included (${path})`, async () => {
        const { store } = await fresh();
        const full = sampleEvent({ occurredAt: 1_795_416_050_653, receivedAt: 1_795_416_051_002 });
        const sparse = sampleEvent({
          accountId: null,
          url: null,
          title: null,
          elementPath: null,
          trackName: "Signed Up",
          ip: null,
          userAgent: null,
          batchKey: null,
          isBot: true,
          excluded: true,
          type: "track",
          visitorId: `<script>alert("x")</script>'; DROP TABLE events; -- ü 🪨 \u0000 \u2028`,
          properties: JSON.stringify({
            plan: "pro",
            nested: { a: [1, 2.5, null] },
            text: 'ü 🪨 "q" \\ \u2028 </script>',
          }),
          receivedAt: full.receivedAt + 1,
        });
        const events = [full, sparse];
        await store.append(
          path === "rows" ? [] : events,
          path === "rows" ? { rowsNdjson: eventRowsNdjson(events) } : {},
        );
        const rows = await store.read({ subscriptionId: "sub_test" });
        assert.deepEqual(rows, [full, sparse]);
        await store.close();
      });
    }

    test("reads see only the asked subscription and app", async () => {
      const { store } = await fresh();
      await store.append([
        sampleEvent({ subscriptionId: "sub_a", appId: "app_1" }),
        sampleEvent({ subscriptionId: "sub_a", appId: "app_2" }),
        sampleEvent({ subscriptionId: "sub_b", appId: "app_1" }),
      ]);
      assert.equal(await store.count({ subscriptionId: "sub_a" }), 2);
      assert.equal(await store.count({ subscriptionId: "sub_a", appId: "app_2" }), 1);
      assert.equal(await store.count({ subscriptionId: "sub_c" }), 0);
      assert.deepEqual(
        (await store.read({ subscriptionId: "sub_b" })).map((e) => [e.subscriptionId, e.appId]),
        [["sub_b", "app_1"]],
      );
      assert.equal((await store.read({ subscriptionId: "sub_a", limit: 1 })).length, 1);
      await store.close();
    });

    test("concurrent batches all land, none interleaved or lost", async () => {
      const { store } = await fresh();
      const batches = Array.from({ length: 20 }, (_, b) =>
        Array.from({ length: 500 }, (_, i) => sampleEvent({ eventId: `b${b}-e${i}` })),
      );
      await Promise.all(batches.map((batch) => store.append(batch)));
      const ids = new Set((await store.read({ subscriptionId: "sub_test" })).map((e) => e.eventId));
      assert.equal(ids.size, 10_000);
      for (const batch of batches) for (const event of batch) assert.ok(ids.has(event.eventId));
      await store.close();
    });

    test("what was appended is there after the store is closed and opened again", async () => {
      const { store, dir } = await fresh();
      const event = sampleEvent();
      await store.append([event]);
      await store.close();
      const again = await engine.open(dir);
      assert.deepEqual((await again.migrate()).applied, []);
      assert.deepEqual(await again.read({ subscriptionId: "sub_test" }), [event]);
      await again.close();
    });

    test("a batch that fails leaves nothing of itself and the store keeps working", async () => {
      const { store } = await fresh();
      const good = sampleEvent();
      // A time outside the TIMESTAMP range cannot be stored: the whole batch must be refused.
      const broken = [sampleEvent(), sampleEvent({ occurredAt: Number.MAX_SAFE_INTEGER * 1000 })];
      await assert.rejects(store.append(broken));
      await store.append([good]);
      assert.deepEqual(
        (await store.read({ subscriptionId: "sub_test" })).map((e) => e.eventId),
        [good.eventId],
      );
      await store.close();
    });

    test("visitor and account patches merge over what is stored; the newer visit sets the last-seen fields", async () => {
      const { store } = await fresh();
      const visitor = {
        subscriptionId: "sub_test",
        visitorId: "v1",
        firstVisit: 2_000,
        lastVisit: 3_000,
        lastAppId: "app_a",
        lastAccountId: "acme",
        lastUserAgent: "UA-1",
        lastBrowserName: "Chrome",
        lastBrowserVersion: "150",
        lastOperatingSystem: "Linux",
        lastServerName: "app.example.com",
        agentMetadata: JSON.stringify({ email: "a@b.c", plan: "free" }),
      };
      await store.append([], {
        profiles: {
          visitors: [visitor],
          accounts: [
            {
              subscriptionId: "sub_test",
              accountId: "acme",
              firstVisit: 2_000,
              lastVisit: 3_000,
              agentMetadata: '{"name":"Acme"}',
            },
          ],
          aliases: [],
        },
      });
      // An older visit arriving late widens the range but does not overwrite the last-seen fields.
      await store.append([], {
        profiles: {
          visitors: [
            {
              ...visitor,
              firstVisit: 1_000,
              lastVisit: 1_500,
              lastAppId: "app_old",
              agentMetadata: '{"plan":"pro"}',
            },
          ],
          accounts: [
            {
              subscriptionId: "sub_test",
              accountId: "acme",
              firstVisit: 4_000,
              lastVisit: 5_000,
              agentMetadata: null,
            },
          ],
          aliases: [],
        },
      });
      assert.deepEqual(await store.visitor("sub_test", "v1"), {
        ...visitor,
        firstVisit: 1_000,
        agentMetadata: { email: "a@b.c", plan: "pro" },
        customMetadata: {},
      });
      assert.deepEqual(await store.account("sub_test", "acme"), {
        subscriptionId: "sub_test",
        accountId: "acme",
        firstVisit: 2_000,
        lastVisit: 5_000,
        agentMetadata: { name: "Acme" },
        customMetadata: {},
      });
      assert.equal(await store.visitor("sub_other", "v1"), null, "another subscription sees nothing");
      await store.close();
    });

    test("custom metadata merges field by field (null removes), creates a visitor without visits, and waits for its first visit", async () => {
      const { store, dir } = await fresh();
      const custom = (kind: "visitor" | "account", id: string, values: Record<string, unknown>) => ({
        subscriptionId: "sub_test",
        kind,
        id,
        values: values as Record<string, string | number | boolean | null>,
      });
      const profiles = (customMetadata: ReturnType<typeof custom>[]) => ({
        visitors: [],
        accounts: [],
        aliases: [],
        customMetadata,
      });
      await store.append([], {
        profiles: {
          visitors: [
            {
              subscriptionId: "sub_test",
              visitorId: "v-seen",
              firstVisit: 1_000,
              lastVisit: 1_000,
              lastAppId: "app_a",
              lastAccountId: "acme",
              lastUserAgent: null,
              lastBrowserName: null,
              lastBrowserVersion: null,
              lastOperatingSystem: null,
              lastServerName: null,
              agentMetadata: '{"email":"a@b.c"}',
            },
          ],
          accounts: [],
          aliases: [],
        },
      });
      assert.deepEqual(
        [...(await store.knownIds("sub_test", "visitor", ["v-seen", "v-new", "acme"]))],
        ["v-seen"],
      );
      assert.deepEqual([...(await store.knownIds("sub_other", "visitor", ["v-seen"]))], []);

      await store.append([], {
        profiles: profiles([
          custom("visitor", "v-seen", { plan: "pro", seats: 42, tags: ["a", "b"], gone: null }),
          custom("visitor", "v-new", { plan: "free", empty: null }),
          custom("account", "acme-new", { tier: 2.5, paying: true }),
        ]),
      });
      await store.append([], {
        profiles: profiles([custom("visitor", "v-seen", { seats: null, tags: ["c"], "ü 🪨": "x" })]),
      });
      const seen = await store.visitor("sub_test", "v-seen");
      assert.deepEqual(seen?.customMetadata, { plan: "pro", tags: ["c"], "ü 🪨": "x" });
      assert.deepEqual(seen?.agentMetadata, { email: "a@b.c" }, "the agent group is untouched");
      assert.equal(seen?.firstVisit, 1_000);
      assert.deepEqual(await store.visitor("sub_test", "v-new"), {
        subscriptionId: "sub_test",
        visitorId: "v-new",
        firstVisit: null,
        lastVisit: null,
        lastAppId: null,
        lastAccountId: null,
        lastUserAgent: null,
        lastBrowserName: null,
        lastBrowserVersion: null,
        lastOperatingSystem: null,
        lastServerName: null,
        agentMetadata: {},
        customMetadata: { plan: "free" },
      });
      assert.deepEqual(await store.account("sub_test", "acme-new"), {
        subscriptionId: "sub_test",
        accountId: "acme-new",
        firstVisit: null,
        lastVisit: null,
        agentMetadata: {},
        customMetadata: { tier: 2.5, paying: true },
      });
      assert.equal(await store.visitor("sub_other", "v-new"), null, "another subscription sees nothing");

      // The created visitor's first visit fills in its visit fields and keeps its custom metadata.
      await store.append([], {
        profiles: {
          visitors: [
            {
              subscriptionId: "sub_test",
              visitorId: "v-new",
              firstVisit: 5_000,
              lastVisit: 6_000,
              lastAppId: "app_b",
              lastAccountId: "acme-new",
              lastUserAgent: "UA",
              lastBrowserName: "Chrome",
              lastBrowserVersion: "150",
              lastOperatingSystem: "Linux",
              lastServerName: "app.example.com",
              agentMetadata: '{"role":"admin"}',
            },
          ],
          accounts: [
            {
              subscriptionId: "sub_test",
              accountId: "acme-new",
              firstVisit: 5_000,
              lastVisit: 6_000,
              agentMetadata: null,
            },
          ],
          aliases: [],
          customMetadata: [custom("visitor", "v-new", { plan: "team" })],
        },
      });
      const visited = await store.visitor("sub_test", "v-new");
      assert.deepEqual(
        [visited?.firstVisit, visited?.lastVisit, visited?.lastAppId, visited?.lastBrowserName],
        [5_000, 6_000, "app_b", "Chrome"],
      );
      assert.deepEqual(visited?.agentMetadata, { role: "admin" });
      assert.deepEqual(visited?.customMetadata, { plan: "team" });
      const account = await store.account("sub_test", "acme-new");
      assert.deepEqual([account?.firstVisit, account?.lastVisit], [5_000, 6_000]);
      assert.deepEqual(account?.customMetadata, { tier: 2.5, paying: true });

      await store.close();
      const again = await engine.open(dir);
      assert.deepEqual((await again.visitor("sub_test", "v-new"))?.customMetadata, { plan: "team" });
      await again.close();
    });

    test("an anonymous id aliases to the first identified visitor; the log checkpoint commits with the batch", async () => {
      const { store } = await fresh();
      assert.equal(await store.loadedLogSequence(), 0);
      const alias = (visitorId: string, aliasedAt: number) => ({
        subscriptionId: "sub_test",
        anonymousId: "_PENDO_T_abc",
        visitorId,
        aliasedAt,
      });
      await store.append([sampleEvent()], {
        profiles: { visitors: [], accounts: [], aliases: [alias("v2", 20), alias("v1", 10)] },
        logSequence: 7,
      });
      await store.append([], {
        profiles: { visitors: [], accounts: [], aliases: [alias("v3", 5)] },
        logSequence: 9,
      });
      assert.deepEqual(await store.aliasesOf("sub_test", "v1"), ["_PENDO_T_abc"]);
      assert.deepEqual(await store.aliasesOf("sub_test", "v3"), []);
      assert.equal(await store.loadedLogSequence(), 9);
      // A failing batch changes nothing, its checkpoint included.
      await assert.rejects(
        store.append([sampleEvent({ occurredAt: Number.MAX_SAFE_INTEGER * 1000 })], { logSequence: 12 }),
      );
      assert.equal(await store.loadedLogSequence(), 9);
      assert.equal(await store.count({ subscriptionId: "sub_test" }), 1);
      await store.close();
    });
  });
}
