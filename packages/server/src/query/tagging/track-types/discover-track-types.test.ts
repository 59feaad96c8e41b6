import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { testClickhouseUrl } from "../../../start/test-support/clickhouse-engine.js";
import { installedStore, otherSubscription } from "../../../start/test-support/installed-store.js";
import { loadEvents } from "../../../start/test-support/load-events.js";
import { sampleEvent } from "../../../start/test-support/sample-events.js";
import { tempDir } from "../../../start/test-support/temp-dir.js";
import { openClickhouseEvents } from "../../../store/events/clickhouse/open-clickhouse-events.js";
import { openDuckdbEvents } from "../../../store/events/duckdb/open-duckdb-events.js";
import type { EventQuery } from "../../../store/events/event-query.js";
import type { EventSink } from "../../../store/events/event-sink.js";
import { loadDefinitions } from "../definitions.js";
import { everyObject } from "../shared/object-filter.js";
import { discoverTrackTypes } from "./discover-track-types.js";
import { createTrackType, deleteTrackType, listTrackTypes } from "./track-type-service.js";

/** The event engines discovery reads; each runs the whole suite. */
const engines: Array<{ name: string; open: () => Promise<{ sink: EventSink; query: EventQuery }> }> = [
  { name: "duckdb", open: () => openDuckdbEvents(path.join(tempDir("discovery"), "events.duckdb")) },
  { name: "clickhouse", open: () => openClickhouseEvents(testClickhouseUrl("discovery")) },
];

async function setUp(engine: (typeof engines)[number]) {
  const { store, installation } = await installedStore();
  const other = await otherSubscription(store);
  const events = await engine.open();
  await events.sink.migrate();
  const subscriptionId = installation.subscription.id;
  const appId = installation.app.id;
  let sequence = 0;
  const track = (name: string | null, overrides: Parameters<typeof sampleEvent>[0] = {}) =>
    sampleEvent({ subscriptionId, appId, type: "track", trackName: name, ...overrides });
  const load = (rows: ReturnType<typeof sampleEvent>[]) => loadEvents(events.sink, rows, ++sequence);
  const names = async () =>
    (await listTrackTypes(store.db, subscriptionId, everyObject))
      .map((t) => `${t.appId}:${t.trackTypeName}`)
      .sort();
  const close = async () => {
    await events.sink.close();
    await store.close();
  };
  return { store, events, subscriptionId, appId, other, track, load, names, close };
}

