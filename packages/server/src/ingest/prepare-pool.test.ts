import assert from "node:assert/strict";
import { after, test } from "node:test";
import { threadId } from "node:worker_threads";
import { encodeJzb } from "../collect/jzb.js";
import type { BeaconContext } from "./prepare-batch.js";
import { createPreparePool } from "./prepare-pool.js";

const beacon = (events: unknown, extra: Partial<BeaconContext> = {}): BeaconContext => ({
  jzb: typeof events === "string" ? events : encodeJzb(events),
  batchKey: "batch-1",
  subscriptionId: "sub_test",
  appId: "app_test",
  receivedAt: 1_795_416_050_000,
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0.0.0 Safari/537.36",
  excludeRules: [],
  ...extra,
});

const text = (rows: Uint8Array) => Buffer.from(rows).toString("utf8");
const workers = createPreparePool({ threads: 1 });
const inThread = createPreparePool({ threads: 0 });
after(() => workers.close());

test("a worker thread prepares beacons exactly as the calling thread does, one result per beacon", async () => {
  const at = 1_795_416_049_000;
  const contexts = [
    beacon([
      {
        type: "load",
        browser_time: at,
        visitor_id: "v1",
        account_id: "acme",
        url: "https://app.example.com/",
        props: {},
      },
      { type: "nonsense", visitor_id: "v1" },
    ]),
    beacon(
      [
        {
          type: "meta",
          browser_time: at,
          visitor_id: "qa-1",
          props: { visitor: { id: "qa-1", plan: "pro" } },
        },
      ],
      {
        excludeRules: [{ kind: "visitor", pattern: "qa-*" }],
      },
    ),
    beacon("eJzzSM3JyVcozy_KSQEAGKsEPQ"), // zlib of "Hello world" is not JSON: an undecodable beacon
  ];
  const [fromWorker, fromThread] = await Promise.all([workers.prepare(contexts), inThread.prepare(contexts)]);
  const withoutIds = (batches: typeof fromWorker) =>
    batches.map((b) => ({ ...b, rows: text(b.rows).replace(/"event_id":"[^"]+"/g, '"event_id":"x"') }));
  assert.deepEqual(withoutIds(fromWorker), withoutIds(fromThread));
  assert.equal(fromWorker.length, 3);
  assert.equal(fromWorker[0]?.count, 1);
  assert.deepEqual(fromWorker[0]?.drops, { unknown_type: 1 });
  const excluded = text(fromWorker[1]?.rows ?? new Uint8Array(0))
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as { excluded: boolean });
  assert.deepEqual(
    excluded.map((row) => row.excluded),
    [true],
    "the Exclude List rules travel with the beacon",
  );
  assert.deepEqual(fromWorker[1]?.profiles.visitors[0]?.agentMetadata, '{"plan":"pro"}');
  assert.deepEqual(fromWorker[2], {
    rows: new Uint8Array(0),
    count: 0,
    profiles: { visitors: [], accounts: [], aliases: [] },
    drops: { undecodable: 1 },
  });
  assert.equal(threadId, 0, "the test itself runs on the main thread");
});

test("events of visitors marked do-not-process are dropped, on a worker thread as on the calling thread", async () => {
  const marked: Record<string, string[]> = { sub_test: ["gone", "also-gone"] };
  const lookup = (subscriptionId: string) => marked[subscriptionId];
  const pools = [
    createPreparePool({ threads: 1, doNotProcess: lookup }),
    createPreparePool({ threads: 0, doNotProcess: lookup }),
  ];
  try {
    const load = (visitorId: string) => ({
      type: "load",
      visitor_id: visitorId,
      url: "https://a.example/",
      props: {},
    });
    const meta = {
      type: "meta",
      visitor_id: "gone",
      props: { visitor: { id: "gone", email: "x@example.com" } },
    };
    const contexts = [
      beacon([load("kept"), load("gone"), meta, load("also-gone")]),
      beacon([load("gone")], { subscriptionId: "sub_other" }), // marked in another subscription only
    ];
    for (const pool of pools) {
      const [first, second] = await pool.prepare(contexts);
      assert.equal(first?.count, 1);
      assert.deepEqual(first?.drops, { do_not_process: 3 });
      assert.match(text(first?.rows ?? new Uint8Array()), /"visitor_id":"kept"/);
      assert.doesNotMatch(text(first?.rows ?? new Uint8Array()), /gone/);
      assert.deepEqual(
        first?.profiles.visitors.map((v) => v.visitorId),
        ["kept"],
        "no metadata, visit or alias of a marked visitor",
      );
      assert.equal(second?.count, 1, "another subscription's visitor of the same id is not marked");
    }
  } finally {
    for (const pool of pools) await pool.close();
  }
});
