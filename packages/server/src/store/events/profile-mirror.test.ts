import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { testClickhouseUrl } from "../../start/test-support/clickhouse-engine.js";
import { loadEvents } from "../../start/test-support/load-events.js";
import { testPostgresUrl } from "../../start/test-support/postgres-cluster.js";
import { sampleEvent } from "../../start/test-support/sample-events.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { openPostgresProfiles } from "../profiles/postgres/open-postgres-profiles.js";
import type { AccountPatch, ProfilePatches, VisitorPatch } from "../profiles/profile-records.js";
import type { ProfileStore } from "../profiles/profile-store.js";
import { openSqliteProfiles } from "../profiles/sqlite/open-sqlite-profiles.js";
import { openClickhouseEvents } from "./clickhouse/open-clickhouse-events.js";
import { openDuckdbEvents } from "./duckdb/open-duckdb-events.js";
import type { EventQuery } from "./event-query.js";
import type { EventSink } from "./event-sink.js";
import type { ProfileMirror, ProfileMirrorCopied } from "./profile-mirror.js";

type Opened = {
  readonly sink: EventSink;
  readonly query: EventQuery;
  readonly profileMirror: ProfileMirror;
  readonly profiles: ProfileStore;
  close(): Promise<void>;
};

/** One database of each server engine per folder, so a store opened again on the same folder finds its data. */
const serverUrls = new Map<string, { events: string; profiles: string }>();
async function serverUrlsOf(dir: string): Promise<{ events: string; profiles: string }> {
  const urls = serverUrls.get(dir) ?? {
    events: testClickhouseUrl("mirror"),
    profiles: await testPostgresUrl("mirror"),
  };
  serverUrls.set(dir, urls);
  return urls;
}

/** Every event engine with the profile store it is deployed with. */
const engines: Array<{ name: string; open: (dir: string) => Promise<Opened> }> = [
  {
    name: "duckdb with sqlite profiles",
    async open(dir) {
      const events = await openDuckdbEvents(path.join(dir, "events.duckdb"));
      await events.sink.migrate();
      const profiles = openSqliteProfiles(path.join(dir, "profiles.sqlite"));
      await profiles.migrate();
      return {
        ...events,
        profiles,
        async close() {
          await profiles.close();
          await events.sink.close();
        },
      };
    },
  },
  {
    name: "clickhouse with postgres profiles",
    async open(dir) {
      const urls = await serverUrlsOf(dir);
      const events = await openClickhouseEvents(urls.events);
      await events.sink.migrate();
      const profiles = await openPostgresProfiles(urls.profiles);
      await profiles.migrate();
      return {
        ...events,
        profiles,
        async close() {
          await profiles.close();
          await events.sink.close();
        },
      };
    },
  },
];

const noPatches: ProfilePatches = { visitors: [], accounts: [], aliases: [] };

const visit = (visitorId: string, at: number, overrides: Partial<VisitorPatch> = {}): VisitorPatch => ({
  subscriptionId: "sub_test",
  visitorId,
  firstVisit: at,
  lastVisit: at,
  lastAppId: "app_a",
  lastAccountId: null,
  lastUserAgent: null,
  lastBrowserName: null,
  lastBrowserVersion: null,
  lastOperatingSystem: null,
  lastServerName: null,
  agentMetadata: null,
  ...overrides,
});

const account = (accountId: string, at: number, overrides: Partial<AccountPatch> = {}): AccountPatch => ({
  subscriptionId: "sub_test",
  accountId,
  firstVisit: at,
  lastVisit: at,
  agentMetadata: null,
  ...overrides,
});

type Row = Record<string, unknown>;

/** The mirror's tables as they are, metadata groups parsed, in key order. */
async function mirrored(query: EventQuery): Promise<{ visitors: Row[]; accounts: Row[] }> {
  const read = async (table: "visitor_profiles" | "account_profiles", id: string) => {
    const rows = await query.run<Row>({
      engine: query.dialect.engine,
      sql: `SELECT * FROM ${query.dialect.profileTable(table, "p")} ORDER BY subscription_id, ${query.dialect.ident(id)}`,
      params: {},
    });
    // ClickHouse's version and deletion mark are the engine's bookkeeping (ReplacingMergeTree), not the mirror's.
    return rows.map(({ version: _version, is_deleted: _deleted, ...row }) => ({
      ...row,
      agent_metadata: JSON.parse(String(row.agent_metadata)),
      custom_metadata: JSON.parse(String(row.custom_metadata)),
    }));
  };
  return {
    visitors: await read("visitor_profiles", "visitor_id"),
    accounts: await read("account_profiles", "account_id"),
  };
}

