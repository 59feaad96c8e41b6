import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { testPostgresUrl } from "../../start/test-support/postgres-cluster.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import type { MetadataStore } from "./metadata-store.js";
import { metadataMigrations } from "./migrations/index.js";
import { openPostgresStore } from "./postgres/open-postgres-store.js";
import { openSqliteStore } from "./sqlite/open-sqlite-store.js";

/** One database per test folder, so reopening a folder reopens its database. */
const postgresDatabases = new Map<string, Promise<string>>();
function postgresUrlFor(dir: string): Promise<string> {
  let url = postgresDatabases.get(dir);
  if (!url) {
    url = testPostgresUrl("conformance");
    postgresDatabases.set(dir, url);
  }
  return url;
}

/** Every engine passes the same suite; a server engine adds its entry here, opened against a real server. */
const engines: Array<{ name: string; open: (dir: string) => Promise<MetadataStore> }> = [
  { name: "sqlite", open: async (dir) => openSqliteStore(path.join(dir, "metadata.sqlite")) },
  { name: "postgres", open: async (dir) => openPostgresStore(await postgresUrlFor(dir)) },
];

const at = "2026-11-29T12:00:00.000Z";

for (const engine of engines) {
  describe(`metadata store conformance: ${engine.name}`, () => {
    async function fresh(): Promise<{ store: MetadataStore; dir: string }> {
      const dir = tempDir(`metadata-${engine.name}`);
      const store = await engine.open(dir);
      await store.migrate();
      return { store, dir };
    }

    test("migrations are numbered, applied once, and reported", async () => {
      const store = await engine.open(tempDir(`metadata-${engine.name}`));
      const names = Object.keys(metadataMigrations);
      assert.deepEqual(
        names.slice(0, 3),
        ["0001-initial", "0002-keys", "0003-sessions"],
        "numbered, in order",
      );
      assert.deepEqual(
        await store.migrationStatus(),
        names.map((name) => ({ name, appliedAt: null })),
      );
      assert.deepEqual((await store.migrate()).applied, names);
      assert.deepEqual((await store.migrate()).applied, []);
      const [status] = await store.migrationStatus();
      assert.ok(status?.appliedAt && !Number.isNaN(Date.parse(status.appliedAt)));
      await store.close();
    });

    test("rows written read back and survive reopening", async () => {
      const { store, dir } = await fresh();
      await store.db
        .insertInto("subscriptions")
        .values({ id: "sub_1", name: "Acme ü", default_app_id: null, created_at: at })
        .execute();
      await store.close();
      const again = await engine.open(dir);
      assert.deepEqual(await again.db.selectFrom("subscriptions").selectAll().execute(), [
        {
          id: "sub_1",
          name: "Acme ü",
          default_app_id: null,
          created_at: at,
          integration_keys_enabled: 0,
          exposed_key_policy: "notify",
          auto_guide_throttle_hours: 0,
        },
      ]);
      await again.close();
    });

    test("an app key belongs to one app only", async () => {
      const { store } = await fresh();
      await store.db
        .insertInto("subscriptions")
        .values({ id: "sub_1", name: "A", default_app_id: null, created_at: at })
        .execute();
      const app = {
        subscription_id: "sub_1",
        name: "App",
        app_key: "6f1c1a9e-8f7b-4c53-9a57-1f2d3c4b5a69",
        created_at: at,
      };
      await store.db
        .insertInto("apps")
        .values({ id: "app_1", ...app })
        .execute();
      await assert.rejects(
        store.db
          .insertInto("apps")
          .values({ id: "app_2", ...app })
          .execute(),
        /UNIQUE|unique/,
      );
      await store.close();
    });

    test("an Exclude List rule is unique per subscription, kind and pattern, and counts its own revision", async () => {
      const { store } = await fresh();
      for (const id of ["sub_1", "sub_2"]) {
        await store.db
          .insertInto("subscriptions")
          .values({ id, name: id, default_app_id: null, created_at: at })
          .execute();
      }
      const rule = (id: string, subscription_id: string, kind: "ip" | "visitor", pattern: string) => ({
        id,
        subscription_id,
        kind,
        pattern,
        note: null,
        created_at: at,
        created_by: "cli",
      });
      await store.db
        .insertInto("exclude_rules")
        .values([
          rule("exr_1", "sub_1", "visitor", "qa-*"),
          rule("exr_2", "sub_2", "visitor", "qa-*"),
          rule("exr_3", "sub_1", "ip", "qa-*"),
          rule("exr_4", "sub_1", "visitor", "QA-*"),
        ])
        .execute();
      await assert.rejects(
        store.db
          .insertInto("exclude_rules")
          .values(rule("exr_5", "sub_1", "visitor", "qa-*"))
          .execute(),
        /UNIQUE|unique/,
      );
      await assert.rejects(
        store.db
          .insertInto("exclude_rules")
          .values(rule("exr_6", "sub_missing", "visitor", "x"))
          .execute(),
        /FOREIGN KEY|foreign key/,
      );
      const revision = await store.db
        .selectFrom("cache_revisions")
        .select("revision")
        .where("name", "=", "exclude")
        .executeTakeFirst();
      assert.deepEqual(revision, { revision: 0 });
      await store.close();
    });

    test("feedback: one end user per external id, one vote per user and idea, and only valid statuses, quantities and account statuses", async () => {
      const { store } = await fresh();
      const db = store.db;
      for (const id of ["sub_1", "sub_2"]) {
        await db
          .insertInto("subscriptions")
          .values({ id, name: id, default_app_id: null, created_at: at })
          .execute();
      }
      const user = (id: string, subscription_id: string, external_id: string) => ({
        id,
        number: Number(id.slice("eusr_".length)),
        subscription_id,
        external_id,
        email: null,
        name: null,
        account_id: null,
        created_at: at,
        updated_at: at,
      });
      const account = { subscription_id: "sub_1", name: null, created_at: at, updated_at: at };
      await db
        .insertInto("feedback_accounts")
        .values({
          ...account,
          id: "eacc_1",
          number: 1,
          external_id: "acme",
          status: "not_paying",
          monthly_value: 12.5,
        })
        .execute();
      await assert.rejects(
        db
          .insertInto("feedback_accounts")
          .values({
            ...account,
            id: "eacc_2",
            number: 2,
            external_id: "other",
            status: "churned" as "paying",
          })
          .execute(),
        /CHECK|check/,
      );
      const stored = await db
        .selectFrom("feedback_accounts")
        .select(["monthly_value", "tags", "deleted_at"])
        .executeTakeFirstOrThrow();
      assert.deepEqual(stored, { monthly_value: 12.5, tags: "[]", deleted_at: null });
      await db
        .insertInto("feedback_end_users")
        .values([
          user("eusr_1", "sub_1", "123"),
          user("eusr_2", "sub_2", "123"),
          user("eusr_3", "sub_1", "456"),
        ])
        .execute();
      await assert.rejects(
        db
          .insertInto("feedback_end_users")
          .values(user("eusr_4", "sub_1", "123"))
          .execute(),
        /UNIQUE|unique/,
      );
      const idea = (id: string, status: string) => ({
        id,
        number: Number(id.slice("idea_".length)),
        subscription_id: "sub_1",
        title: "t",
        details: "",
        status: status as "new",
        status_changed_at: at,
        waiting_at: null,
        planned_at: null,
        developing_at: null,
        released_at: null,
        declined_at: null,
        product_area: null,
        tags: "[]",
        merged_into_id: null,
        creator_id: "eusr_1",
        created_by_key: "key_1",
        updated_by_key: "key_1",
        created_at: at,
        updated_at: at,
        deleted_at: null,
        deleted_by_key: null,
      });
      await db.insertInto("feedback_ideas").values(idea("idea_1", "new")).execute();
      await assert.rejects(
        db.insertInto("feedback_ideas").values(idea("idea_2", "shipped")).execute(),
        /CHECK|check/,
      );
      await assert.rejects(
        db
          .insertInto("feedback_ideas")
          .values({ ...idea("idea_3", "new"), merged_into_id: "idea_missing" })
          .execute(),
        /FOREIGN KEY|foreign key/,
      );
      const vote = (id: string, end_user_id: string, quantity: number) => ({
        id,
        idea_id: "idea_1",
        end_user_id,
        quantity,
        created_at: at,
        updated_at: at,
        updated_by_key: "key_1",
      });
      await db
        .insertInto("feedback_votes")
        .values([vote("vote_1", "eusr_1", 1_000_000), vote("vote_2", "eusr_3", -1)])
        .execute();
      await assert.rejects(
        db
          .insertInto("feedback_votes")
          .values(vote("vote_3", "eusr_1", 2))
          .execute(),
        /UNIQUE|unique/,
      );
      for (const quantity of [0, -2, 1_000_001]) {
        await db.deleteFrom("feedback_votes").where("end_user_id", "=", "eusr_3").execute();
        await assert.rejects(
          db
            .insertInto("feedback_votes")
            .values(vote("vote_4", "eusr_3", quantity))
            .execute(),
          /CHECK|check/,
          `quantity ${quantity}`,
        );
      }
      await store.close();
    });

    test("feedback webhooks: one hook per event and URL, known events only, unique delivery ids, valid states", async () => {
      const { store } = await fresh();
      const db = store.db;
      await db
        .insertInto("subscriptions")
        .values({ id: "sub_1", name: "A", default_app_id: null, created_at: at })
        .execute();
      const hook = (id: string, event: string, target_url = "https://a.example/") => ({
        id,
        subscription_id: "sub_1",
        event: event as "feature_created",
        target_url,
        created_by_key: "key_1",
        created_at: at,
        signing_secret: "cws_test",
      });
      await db.insertInto("feedback_hooks").values(hook("hook_1", "feature_created")).execute();
      await db.insertInto("feedback_hooks").values(hook("hook_2", "feature_status_changed")).execute();
      await assert.rejects(
        db.insertInto("feedback_hooks").values(hook("hook_3", "feature_created")).execute(),
        /UNIQUE|unique/,
      );
      await assert.rejects(
        db
          .insertInto("feedback_hooks")
          .values(hook("hook_4", "feature_deleted", "https://b.example/"))
          .execute(),
        /CHECK|check/,
      );
      const delivery = (id: string, delivery_id: string, hook_id = "hook_1") => ({
        id,
        hook_id,
        event: "feature_created" as const,
        payload: "{}",
        delivery_id,
        next_attempt_at: at,
        claimed_until: null,
        delivered_at: null,
        failed_at: null,
        last_error: null,
        created_at: at,
      });
      await db.insertInto("feedback_webhook_deliveries").values(delivery("whd_1", "dlv_1")).execute();
      const [row] = await db.selectFrom("feedback_webhook_deliveries").selectAll().execute();
      assert.equal(row?.state, "pending");
      assert.equal(row?.attempts, 0);
      await assert.rejects(
        db.insertInto("feedback_webhook_deliveries").values(delivery("whd_2", "dlv_1")).execute(),
        /UNIQUE|unique/,
      );
      await assert.rejects(
        db
          .insertInto("feedback_webhook_deliveries")
          .values(delivery("whd_3", "dlv_3", "hook_missing"))
          .execute(),
        /FOREIGN KEY|foreign key/,
      );
      await assert.rejects(
        db
          .updateTable("feedback_webhook_deliveries")
          .set({ state: "lost" as "failed" })
          .execute(),
        /CHECK|check/,
      );
      await store.close();
    });

    test("an app cannot point at a subscription that does not exist", async () => {
      const { store } = await fresh();
      await assert.rejects(
        store.db
          .insertInto("apps")
          .values({ id: "app_1", subscription_id: "sub_missing", name: "x", app_key: "k", created_at: at })
          .execute(),
        /FOREIGN KEY|foreign key/,
      );
      await store.close();
    });

    test("a failed transaction leaves nothing behind", async () => {
      const { store } = await fresh();
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await trx
            .insertInto("subscriptions")
            .values({ id: "sub_1", name: "A", default_app_id: null, created_at: at })
            .execute();
          throw new Error("abort");
        }),
        /abort/,
      );
      assert.deepEqual(await store.db.selectFrom("subscriptions").selectAll().execute(), []);
      await store.close();
    });

    test("numbers come back as numbers: flags, counts, sums and epoch milliseconds past 2^31", async () => {
      const { store } = await fresh();
      const { db } = store;
      await db
        .insertInto("subscriptions")
        .values({ id: "sub_1", name: "A", default_app_id: null, created_at: at })
        .execute();
      const lastUpdatedAt = Date.parse(at);
      await db
        .insertInto("guides")
        .values({
          id: "gde_1",
          subscription_id: "sub_1",
          app_id: "app_1",
          name: "Welcome",
          state: "draft",
          launch_method: "auto",
          priority: 1,
          starts_at: null,
          ends_at: null,
          segment_id: null,
          page_id: null,
          url_rule: null,
          activation_selector: null,
          staged_visitor_ids: "[]",
          created_at: at,
          created_by: "usr_1",
          updated_at: at,
          updated_by: "usr_1",
          published_at: null,
          last_updated_at: lastUpdatedAt,
        })
        .execute();
      await db
        .insertInto("bulk_deletes")
        .values({
          id: "bdel_1",
          subscription_id: "sub_1",
          kind: "visitor",
          requested: 2,
          state: "complete",
          removed_profiles: 2,
          removed_events: 5_000_000_000,
          created_at: at,
          created_by: "key_1",
          finished_at: at,
        })
        .execute();
      const guide = await db
        .selectFrom("guides")
        .select(["last_updated_at", "priority"])
        .executeTakeFirstOrThrow();
      assert.deepEqual(guide, { last_updated_at: lastUpdatedAt, priority: 1 });
      const deleted = await db.selectFrom("bulk_deletes").select("removed_events").executeTakeFirstOrThrow();
      assert.equal(deleted.removed_events, 5_000_000_000);
      const totals = await db
        .selectFrom("guides")
        .select((eb) => [
          eb.fn.countAll<number>().as("n"),
          eb.fn.sum<number>("priority").as("sum"),
          eb.fn.max<number>("last_updated_at").as("max"),
        ])
        .executeTakeFirstOrThrow();
      assert.deepEqual(totals, { n: 1, sum: 1, max: lastUpdatedAt });
      const subscription = await db
        .selectFrom("subscriptions")
        .select(["integration_keys_enabled", "auto_guide_throttle_hours"])
        .executeTakeFirstOrThrow();
      assert.deepEqual(subscription, { integration_keys_enabled: 0, auto_guide_throttle_hours: 0 });
      await store.close();
    });

    test("text sorts by code point and lower() folds ASCII, as the services expect", async () => {
      const { store } = await fresh();
      for (const [id, name] of [
        ["sub_a", "alpha"],
        ["sub_B", "Beta"],
        ["sub_0", "zero"],
      ]) {
        await store.db
          .insertInto("subscriptions")
          .values({ id: id as string, name: name as string, default_app_id: null, created_at: at })
          .execute();
      }
      const ids = await store.db.selectFrom("subscriptions").select("id").orderBy("id").execute();
      assert.deepEqual(
        ids.map((r) => r.id),
        ["sub_0", "sub_B", "sub_a"],
        "digits, then upper case, then lower case",
      );
      const found = await store.db
        .selectFrom("subscriptions")
        .select("id")
        .where(sql`lower(name)`, "=", "beta")
        .execute();
      assert.deepEqual(found, [{ id: "sub_B" }]);
      const like = await store.db
        .selectFrom("subscriptions")
        .select("id")
        .where(sql<boolean>`lower(name) like ${"%ALP%".toLowerCase()}`)
        .execute();
      assert.deepEqual(like, [{ id: "sub_a" }]);
      await store.close();
    });
  });
}
