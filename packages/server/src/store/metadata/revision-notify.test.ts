import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { testPostgresUrl } from "../../start/test-support/postgres-cluster.js";
import { openPostgresStore } from "./postgres/open-postgres-store.js";
import { watchRevision } from "./revision-watcher.js";

// A poll this slow cannot pass the test: only the pushed notification can.
const pollMs = 10_000;

test("on PostgreSQL a revision bumped through one store reaches a watcher on another at once", async () => {
  const url = await testPostgresUrl("notify");
  const writer = await openPostgresStore(url);
  const reader = await openPostgresStore(url);
  try {
    await writer.migrate();
    assert.ok(reader.onRevision, "PostgreSQL pushes revisions");
    const seen: Array<{ name: string; ms: number }> = [];
    let bumpedAt = 0;
    let arrived: () => void = () => {};
    const watchers = ["keys", "guides"].map((name) =>
      watchRevision(
        reader.db,
        name,
        pollMs,
        () => {
          seen.push({ name, ms: Date.now() - bumpedAt });
          arrived();
        },
        reader.onRevision,
      ),
    );
    for (const watcher of watchers) await watcher.ready();
    // The listening connection opens on the first subscription: wait until the server has it.
    for (let i = 0; ; i++) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where query ilike 'LISTEN%'`.execute(writer.db);
      if ((rows[0]?.n ?? 0) > 0) break;
      assert.ok(i < 200, "the reader never started listening");
      await new Promise((r) => setTimeout(r, 10));
    }

    // Not before the commit: a rolled-back bump notifies nobody.
    await writer.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .updateTable("cache_revisions")
          .set((eb) => ({ revision: eb("revision", "+", 1) }))
          .where("name", "=", "keys")
          .execute();
        throw new Error("roll back");
      })
      .catch(() => {});

    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    bumpedAt = Date.now();
    await writer.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("cache_revisions")
        .set((eb) => ({ revision: eb("revision", "+", 1) }))
        .where("name", "=", "keys")
        .execute();
    });
    await arrival;
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      seen.map((s) => s.name),
      ["keys"],
      "only the bumped counter's watcher, once, after the commit",
    );
    assert.ok((seen[0]?.ms ?? Infinity) < 500, `arrived after ${seen[0]?.ms} ms`);
    for (const watcher of watchers) watcher.close();
  } finally {
    await reader.close();
    await writer.close();
  }
});

test("after its listening connection is cut, a store listens again; a change made meanwhile arrives", async () => {
  const url = await testPostgresUrl("notify_reconnect");
  const writer = await openPostgresStore(url);
  const reader = await openPostgresStore(url);
  try {
    await writer.migrate();
    let changes = 0;
    const watcher = watchRevision(reader.db, "exclude", pollMs, () => changes++, reader.onRevision);
    await watcher.ready();
    const listeners = async () =>
      (
        await sql<{ pid: number }>`
          select pid from pg_stat_activity where query ilike 'LISTEN%'`.execute(writer.db)
      ).rows;
    const until = async (check: () => Promise<boolean>, what: string) => {
      for (let i = 0; !(await check()); i++) {
        assert.ok(i < 500, what);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await until(async () => (await listeners()).length === 1, "never listened");
    const [first] = await listeners();
    await sql`select pg_terminate_backend(${first?.pid})`.execute(writer.db);
    // Bumped while the listener is away (it waits 100 ms before reconnecting): that notification is lost, and
    // coming back reads the revision, which has moved. The poll (10 s) cannot deliver it in time.
    await writer.db
      .updateTable("cache_revisions")
      .set((eb) => ({ revision: eb("revision", "+", 1) }))
      .where("name", "=", "exclude")
      .execute();
    await until(
      async () => (await listeners()).some((l) => l.pid !== first?.pid),
      "did not listen again after the connection was cut",
    );
    await until(async () => changes === 1, "the change made while away was not reported");
    const before = changes;
    await writer.db
      .updateTable("cache_revisions")
      .set((eb) => ({ revision: eb("revision", "+", 1) }))
      .where("name", "=", "exclude")
      .execute();
    await until(async () => changes > before, "a change after reconnecting did not arrive");
    watcher.close();
  } finally {
    await reader.close();
    await writer.close();
  }
});

test("a connection cut inside a transaction fails that transaction, not the process; the store goes on", async () => {
  const url = await testPostgresUrl("cut-connection");
  const store = await openPostgresStore(url);
  const killer = await openPostgresStore(url);
  try {
    await store.migrate();
    const failed = store.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(killer.db);
      // The cut arrives while the transaction holds the connection between two statements: without a
      // listener on the checked-out connection, its error event would end the test process here.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sql`select 1`.execute(trx);
    });
    await assert.rejects(failed, /terminat|Connection|closed/i);
    const { rows } = await sql<{ n: number }>`select 1 as n`.execute(store.db);
    assert.deepEqual(rows, [{ n: 1 }], "a new connection serves the next query");
  } finally {
    await killer.close();
    await store.close();
  }
});

test("a pushed change reloads a cache once, not once more when the poll reads the same change", async () => {
  const url = await testPostgresUrl("notify_once");
  const writer = await openPostgresStore(url);
  const reader = await openPostgresStore(url);
  try {
    await writer.migrate();
    let changes = 0;
    const watcher = watchRevision(reader.db, "keys", 20, () => changes++, reader.onRevision);
    await watcher.ready();
    await new Promise((resolve) => setTimeout(resolve, 300)); // listening by now
    for (let bump = 1; bump <= 3; bump++) {
      await writer.db
        .updateTable("cache_revisions")
        .set((eb) => ({ revision: eb("revision", "+", 1) }))
        .where("name", "=", "keys")
        .execute();
      await new Promise((resolve) => setTimeout(resolve, 200)); // ten polls
      assert.equal(changes, bump, `bump ${bump}`);
    }
    watcher.close();
  } finally {
    await reader.close();
    await writer.close();
  }
});