/** What the mirror should hold: every visitor and account in the profile store, as mirror rows, in key order. */
async function expected(profiles: ProfileStore): Promise<{ visitors: Row[]; accounts: Row[] }> {
  const all = await profiles.changesSince(0, 1_000_000);
  const byKey = (a: Row, b: Row, id: string) =>
    `${a.subscription_id}\u0000${a[id]}` < `${b.subscription_id}\u0000${b[id]}` ? -1 : 1;
  return {
    visitors: all.visitors
      .map((v) => ({
        subscription_id: v.subscriptionId,
        visitor_id: v.visitorId,
        first_visit: v.firstVisit,
        last_visit: v.lastVisit,
        last_updated: v.updatedAt,
        last_app_id: v.lastAppId,
        last_account_id: v.lastAccountId,
        last_user_agent: v.lastUserAgent,
        last_browser_name: v.lastBrowserName,
        last_browser_version: v.lastBrowserVersion,
        last_operating_system: v.lastOperatingSystem,
        last_server_name: v.lastServerName,
        agent_metadata: v.agentMetadata,
        custom_metadata: v.customMetadata,
      }))
      .sort((a, b) => byKey(a, b, "visitor_id")),
    accounts: all.accounts
      .map((a) => ({
        subscription_id: a.subscriptionId,
        account_id: a.accountId,
        first_visit: a.firstVisit,
        last_visit: a.lastVisit,
        last_updated: a.updatedAt,
        agent_metadata: a.agentMetadata,
        custom_metadata: a.customMetadata,
      }))
      .sort((a, b) => byKey(a, b, "account_id")),
  };
}

/** Rows copied by a set of sync calls: calls that shared a run got the same answer, counted once. */
function copiedOnce(answers: ProfileMirrorCopied[]): ProfileMirrorCopied {
  const runs = [...new Set(answers)];
  return {
    visitors: runs.reduce((sum, run) => sum + run.visitors, 0),
    accounts: runs.reduce((sum, run) => sum + run.accounts, 0),
  };
}

const manyVisitors = (count: number, prefix: string): VisitorPatch[] =>
  Array.from({ length: count }, (_, i) =>
    visit(`${prefix}${i}`, 1_000_000 + i, {
      lastAccountId: `acct-${i % 500}`,
      lastUserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/150.0",
      lastBrowserName: "Chrome",
      lastBrowserVersion: "150",
      lastOperatingSystem: "Linux",
      lastServerName: "app.example.com",
      agentMetadata: JSON.stringify({ email: `${prefix}${i}@example.com`, plan: i % 2 ? "pro" : "free" }),
    }),
  );

