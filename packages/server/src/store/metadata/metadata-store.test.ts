import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { tempDir } from "../../test-support/temp-dir.js";
import type { MetadataStore } from "./metadata-store.js";
import { metadataMigrations } from "./migrations/index.js";
import { openSqliteStore } from "./sqlite/open-sqlite-store.js";

/** Every engine passes the same suite; a server engine adds its entry here, opened against a real server. */
const engines: Array<{ name: string; open: (dir: string) => Promise<MetadataStore> }> = [
  { name: "sqlite", open: async (dir) => openSqliteStore(path.join(dir, "metadata.sqlite")) },
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
  });
}