for (const engine of engines) {
  describe(`track type discovery: ${engine.name}`, () => {
    test("track types are created from the names of loaded track events, once, for this subscription's apps only", async () => {
      const t = await setUp(engine);
      try {
        await t.load([
          t.track("signup"),
          t.track("signup"),
          t.track("export_csv"),
          // Not track events, another subscription's, an app the subscription does not have: none of them count.
          sampleEvent({ subscriptionId: t.subscriptionId, appId: t.appId, type: "click", trackName: null }),
          sampleEvent({
            subscriptionId: t.other.subscriptionId,
            appId: t.other.appId,
            type: "track",
            trackName: "theirs",
          }),
          t.track("ghost_app", { appId: "app_missing" }),
        ]);
        assert.deepEqual(await t.names(), []);
        const first = await discoverTrackTypes(t.store, t.events.query, t.subscriptionId);
        assert.deepEqual(first, { created: 2, revived: 0, fullScan: true });
        assert.deepEqual(await t.names(), [`${t.appId}:export_csv`, `${t.appId}:signup`]);
        const [listed] = await listTrackTypes(t.store.db, t.subscriptionId, { appIds: null, ids: null });
        assert.equal(listed?.createdByUser.userType, "system");
        assert.equal(listed?.name, listed?.trackTypeName);

        // Nothing new: nothing created, and it was an incremental read.
        assert.deepEqual(await discoverTrackTypes(t.store, t.events.query, t.subscriptionId), {
          created: 0,
          revived: 0,
          fullScan: false,
        });
        // A name arriving later is found by the incremental read.
        await t.load([t.track("invite_sent")]);
        assert.equal((await discoverTrackTypes(t.store, t.events.query, t.subscriptionId)).created, 1);
        assert.ok((await t.names()).includes(`${t.appId}:invite_sent`));
        // The other subscription's discovery finds its own.
        assert.equal((await discoverTrackTypes(t.store, t.events.query, t.other.subscriptionId)).created, 1);
        assert.deepEqual(
          (await listTrackTypes(t.store.db, t.other.subscriptionId, everyObject)).map((x) => x.trackTypeName),
          ["theirs"],
        );
      } finally {
        await t.close();
      }
    });

    test("concurrent discoveries, and a second process's, create each track type once", async () => {
      const t = await setUp(engine);
      try {
        await t.load(Array.from({ length: 50 }, (_, i) => t.track(`event_${i % 10}`)));
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, () => discoverTrackTypes(t.store, t.events.query, t.subscriptionId)),
        );
        assert.equal(
          outcomes.reduce((sum, o) => sum + o.created, 0),
          10,
        );
        assert.equal((await t.names()).length, 10);
        // Another process: its own state, the same store; the unique key keeps one row per name.
        const secondQuery = { dialect: t.events.query.dialect, run: t.events.query.run.bind(t.events.query) };
        await t.store.db.deleteFrom("track_types").where("track_type_name", "=", "event_3").execute();
        await t.store.db
          .updateTable("cache_revisions")
          .set({ revision: 1000 })
          .where("name", "=", "tagging")
          .execute();
        const [a, b] = await Promise.all([
          discoverTrackTypes(t.store, secondQuery, t.subscriptionId),
          discoverTrackTypes(t.store, t.events.query, t.subscriptionId),
        ]);
        assert.equal((a?.created ?? 0) + (b?.created ?? 0), 1);
        assert.equal((await t.names()).length, 10);
      } finally {
        await t.close();
      }
    });

    test("a deleted track type stays deleted for old events and comes back (same id) with a newer one", async () => {
      const t = await setUp(engine);
      try {
        const old = Date.now() - 60_000;
        await t.load([t.track("legacy", { receivedAt: old, occurredAt: old })]);
        await discoverTrackTypes(t.store, t.events.query, t.subscriptionId);
        const [legacy] = await listTrackTypes(t.store.db, t.subscriptionId, everyObject);
        assert.ok(legacy);
        await deleteTrackType(t.store.db, t.subscriptionId, legacy.id, { id: "cli" });
        assert.deepEqual((await discoverTrackTypes(t.store, t.events.query, t.subscriptionId)).revived, 0);
        assert.deepEqual(await t.names(), []);
        await t.load([t.track("legacy", { receivedAt: Date.now() + 1000 })]);
        assert.equal((await discoverTrackTypes(t.store, t.events.query, t.subscriptionId)).revived, 1);
        const [back] = await listTrackTypes(t.store.db, t.subscriptionId, everyObject);
        assert.equal(back?.id, legacy.id);
        // One made by hand before its first event is not made again.
        await createTrackType(t.store.db, t.subscriptionId, { trackTypeName: "planned" }, { id: "cli" });
        await t.load([t.track("planned")]);
        assert.equal((await discoverTrackTypes(t.store, t.events.query, t.subscriptionId)).created, 0);
      } finally {
        await t.close();
      }
    });

    test("loadDefinitions: compiled regexes per object, track types by event name, cached until the revision moves", async () => {
      const t = await setUp(engine);
      try {
        const { createPage } = await import("../pages/page-service.js");
        const { createFeature } = await import("../features/feature-service.js");
        const page = await createPage(
          t.store.db,
          t.subscriptionId,
          {
            name: "Dashboard",
            rules: ["//*/dashboard/*", { rule: "/home?tab", designerHint: "home" }],
            excludeRules: ["//*/dashboard/admin"],
          },
          { id: "cli" },
        );
        const feature = await createFeature(
          t.store.db,
          t.subscriptionId,
          { name: "Save", elementPathRules: ["button#save", "a.save, .toolbar > .save"], pageId: page.id },
          { id: "cli" },
        );
        const renamed = await createTrackType(
          t.store.db,
          t.subscriptionId,
          { trackTypeName: "signup", name: "Sign-up" },
          { id: "cli" },
        );
        const definitions = await loadDefinitions(t.store, t.subscriptionId);
        assert.deepEqual(
          definitions.pages.map((p) => [p.id, p.appId, p.name, p.include.length, p.exclude.length]),
          [[page.id, t.appId, "Dashboard", 2, 1]],
        );
        assert.equal(
          definitions.pages[0]?.include[1]?.length,
          2,
          "the query condition is a regex of its own",
        );
        assert.deepEqual(
          definitions.features.map((f) => [f.id, f.pageId, f.appWide, f.selectors.length]),
          [[feature.id, page.id, false, 3]],
        );
        assert.deepEqual(definitions.trackTypes, [
          { id: renamed.id, appId: t.appId, name: "signup", displayName: "Sign-up" },
        ]);
        // From memory while nothing changes: with the table gone, any read but the revision's would fail.
        await t.store.db.schema.alterTable("pages").renameTo("pages_away").execute();
        assert.equal(await loadDefinitions(t.store, t.subscriptionId), definitions);
        await t.store.db.schema.alterTable("pages_away").renameTo("pages").execute();
        // A change anywhere moves the revision: the next load reads again.
        await createTrackType(t.store.db, t.subscriptionId, { trackTypeName: "later" }, { id: "cli" });
        assert.equal((await loadDefinitions(t.store, t.subscriptionId)).trackTypes.length, 2);
        // Rules stored by another compiler version are compiled again on load.
        await t.store.db
          .updateTable("pages")
          .set({
            compiler: 0,
            rules: JSON.stringify([{ rule: "//*/x", designerHint: null, regexes: ["stale"] }]),
          })
          .execute();
        await t.store.db
          .updateTable("cache_revisions")
          .set((eb) => ({ revision: eb("revision", "+", 1) }))
          .where("name", "=", "tagging")
          .execute();
        const recompiled = await loadDefinitions(t.store, t.subscriptionId);
        assert.notEqual(recompiled.pages[0]?.include[0]?.[0], "stale");
        assert.match(recompiled.pages[0]?.include[0]?.[0] ?? "", /\/x\/\?/);
      } finally {
        await t.close();
      }
    });
  });
}