for (const engine of engines) {
  describe(`profile mirror conformance: ${engine.name}`, () => {
    async function fresh(): Promise<
      Opened & { dir: string; apply: (patches: ProfilePatches) => Promise<void> }
    > {
      const dir = tempDir("profile-mirror");
      const opened = await engine.open(dir);
      let sequence = 0;
      return {
        ...opened,
        dir,
        apply: (patches) => opened.profiles.apply({ patches, sequence: ++sequence }),
      };
    }

    test("a sync copies every visitor and account with all their fields; a second copies nothing", async () => {
      const { profiles, profileMirror, query, apply, close } = await fresh();
      assert.deepEqual(await profileMirror.sync(profiles), { visitors: 0, accounts: 0 }, "nothing yet");
      await apply({
        visitors: [
          visit("v1", 1_000, {
            lastVisit: 2_500,
            lastAccountId: "acme",
            lastUserAgent: "UA 'quoted' \"twice\"",
            lastBrowserName: "Chrome",
            lastBrowserVersion: "150",
            lastOperatingSystem: "Linux",
            lastServerName: "app.example.com",
            agentMetadata: JSON.stringify({
              email: "a@b.c",
              nested: { deep: [1, 2.5, true, null] },
              "ü 🪨": "x",
            }),
          }),
          visit("v2", 3_000),
          { ...visit("v1", 4_000), subscriptionId: "sub_other" },
        ],
        accounts: [account("acme", 1_000, { agentMetadata: '{"name":"Acme"}' }), account("globex", 2_000)],
        aliases: [],
        customMetadata: [
          {
            subscriptionId: "sub_test",
            kind: "visitor",
            id: "v1",
            values: { plan: "pro", tags: ["a", "b"] },
          },
          { subscriptionId: "sub_test", kind: "visitor", id: "v-api", values: { seats: 3, paying: true } },
          { subscriptionId: "sub_test", kind: "account", id: "acme", values: { tier: 2.5 } },
        ],
      });
      assert.deepEqual(await profileMirror.sync(profiles), { visitors: 4, accounts: 2 });
      const want = await expected(profiles);
      assert.equal(want.visitors.length, 4);
      assert.deepEqual(await mirrored(query), want);
      const api = want.visitors.find((v) => v.visitor_id === "v-api");
      assert.deepEqual([api?.first_visit, api?.last_app_id], [null, null], "a visitor without visits");
      assert.deepEqual(
        await profileMirror.sync(profiles),
        { visitors: 0, accounts: 0 },
        "nothing changed since",
      );
      await close();
    });

    test("a change is copied by the next sync, replacing the row, and the cursor survives a restart", async () => {
      const { profiles, profileMirror, query, apply, close, dir } = await fresh();
      await apply({
        ...noPatches,
        visitors: [visit("v1", 1_000), visit("v2", 1_000)],
        accounts: [account("acme", 1_000)],
      });
      await profileMirror.sync(profiles);
      await apply({
        ...noPatches,
        customMetadata: [{ subscriptionId: "sub_test", kind: "visitor", id: "v2", values: { plan: "team" } }],
      });
      assert.deepEqual(await profileMirror.sync(profiles), { visitors: 1, accounts: 0 });
      await apply({ ...noPatches, accounts: [account("acme", 500, { agentMetadata: '{"name":"Acme"}' })] });
      assert.deepEqual(await profileMirror.sync(profiles), { visitors: 0, accounts: 1 });
      const now = await mirrored(query);
      assert.deepEqual(now, await expected(profiles));
      assert.deepEqual(now.visitors.find((v) => v.visitor_id === "v2")?.custom_metadata, { plan: "team" });
      assert.deepEqual(
        [now.accounts[0]?.first_visit, now.accounts[0]?.agent_metadata],
        [500, { name: "Acme" }],
      );
      await close();

      const again = await engine.open(dir);
      assert.deepEqual(await again.profileMirror.sync(again.profiles), { visitors: 0, accounts: 0 });
      assert.deepEqual(await mirrored(again.query), now);
      await again.close();
    });

    test("a removal deletes the mirror's row; a record removed and written again comes back", async () => {
      const { profiles, profileMirror, query, apply, close } = await fresh();
      await apply({
        ...noPatches,
        visitors: [
          visit("v1", 1_000),
          visit("v2", 1_000),
          { ...visit("v1", 1_000), subscriptionId: "sub_other" },
        ],
        accounts: [account("acme", 1_000), account("globex", 1_000)],
      });
      await profileMirror.sync(profiles);
      await profiles.remove("sub_test", "visitor", ["v1"]);
      await profiles.remove("sub_test", "account", ["globex"]);
      await profileMirror.sync(profiles);
      const after = await mirrored(query);
      assert.deepEqual(after, await expected(profiles));
      assert.deepEqual(
        after.visitors.map((v) => [v.subscription_id, v.visitor_id]),
        [
          ["sub_other", "v1"],
          ["sub_test", "v2"],
        ],
      );
      assert.deepEqual(
        after.accounts.map((a) => a.account_id),
        ["acme"],
      );
      // Removed, then written again before the next sync: both are in that sync, the write last.
      await profiles.remove("sub_test", "visitor", ["v2"]);
      await apply({ ...noPatches, visitors: [visit("v2", 5_000)] });
      await profileMirror.sync(profiles);
      const back = await mirrored(query);
      assert.deepEqual(back, await expected(profiles));
      assert.equal(back.visitors.find((v) => v.visitor_id === "v2")?.first_visit, 5_000);
      await close();
    });

    test("concurrent syncs copy each change once, and interleave with loads without disturbing them", async () => {
      const { sink, profiles, profileMirror, query, apply, close } = await fresh();
      await apply({ ...noPatches, visitors: manyVisitors(3_000, "v"), accounts: [account("acme", 1_000)] });
      const first = await Promise.all([
        profileMirror.sync(profiles),
        loadEvents(sink, [sampleEvent()], 1).then(() => profileMirror.sync(profiles)),
        profileMirror.sync(profiles),
      ]);
      assert.deepEqual(copiedOnce(first), { visitors: 3_000, accounts: 1 });
      await apply({
        ...noPatches,
        customMetadata: [{ subscriptionId: "sub_test", kind: "visitor", id: "v7", values: { plan: "team" } }],
      });
      const second = await Promise.all([
        profileMirror.sync(profiles),
        profileMirror.sync(profiles),
        loadEvents(sink, [sampleEvent(), sampleEvent()], 2),
        profileMirror.sync(profiles),
      ]);
      const answers = second.filter((answer): answer is ProfileMirrorCopied => answer !== undefined);
      assert.deepEqual(copiedOnce(answers), { visitors: 1, accounts: 0 });
      assert.deepEqual(await mirrored(query), await expected(profiles));
      assert.equal(await sink.loadedSequence(), 2);
      const [events] = await query.run<{ n: number }>({
        engine: query.dialect.engine,
        sql: "SELECT count(*)::DOUBLE AS n FROM events",
        params: {},
      });
      assert.equal(events?.n, 3);
      await close();
    });

    test("a change written while a sync runs is copied by a sync called after it was written", async () => {
      const { profiles, profileMirror, query, apply, close } = await fresh();
      await apply({ ...noPatches, visitors: manyVisitors(30_000, "v") });
      await profileMirror.sync(profiles);
      await apply({ ...noPatches, visitors: manyVisitors(30_000, "w") });
      let readingStarted = () => {};
      const reading = new Promise<void>((resolve) => {
        readingStarted = resolve;
      });
      const watched: ProfileStore = {
        ...profiles,
        changesSince(cursor, limit) {
          readingStarted();
          return profiles.changesSince(cursor, limit);
        },
      };
      const running = profileMirror.sync(watched);
      // Written after the running sync began reading its changes: a sync called now must still see it.
      await reading;
      await apply({
        ...noPatches,
        customMetadata: [
          { subscriptionId: "sub_test", kind: "visitor", id: "late", values: { plan: "pro" } },
        ],
      });
      const after = await profileMirror.sync(profiles);
      await running;
      assert.equal(after.visitors <= 1, true);
      const [late] = await query.run<{ n: number }>({
        engine: query.dialect.engine,
        sql: `SELECT count(*)::DOUBLE AS n FROM ${query.dialect.profileTable("visitor_profiles", "p")} WHERE visitor_id = 'late'`,
        params: {},
      });
      assert.equal(late?.n, 1);
      await close();
    });

    test("a large sync copies in pages, and one cut short copies the rest next time without losing any", async (t) => {
      const { profiles, profileMirror, query, apply, close } = await fresh();
      const count = 50_000;
      const patches = manyVisitors(count, "visitor-");
      for (let i = 0; i < count; i += 10_000)
        await apply({ ...noPatches, visitors: patches.slice(i, i + 10_000) });
      await apply({
        ...noPatches,
        accounts: Array.from({ length: 500 }, (_, i) => account(`acct-${i}`, 1_000)),
      });
      // A profile store that fails on its second read, as a crash between two pages would.
      let reads = 0;
      const failing: ProfileStore = {
        ...profiles,
        async changesSince(cursor, limit) {
          if (++reads === 2) throw new Error("cut short");
          return profiles.changesSince(cursor, limit);
        },
      };
      await assert.rejects(profileMirror.sync(failing), /cut short/);
      const [partial] = await query.run<{ n: number }>({
        engine: query.dialect.engine,
        sql: `SELECT count(*)::DOUBLE AS n FROM ${query.dialect.profileTable("visitor_profiles", "p")}`,
        params: {},
      });
      assert.ok((partial?.n ?? 0) > 0 && (partial?.n ?? 0) < count, `the first page is kept (${partial?.n})`);

      let pages = 0;
      const counting: ProfileStore = {
        ...profiles,
        changesSince: (cursor, limit) => {
          pages++;
          return profiles.changesSince(cursor, limit);
        },
      };
      const started = performance.now();
      const rest = await profileMirror.sync(counting);
      const seconds = (performance.now() - started) / 1000;
      assert.equal(rest.visitors, count - (partial?.n ?? 0), "each change copied once");
      assert.ok(pages >= 2, `in pages (${pages} reads)`);
      t.diagnostic(
        `${rest.visitors + rest.accounts} rows in ${seconds.toFixed(2)} s: ${Math.round((rest.visitors + rest.accounts) / seconds)} rows/s`,
      );
      assert.deepEqual(await mirrored(query), await expected(profiles));
      await close();
    });
  });
}
