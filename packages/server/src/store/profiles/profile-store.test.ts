import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { testPostgresUrl } from "../../start/test-support/postgres-cluster.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import type { GuideStatePatch, GuideStepState } from "./guide-step-states.js";
import { openPostgresProfiles } from "./postgres/open-postgres-profiles.js";
import type {
  AccountPatch,
  ProfileKind,
  ProfilePatches,
  StoredAccount,
  StoredVisitor,
  VisitorPatch,
} from "./profile-records.js";
import type { ProfileStore } from "./profile-store.js";
import { openSqliteProfiles } from "./sqlite/open-sqlite-profiles.js";

/** A database of its own per test folder: opening the same folder again opens the same (shared) store. */
const postgresByDir = new Map<string, Promise<string>>();
function postgresUrlOf(dir: string): Promise<string> {
  let url = postgresByDir.get(dir);
  if (!url) {
    url = testPostgresUrl("profiles");
    postgresByDir.set(dir, url);
  }
  return url;
}

/** Every engine passes the same suite; a server engine adds its entry here, opened against a real server. */
const engines: Array<{ name: string; open: (dir: string, log?: string) => Promise<ProfileStore> }> = [
  {
    name: "sqlite",
    open: async (dir, log) => openSqliteProfiles(path.join(dir, "profiles.sqlite"), { log }),
  },
  {
    name: "postgres",
    open: async (dir, log) => openPostgresProfiles(await postgresUrlOf(dir), { log }),
  },
];

const noPatches: ProfilePatches = { visitors: [], accounts: [], aliases: [] };

/** A record read back without its write time, once that time is checked to be one of this test's. */
function unstamped<T extends { updatedAt: number }>(record: T | null, since: number): Omit<T, "updatedAt"> {
  assert.ok(record, "the record is stored");
  const { updatedAt, ...rest } = record;
  assert.ok(updatedAt >= since && updatedAt <= Date.now(), `updatedAt ${updatedAt} is a time of this test`);
  return rest;
}

for (const engine of engines) {
  describe(`profile store conformance: ${engine.name}`, () => {
    async function fresh(): Promise<{
      store: ProfileStore;
      dir: string;
      /** Applies patches under the next log sequence. */
      apply: (patches: ProfilePatches) => Promise<void>;
    }> {
      const dir = tempDir(`profiles-${engine.name}`);
      const store = await engine.open(dir);
      await store.migrate();
      let sequence = 0;
      return { store, dir, apply: (patches) => store.apply({ patches, sequence: ++sequence }) };
    }

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

    test("migrations are numbered, applied once, and reported", async () => {
      const store = await engine.open(tempDir(`profiles-${engine.name}`));
      assert.deepEqual(
        (await store.migrationStatus()).map((s) => [s.name, s.appliedAt]),
        [
          ["0001-profiles", null],
          ["0002-change-tracking", null],
          ["0003-tombstones", null],
          ["0004-guide-step-states", null],
        ],
      );
      assert.deepEqual((await store.migrate()).applied, [
        "0001-profiles",
        "0002-change-tracking",
        "0003-tombstones",
        "0004-guide-step-states",
      ]);
      assert.deepEqual((await store.migrate()).applied, [], "a second run applies nothing");
      const [status] = await store.migrationStatus();
      assert.match(status?.appliedAt ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      await store.close();
    });

    test("visitor and account patches merge over what is stored; the newer visit sets the last-seen fields", async () => {
      const since = Date.now();
      const { store, apply } = await fresh();
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
      await apply({
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
      });
      // An older visit arriving late widens the range but does not overwrite the last-seen fields.
      await apply({
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
      });
      assert.deepEqual(unstamped(await store.visitor("sub_test", "v1"), since), {
        ...visitor,
        firstVisit: 1_000,
        agentMetadata: { email: "a@b.c", plan: "pro" },
        customMetadata: {},
      });
      assert.deepEqual(unstamped(await store.account("sub_test", "acme"), since), {
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

    test("one batch naming a visitor or account twice applies both patches in order, as two batches would", async () => {
      const { store, apply } = await fresh();
      const many = Array.from({ length: 30 }, (_, i) => visit(`many-${i}`, 1_000 + i));
      await apply({
        visitors: [
          visit("twice", 2_000, { lastAppId: "app_new", agentMetadata: '{"plan":"pro","email":"t@x.y"}' }),
          ...many,
          visit("twice", 1_000, { lastAppId: "app_old", agentMetadata: '{"plan":"free"}' }),
        ],
        accounts: [
          {
            subscriptionId: "sub_test",
            accountId: "acme",
            firstVisit: 3_000,
            lastVisit: 3_000,
            agentMetadata: '{"a":1}',
          },
          {
            subscriptionId: "sub_test",
            accountId: "acme",
            firstVisit: 1_000,
            lastVisit: 1_000,
            agentMetadata: '{"b":2}',
          },
        ],
        aliases: [],
      });
      const twice = await store.visitor("sub_test", "twice");
      assert.equal(twice?.firstVisit, 1_000);
      assert.equal(twice?.lastVisit, 2_000);
      assert.equal(twice?.lastAppId, "app_new", "the older visit does not set the last-seen fields");
      assert.deepEqual(twice?.agentMetadata, { plan: "free", email: "t@x.y" }, "merged in the order given");
      const acme = await store.account("sub_test", "acme");
      assert.deepEqual(
        [acme?.firstVisit, acme?.lastVisit, acme?.agentMetadata],
        [1_000, 3_000, { a: 1, b: 2 }],
      );
      assert.equal((await store.changesSince(0, 100)).visitors.length, 31);
      await store.close();
    });

    test("custom metadata merges field by field (null removes), creates a visitor without visits, and waits for its first visit", async () => {
      const since = Date.now();
      const { store, dir, apply } = await fresh();
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
      await apply({
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
      });
      assert.deepEqual(
        [...(await store.knownIds("sub_test", "visitor", ["v-seen", "v-new", "acme"]))],
        ["v-seen"],
      );
      assert.deepEqual([...(await store.knownIds("sub_other", "visitor", ["v-seen"]))], []);

      await apply(
        profiles([
          custom("visitor", "v-seen", { plan: "pro", seats: 42, tags: ["a", "b"], gone: null }),
          custom("visitor", "v-new", { plan: "free", empty: null }),
          custom("account", "acme-new", { tier: 2.5, paying: true }),
        ]),
      );
      await apply(profiles([custom("visitor", "v-seen", { seats: null, tags: ["c"], "ü 🪨": "x" })]));
      const seen = await store.visitor("sub_test", "v-seen");
      assert.deepEqual(seen?.customMetadata, { plan: "pro", tags: ["c"], "ü 🪨": "x" });
      assert.deepEqual(seen?.agentMetadata, { email: "a@b.c" }, "the agent group is untouched");
      assert.equal(seen?.firstVisit, 1_000);
      assert.deepEqual(unstamped(await store.visitor("sub_test", "v-new"), since), {
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
      assert.deepEqual(unstamped(await store.account("sub_test", "acme-new"), since), {
        subscriptionId: "sub_test",
        accountId: "acme-new",
        firstVisit: null,
        lastVisit: null,
        agentMetadata: {},
        customMetadata: { tier: 2.5, paying: true },
      });
      assert.equal(await store.visitor("sub_other", "v-new"), null, "another subscription sees nothing");

      // The created visitor's first visit fills in its visit fields and keeps its custom metadata.
      await apply({
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
      await again.migrate();
      assert.deepEqual((await again.visitor("sub_test", "v-new"))?.customMetadata, { plan: "team" });
      await again.close();
    });

    test("a log's checkpoint kept under its former name is taken over once, never over one of its own", async () => {
      const { store, dir, apply } = await fresh();
      // `fresh` writes under the log "ingest"; the same store opened under a new name takes its checkpoint over.
      await apply(noPatches);
      await apply(noPatches);
      await store.close();
      const renamed = await engine.open(dir, "log-renamed");
      assert.equal(await renamed.loadedSequence(), 0);
      assert.equal(await renamed.adoptCheckpoint("ingest"), true);
      assert.equal(await renamed.loadedSequence(), 2);
      assert.equal(await renamed.adoptCheckpoint("ingest"), false, "nothing left under the former name");
      await renamed.close();
      const other = await engine.open(dir, "log-other");
      await other.apply({ patches: noPatches, sequence: 9 });
      assert.equal(await other.adoptCheckpoint("log-renamed"), false, "its own checkpoint stays");
      assert.equal(await other.loadedSequence(), 9);
      await other.close();
      const again = await engine.open(dir, "log-renamed");
      assert.equal(await again.loadedSequence(), 2, "the other's checkpoint was left where it was");
      await again.close();
    });

    test("an anonymous id aliases to the first identified visitor, in a batch and across batches", async () => {
      const { store, apply } = await fresh();
      const alias = (visitorId: string, aliasedAt: number, anonymousId = "_PENDO_T_abc") => ({
        subscriptionId: "sub_test",
        anonymousId,
        visitorId,
        aliasedAt,
      });
      await apply({ ...noPatches, aliases: [alias("v2", 20), alias("v1", 10)] });
      await apply({ ...noPatches, aliases: [alias("v3", 5), alias("v1", 30, "_PENDO_T_later")] });
      assert.deepEqual(await store.aliasesOf("sub_test", "v1"), ["_PENDO_T_abc", "_PENDO_T_later"]);
      assert.deepEqual(await store.aliasesOf("sub_test", "v2"), []);
      assert.deepEqual(await store.aliasesOf("sub_test", "v3"), []);
      assert.deepEqual(await store.aliasesOf("sub_other", "v1"), [], "another subscription sees nothing");
      await store.close();
    });

    test("applying the same sequence twice, or one below the checkpoint, changes nothing", async () => {
      const { store } = await fresh();
      assert.equal(await store.loadedSequence(), 0);
      const plan = (value: string | null) => ({
        ...noPatches,
        customMetadata: [
          { subscriptionId: "sub_test", kind: "visitor" as const, id: "v1", values: { plan: value } },
        ],
      });
      await store.apply({ patches: plan("pro"), sequence: 7 });
      await store.apply({ patches: plan(null), sequence: 9 });
      await store.apply({ patches: plan("team"), sequence: 9 });
      await store.apply({ patches: plan("free"), sequence: 4 });
      assert.deepEqual((await store.visitor("sub_test", "v1"))?.customMetadata, {});
      assert.equal(await store.loadedSequence(), 9);
      await store.apply({ patches: noPatches, sequence: 10 });
      assert.equal(await store.loadedSequence(), 10, "an empty apply moves the checkpoint");
      await store.close();
    });

    test("each ingest log has its own checkpoint in a shared store", async () => {
      const dir = tempDir(`profiles-${engine.name}`);
      const first = await engine.open(dir, "server-a");
      await first.migrate();
      await first.apply({ patches: { ...noPatches, visitors: [visit("v-a", 1_000)] }, sequence: 50 });
      const second = await engine.open(dir, "server-b");
      assert.equal(await second.loadedSequence(), 0);
      await second.apply({ patches: { ...noPatches, visitors: [visit("v-b", 2_000)] }, sequence: 3 });
      assert.equal(await first.loadedSequence(), 50);
      assert.equal(await second.loadedSequence(), 3);
      assert.equal((await first.visitor("sub_test", "v-b"))?.firstVisit, 2_000, "one store, read by both");
      await first.close();
      await second.close();
    });

    test("writers on two logs at once, read while they write: paging changesSince skips no change", async () => {
      const dir = tempDir(`profiles-${engine.name}`);
      const first = await engine.open(dir, "server-a");
      await first.migrate();
      const second = await engine.open(dir, "server-b");
      const reader = await engine.open(dir, "reader");
      const batches = 20;
      const write = async (store: ProfileStore, prefix: string) => {
        for (let i = 1; i <= batches; i++) {
          const visitors = [0, 1, 2].map((n) => visit(`${prefix}-${i}-${n}`, i * 1_000));
          await store.apply({ patches: { ...noPatches, visitors }, sequence: i });
        }
      };
      const seen = new Set<string>();
      let cursor = 0;
      let writing = true;
      const writers = Promise.all([write(first, "a"), write(second, "b")]).finally(() => {
        writing = false;
      });
      // Pages while the writers commit, then once more after they are done.
      for (let last = false; !last; ) {
        last = !writing;
        const changes = await reader.changesSince(cursor, 4);
        for (const v of changes.visitors) seen.add(v.visitorId);
        cursor = changes.cursor;
        if (changes.visitors.length > 0) last = false;
      }
      await writers;
      assert.equal(seen.size, 2 * batches * 3, "every visitor written was paged past exactly by the cursor");
      await Promise.all([first.close(), second.close(), reader.close()]);
    });

    test("an imported snapshot adds records, keeps ones already stored, and sets the checkpoint", async () => {
      const { store, apply } = await fresh();
      await apply({ ...noPatches, visitors: [visit("v-kept", 5_000)] });
      const old = {
        subscriptionId: "sub_test",
        firstVisit: 1_000,
        lastVisit: 2_000,
        lastAppId: "app_old",
        lastAccountId: null,
        lastUserAgent: null,
        lastBrowserName: null,
        lastBrowserVersion: null,
        lastOperatingSystem: null,
        lastServerName: null,
        agentMetadata: { email: "a@b.c" },
        customMetadata: { plan: "pro" },
        updatedAt: 1_700,
      };
      await store.importSnapshot(
        {
          visitors: [
            { ...old, visitorId: "v-old" },
            { ...old, visitorId: "v-kept" },
          ],
          accounts: [],
          aliases: [
            { subscriptionId: "sub_test", anonymousId: "_PENDO_T_x", visitorId: "v-old", aliasedAt: 1_500 },
          ],
        },
        42,
      );
      assert.deepEqual(await store.visitor("sub_test", "v-old"), { ...old, visitorId: "v-old" });
      assert.equal((await store.visitor("sub_test", "v-kept"))?.firstVisit, 5_000);
      assert.deepEqual(await store.aliasesOf("sub_test", "v-old"), ["_PENDO_T_x"]);
      assert.equal(await store.loadedSequence(), 42);
      await store.close();
    });

    test("knownIds answers for the asked kind and subscription only", async () => {
      const { store, apply } = await fresh();
      await apply({
        visitors: [visit("v1", 1_000)],
        accounts: [
          {
            subscriptionId: "sub_test",
            accountId: "acme",
            firstVisit: 1_000,
            lastVisit: 1_000,
            agentMetadata: null,
          },
        ],
        aliases: [],
      });
      assert.deepEqual([...(await store.knownIds("sub_test", "visitor", ["v1", "acme", "v9"]))], ["v1"]);
      assert.deepEqual([...(await store.knownIds("sub_test", "account", ["v1", "acme"]))], ["acme"]);
      assert.deepEqual([...(await store.knownIds("sub_test", "visitor", []))], []);
      assert.deepEqual([...(await store.knownIds("sub_other", "account", ["acme"]))], []);
      await store.close();
    });

    test("a point read among many visitors returns exactly the one asked for", async () => {
      const { store, apply } = await fresh();
      await apply({
        ...noPatches,
        visitors: Array.from({ length: 5_000 }, (_, i) =>
          visit(`v${i}`, 1_000 + i, { lastServerName: `host-${i}` }),
        ),
      });
      const visitor = await store.visitor("sub_test", "v4321");
      assert.equal(visitor?.lastServerName, "host-4321");
      assert.equal(visitor?.firstVisit, 5_321);
      assert.equal(await store.visitor("sub_test", "v5000"), null);
      await store.close();
    });

    const account = (accountId: string, at: number): AccountPatch => ({
      subscriptionId: "sub_test",
      accountId,
      firstVisit: at,
      lastVisit: at,
      agentMetadata: null,
    });
    const custom = (kind: ProfileKind, id: string, values: Record<string, string | null>) => ({
      ...noPatches,
      customMetadata: [{ subscriptionId: "sub_test", kind, id, values }],
    });

    /** Reads every change after `cursor` in pages of `limit`, checking each page; the records and the last cursor. */
    async function allChangesSince(store: ProfileStore, cursor: number, limit: number) {
      const visitors: StoredVisitor[] = [];
      const accounts: StoredAccount[] = [];
      let pages = 0;
      for (;;) {
        const page = await store.changesSince(cursor, limit);
        assert.ok(page.visitors.length <= limit && page.accounts.length <= limit, "at most `limit` of each");
        if (page.visitors.length + page.accounts.length === 0) {
          assert.equal(page.cursor, cursor, "with no change the cursor stays");
          return { visitors, accounts, cursor, pages };
        }
        assert.ok(page.cursor > cursor, "the cursor moves forward");
        visitors.push(...page.visitors);
        accounts.push(...page.accounts);
        cursor = page.cursor;
        pages++;
      }
    }

    test("changesSince answers each written record once, oldest change first, and its cursor pages without skipping", async () => {
      const { store, apply } = await fresh();
      assert.deepEqual(await store.changesSince(0, 10), {
        visitors: [],
        accounts: [],
        removed: [],
        cursor: 0,
      });
      // Kinds interleave across writes: a cursor that stepped past the accounts' last change while visitors
      // were cut at the limit would skip visitors.
      await apply({ ...noPatches, visitors: [visit("v1", 1_000), visit("v2", 1_000), visit("v3", 1_000)] });
      await apply({
        ...noPatches,
        accounts: [account("a1", 1_000), account("a2", 1_000), account("a3", 1_000)],
      });
      await apply({
        ...noPatches,
        visitors: [visit("v4", 2_000), visit("v5", 2_000), visit("v6", 2_000)],
        accounts: [account("a4", 2_000)],
      });
      // v2 written again: it moves after everything else, and is answered once.
      await apply(custom("visitor", "v2", { plan: "pro" }));
      const paged = await allChangesSince(store, 0, 2);
      assert.deepEqual(
        paged.visitors.map((v) => v.visitorId),
        ["v1", "v3", "v4", "v5", "v6", "v2"],
      );
      assert.deepEqual(
        paged.accounts.map((a) => a.accountId),
        ["a1", "a2", "a3", "a4"],
      );
      assert.ok(paged.pages >= 4, `read in pages (${paged.pages})`);
      const whole = await store.changesSince(0, 100);
      assert.equal(whole.cursor, paged.cursor, "one page or many end at the same cursor");
      for (const visitor of whole.visitors) {
        assert.deepEqual(
          visitor,
          await store.visitor("sub_test", visitor.visitorId),
          "the stored record as read",
        );
      }
      for (const acct of whole.accounts) {
        assert.deepEqual(acct, await store.account("sub_test", acct.accountId));
      }
      assert.deepEqual(whole.visitors.at(-1)?.customMetadata, { plan: "pro" });
      assert.deepEqual(await store.changesSince(whole.cursor, 100), {
        visitors: [],
        accounts: [],
        removed: [],
        cursor: whole.cursor,
      });
      await store.close();
    });

    test("every write path moves the record it writes past the cursor, with its new values", async () => {
      const { store, apply } = await fresh();
      let cursor = 0;
      async function changed(): Promise<[string[], string[]]> {
        const page = await store.changesSince(cursor, 100);
        for (const v of page.visitors)
          assert.deepEqual(v, await store.visitor(v.subscriptionId, v.visitorId));
        for (const a of page.accounts)
          assert.deepEqual(a, await store.account(a.subscriptionId, a.accountId));
        cursor = page.cursor;
        return [page.visitors.map((v) => v.visitorId), page.accounts.map((a) => a.accountId)];
      }
      await apply({ ...noPatches, visitors: [visit("v1", 1_000)] });
      assert.deepEqual(await changed(), [["v1"], []], "a visitor patch");
      await apply({ ...noPatches, visitors: [visit("v1", 500)] });
      assert.deepEqual(await changed(), [["v1"], []], "an older visit, widening the range");
      await apply({ ...noPatches, accounts: [account("a1", 1_000)] });
      assert.deepEqual(await changed(), [[], ["a1"]], "an account patch");
      await apply(custom("visitor", "v1", { plan: "pro" }));
      assert.deepEqual(await changed(), [["v1"], []], "a visitor's custom metadata");
      await apply(custom("account", "a1", { tier: "gold" }));
      assert.deepEqual(await changed(), [[], ["a1"]], "an account's custom metadata");
      await apply(custom("visitor", "v-new", { plan: "free" }));
      assert.deepEqual(await changed(), [["v-new"], []], "a visitor created through the v1 API");
      await apply({
        ...noPatches,
        aliases: [{ subscriptionId: "sub_test", anonymousId: "_PENDO_T_a", visitorId: "v1", aliasedAt: 1 }],
      });
      assert.deepEqual(await changed(), [[], []], "an alias alone writes no visitor");
      const kept = await store.visitor("sub_test", "v1");
      assert.ok(kept);
      const imported = { ...kept, visitorId: "v-imported", updatedAt: 1_700 };
      const importedAccount = {
        subscriptionId: "sub_test",
        accountId: "a-imported",
        firstVisit: null,
        lastVisit: null,
        agentMetadata: {},
        customMetadata: { tier: "silver" },
        updatedAt: 1_700,
      };
      await store.importSnapshot(
        {
          visitors: [{ ...kept, lastAppId: "app_other" }, imported],
          accounts: [importedAccount],
          aliases: [],
        },
        100,
      );
      assert.deepEqual(
        await changed(),
        [["v-imported"], ["a-imported"]],
        "an import, which keeps v1 as stored",
      );
      assert.equal(cursor, (await store.changesSince(cursor, 1)).cursor);
      await store.close();
    });

    test("re-applying a sequence, or one below the checkpoint, moves no record past the cursor", async () => {
      const { store } = await fresh();
      await store.apply({ patches: { ...noPatches, visitors: [visit("v1", 1_000)] }, sequence: 5 });
      const { cursor } = await store.changesSince(0, 10);
      await store.apply({
        patches: { ...noPatches, visitors: [visit("v1", 1_000), visit("v2", 1_000)] },
        sequence: 5,
      });
      await store.apply({ patches: custom("visitor", "v1", { plan: "pro" }), sequence: 3 });
      await store.apply({ patches: noPatches, sequence: 6 });
      assert.deepEqual(await store.changesSince(cursor, 10), {
        visitors: [],
        accounts: [],
        removed: [],
        cursor,
      });
      await store.apply({ patches: custom("visitor", "v1", { plan: "pro" }), sequence: 7 });
      const after = await store.changesSince(cursor, 10);
      assert.deepEqual(
        after.visitors.map((v) => v.visitorId),
        ["v1"],
      );
      assert.ok(after.cursor > cursor);
      await store.close();
    });

    test("remove deletes visitors (and their aliases) or accounts of one subscription, leaving tombstones in the feed", async () => {
      const { store, apply } = await fresh();
      await apply({
        ...noPatches,
        visitors: [
          visit("v1", 1_000),
          visit("v2", 1_000),
          { ...visit("v1", 1_000), subscriptionId: "sub_other" },
        ],
        accounts: [account("a1", 1_000)],
        aliases: [{ subscriptionId: "sub_test", anonymousId: "_PENDO_T_a", visitorId: "v1", aliasedAt: 1 }],
      });
      const { cursor } = await store.changesSince(0, 100);
      assert.equal(await store.remove("sub_test", "visitor", ["v1", "never", "v1"]), 1);
      assert.equal(await store.remove("sub_test", "account", ["a1"]), 1);
      assert.equal(await store.visitor("sub_test", "v1"), null);
      assert.ok(await store.visitor("sub_test", "v2"));
      assert.ok(await store.visitor("sub_other", "v1"), "another subscription's visitor of that id stays");
      assert.equal(await store.account("sub_test", "a1"), null);
      assert.deepEqual(await store.aliasesOf("sub_test", "v1"), []);
      const feed = await store.changesSince(cursor, 100);
      assert.deepEqual(feed.visitors, []);
      assert.deepEqual(feed.removed, [
        { kind: "visitor", subscriptionId: "sub_test", id: "v1" },
        { kind: "account", subscriptionId: "sub_test", id: "a1" },
      ]);
      assert.ok(feed.cursor > cursor);
      assert.equal(await store.remove("sub_test", "visitor", ["v1"]), 0, "a repeat removes nothing");
      assert.deepEqual((await store.changesSince(feed.cursor, 100)).removed, []);

      // Written again after its removal: the feed gives the tombstone, then the write, and pages keep that order.
      await apply({ ...noPatches, visitors: [visit("v1", 2_000)] });
      const again = await store.changesSince(cursor, 100);
      assert.deepEqual(
        again.visitors.map((v) => v.visitorId),
        ["v1"],
      );
      assert.equal(again.removed.length, 2);
      const first = await store.changesSince(cursor, 1);
      assert.deepEqual([first.visitors, first.removed.map((r) => r.id)], [[], ["v1"]]);
      const second = await store.changesSince(first.cursor, 1);
      assert.deepEqual([second.visitors, second.removed.map((r) => r.id)], [[], ["a1"]]);
      const third = await store.changesSince(second.cursor, 1);
      assert.deepEqual([third.visitors.map((v) => v.visitorId), third.removed], [["v1"], []]);
      await store.close();
    });

    describe("guide step states", () => {
      const guide = (
        visitorId: string,
        stepId: string,
        state: GuideStatePatch["state"],
        at: number,
        overrides: Partial<GuideStatePatch> = {},
      ): GuideStatePatch => ({
        subscriptionId: "sub_test",
        appId: "app_a",
        visitorId,
        guideId: "g1",
        stepId,
        state,
        at,
        seenReason: "auto",
        destinationStepId: null,
        snoozeEndTime: null,
        dismissals: state === "dismissed" ? 1 : 0,
        ...overrides,
      });
      const ofV1 = { subscriptionId: "sub_test", appId: "app_a", visitorId: "v1" };
      const step = (
        stepId: string,
        state: GuideStepState["state"],
        lastSeenAt: number,
        overrides: Partial<GuideStepState> = {},
      ): GuideStepState => ({
        guideId: "g1",
        stepId,
        state,
        lastSeenAt,
        seenReason: "auto",
        destinationStepId: null,
        dismissCount: 0,
        snoozeEndTime: null,
        ...overrides,
      });

      test("seen, advanced, dismissed across steps; the newest is lastGuideStepSeen; none for a stranger", async () => {
        const { store, apply } = await fresh();
        assert.deepEqual(await store.guideStatesOf(ofV1), { steps: [], lastGuideStepSeen: null });
        await apply({
          ...noPatches,
          guideStates: [
            guide("v1", "s1", "active", 1_000),
            guide("v1", "s1", "advanced", 2_000, { destinationStepId: "s2" }),
            // Same browser time as the advance: the later event of the load is the newer.
            guide("v1", "s2", "active", 2_000, { seenReason: "continue" }),
          ],
        });
        const midway = await store.guideStatesOf(ofV1);
        assert.deepEqual(midway.steps, [
          step("s1", "advanced", 2_000, { destinationStepId: "s2" }),
          step("s2", "active", 2_000, { seenReason: "continue" }),
        ]);
        assert.deepEqual(midway.lastGuideStepSeen, {
          guideId: "g1",
          guideStepId: "s2",
          time: 2_000,
          state: "active",
          seenReason: "continue",
          visitorId: "v1",
        });
        await apply({ ...noPatches, guideStates: [guide("v1", "s2", "dismissed", 3_000)] });
        const done = await store.guideStatesOf(ofV1);
        assert.deepEqual(done.steps[1], step("s2", "dismissed", 3_000, { dismissCount: 1 }));
        assert.deepEqual(
          [done.lastGuideStepSeen?.guideStepId, done.lastGuideStepSeen?.state],
          ["s2", "dismissed"],
        );
        // Another app, subscription or visitor sees none of it.
        for (const other of [
          { ...ofV1, appId: "app_b" },
          { ...ofV1, subscriptionId: "sub_other" },
          { ...ofV1, visitorId: "v2" },
        ]) {
          assert.deepEqual(await store.guideStatesOf(other), { steps: [], lastGuideStepSeen: null });
        }
        await store.close();
      });

      test("a late, older event does not overwrite a newer state; every dismissal counts; a snooze keeps its end", async () => {
        const { store, apply } = await fresh();
        await apply({
          ...noPatches,
          guideStates: [
            guide("v1", "s1", "dismissed", 5_000),
            guide("v1", "s2", "snoozed", 4_000, { snoozeEndTime: 4_000 + 86_400_000 }),
          ],
        });
        // Sent from another device earlier, arriving later.
        await apply({
          ...noPatches,
          guideStates: [guide("v1", "s1", "active", 4_000), guide("v1", "s1", "dismissed", 3_000)],
        });
        const states = await store.guideStatesOf(ofV1);
        assert.deepEqual(states.steps, [
          step("s1", "dismissed", 5_000, { dismissCount: 2 }),
          step("s2", "snoozed", 4_000, { snoozeEndTime: 86_404_000 }),
        ]);
        assert.equal(states.lastGuideStepSeen?.guideStepId, "s1");
        // Seen again after the snooze: active, and the snooze end goes with the state it belonged to.
        await apply({ ...noPatches, guideStates: [guide("v1", "s2", "active", 90_000_000)] });
        assert.deepEqual(
          (await store.guideStatesOf(ofV1)).steps[1],
          step("s2", "active", 90_000_000, { snoozeEndTime: null }),
        );
        await store.close();
      });

      test("a sequence applied again changes nothing, dismissals included", async () => {
        const { store } = await fresh();
        const batch = {
          patches: { ...noPatches, guideStates: [guide("v1", "s1", "dismissed", 1_000)] },
          sequence: 7,
        };
        await store.apply(batch);
        const once = await store.guideStatesOf(ofV1);
        await store.apply(batch);
        await store.apply({ ...batch, sequence: 6 });
        assert.deepEqual(await store.guideStatesOf(ofV1), once);
        assert.equal(once.steps[0]?.dismissCount, 1);
        await store.close();
      });

      test("an identified visitor's states include its anonymous aliases'; the newest per step wins", async () => {
        const { store, apply } = await fresh();
        await apply({
          ...noPatches,
          guideStates: [
            guide("_PENDO_T_anon", "s1", "dismissed", 2_000),
            guide("_PENDO_T_anon", "s2", "active", 1_500),
            guide("v1", "s1", "active", 1_000),
          ],
        });
        // Before the alias, the two are apart.
        assert.deepEqual(
          (await store.guideStatesOf(ofV1)).steps.map((s) => [s.stepId, s.state]),
          [["s1", "active"]],
        );
        await apply({
          ...noPatches,
          aliases: [
            { subscriptionId: "sub_test", anonymousId: "_PENDO_T_anon", visitorId: "v1", aliasedAt: 3_000 },
          ],
          guideStates: [guide("v1", "s1", "dismissed", 2_500)],
        });
        const states = await store.guideStatesOf(ofV1);
        assert.deepEqual(states.steps, [
          step("s1", "dismissed", 2_500, { dismissCount: 2 }),
          step("s2", "active", 1_500),
        ]);
        assert.deepEqual(
          [states.lastGuideStepSeen?.guideStepId, states.lastGuideStepSeen?.visitorId],
          ["s1", "v1"],
        );
        await store.close();
      });

      test("resets leave out older states, of one guide or of all; removing the visitor removes its states", async () => {
        const { store, apply } = await fresh();
        await apply({
          ...noPatches,
          visitors: [visit("v1", 1_000)],
          guideStates: [
            guide("v1", "s1", "dismissed", 1_000),
            guide("v1", "s9", "advanced", 2_000, { guideId: "g2" }),
            guide("v1", "s2", "active", 3_000),
          ],
        });
        const ids = async (resets: { guideId: string | null; at: number }[]) => {
          const states = await store.guideStatesOf({ ...ofV1, resets });
          return [
            states.steps.map((s) => `${s.guideId}/${s.stepId}`),
            states.lastGuideStepSeen?.guideStepId ?? null,
          ];
        };
        assert.deepEqual(await ids([]), [["g1/s1", "g1/s2", "g2/s9"], "s2"]);
        assert.deepEqual(await ids([{ guideId: "g1", at: 3_000 }]), [["g1/s2", "g2/s9"], "s2"]);
        assert.deepEqual(await ids([{ guideId: "g1", at: 3_001 }]), [["g2/s9"], "s9"]);
        assert.deepEqual(await ids([{ guideId: null, at: 1_500 }]), [["g1/s2", "g2/s9"], "s2"]);
        assert.deepEqual(await ids([{ guideId: null, at: 9_000 }]), [[], null]);
        assert.equal(await store.remove("sub_test", "visitor", ["v1"]), 1);
        assert.deepEqual(await ids([]), [[], null]);
        await store.close();
      });

      test("export and import: aliases and states paged in key order, and restored as they were into another store", async () => {
        const { store, apply } = await fresh();
        await apply({
          visitors: [visit("v1", 1_000), visit("v2", 2_000)],
          accounts: [],
          aliases: ["_PENDO_T_c", "_PENDO_T_a", "_PENDO_T_b"].map((anonymousId, i) => ({
            subscriptionId: "sub_test",
            anonymousId,
            visitorId: i === 0 ? "v2" : "v1",
            aliasedAt: 500 + i,
          })),
          customMetadata: [
            { subscriptionId: "sub_test", kind: "visitor", id: "v1", values: { plan: "pro" } },
          ],
          guideStates: [
            guide("v2", "s1", "active", 1_000),
            guide("v1", "s2", "dismissed", 2_000),
            guide("v1", "s1", "advanced", 1_500, { destinationStepId: "s2" }),
          ],
        });
        const aliases = [
          ...(await store.aliasesAfter(null, 2)),
          ...(await store.aliasesAfter({ subscriptionId: "sub_test", anonymousId: "_PENDO_T_b" }, 2)),
        ];
        assert.deepEqual(
          aliases.map((a) => [a.anonymousId, a.visitorId]),
          [
            ["_PENDO_T_a", "v1"],
            ["_PENDO_T_b", "v1"],
            ["_PENDO_T_c", "v2"],
          ],
        );
        const first = await store.guideStepStatesAfter(null, 2);
        const last = first.at(-1);
        assert.ok(last);
        const states = [...first, ...(await store.guideStepStatesAfter(last, 2))];
        assert.deepEqual(
          states.map((g) => `${g.visitorId}/${g.stepId}/${g.state}/${g.dismissCount}`),
          ["v1/s1/advanced/0", "v1/s2/dismissed/1", "v2/s1/active/0"],
        );
        const { visitors } = await store.changesSince(0, 10);

        const other = await engine.open(tempDir(`profiles-restored-${engine.name}`));
        await other.migrate();
        const older = { ...(visitors[0] as StoredVisitor), customMetadata: { plan: "old" } };
        await other.restore({ visitors: [older, ...visitors], aliases, guideStates: states });
        await other.restore({ aliases, guideStates: states });
        for (const id of ["v1", "v2"])
          assert.deepEqual(await other.visitor("sub_test", id), await store.visitor("sub_test", id));
        assert.deepEqual(await other.aliasesAfter(null, 10), aliases);
        assert.deepEqual(await other.guideStepStatesAfter(null, 10), states);
        assert.deepEqual(await other.guideStatesOf(ofV1), await store.guideStatesOf(ofV1));
        // Restored records take change numbers, so the copies that follow the store see them.
        assert.equal((await other.changesSince(0, 10)).visitors.length, 2);
        assert.equal(await other.loadedSequence(), 0, "a restore moves no ingest checkpoint");
        await other.close();
        await store.close();
      });
    });
  });
}
