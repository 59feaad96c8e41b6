import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { CairnError } from "../../platform/errors/cairn-error.js";
import { installedStore, otherSubscription } from "../../start/test-support/installed-store.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import {
  createSegment,
  deleteSegment,
  getSegment,
  patchSegmentVisitors,
  replaceSegment,
  segmentStatus,
  segmentVisitorIds,
} from "./segment-service.js";

let store: MetadataStore;
let subscriptionId: string;
const actor = { id: "cli" };

before(async () => {
  const installed = await installedStore();
  store = installed.store;
  subscriptionId = installed.installation.subscription.id;
  await otherSubscription(store);
});
after(() => store.close());

const ids = (n: number, prefix = "visitor-") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test("a segment of 100,000 visitors is stored row by row, patched and replaced by the rows it touches", async () => {
  const started = performance.now();
  const segment = await createSegment(
    store.db,
    subscriptionId,
    { name: "Everyone", visitors: ids(100_000) },
    actor,
    { createdByApi: false },
  );
  const uploadMs = performance.now() - started;
  assert.equal(segment.visitorCount, 100_000);
  assert.equal(segment.createdByApi, false);
  // Generous: the point is batching (one row per statement would take minutes on a shared machine).
  assert.ok(uploadMs < 20_000, `uploaded in ${Math.round(uploadMs)} ms`);
  const visitors = await segmentVisitorIds(store.db, subscriptionId, segment.id);
  assert.equal(visitors?.length, 100_000);
  assert.equal(new Set(visitors).size, 100_000);

  await patchSegmentVisitors(
    store.db,
    subscriptionId,
    segment.id,
    [
      { op: "remove", value: ids(50_000) },
      { op: "add", value: ids(10, "late-") },
    ],
    actor,
  );
  assert.equal((await getSegment(store.db, subscriptionId, segment.id)).visitorCount, 50_010);
  await replaceSegment(store.db, subscriptionId, segment.id, { visitors: ["only-one"] }, actor);
  assert.deepEqual(await segmentVisitorIds(store.db, subscriptionId, segment.id), ["only-one"]);
  await deleteSegment(store.db, subscriptionId, segment.id, actor);
  const left = await store.db.selectFrom("segment_visitors").select("visitor_id").execute();
  assert.equal(left.length, 0);
});

test("of two writes to one segment at once, the second is refused with 409 and the first lands whole", async () => {
  const segment = await createSegment(store.db, subscriptionId, { name: "Busy", visitors: ["a"] }, actor, {
    createdByApi: true,
  });
  const outcomes = await Promise.allSettled([
    patchSegmentVisitors(store.db, subscriptionId, segment.id, [{ op: "add", value: ids(20_000) }], actor),
    patchSegmentVisitors(store.db, subscriptionId, segment.id, [{ op: "add", value: ["b"] }], actor),
  ]);
  assert.equal(outcomes[0].status, "fulfilled");
  assert.equal(outcomes[1].status, "rejected");
  const refusal = (outcomes[1] as PromiseRejectedResult).reason as CairnError;
  assert.ok(refusal instanceof CairnError);
  assert.deepEqual([refusal.status, refusal.code], [409, "conflict"]);
  assert.match(refusal.message, /Operation in progress/);
  const after = await getSegment(store.db, subscriptionId, segment.id);
  assert.equal(after.visitorCount, 20_001);
  assert.equal((await segmentStatus(store.db, subscriptionId, segment.id)).state, "complete");
  // The lease was freed: the next write goes through.
  await patchSegmentVisitors(store.db, subscriptionId, segment.id, [{ op: "add", value: ["b"] }], actor);
  assert.equal((await getSegment(store.db, subscriptionId, segment.id)).visitorCount, 20_002);
});

test("a write that fails frees the segment and changes nothing", async () => {
  const segment = await createSegment(store.db, subscriptionId, { name: "Fragile", visitors: ["a"] }, actor, {
    createdByApi: true,
  });
  const tag = (await segmentStatus(store.db, subscriptionId, segment.id)).entityTagId;
  await assert.rejects(
    replaceSegment(store.db, subscriptionId, segment.id, { visitors: ["b", 7 as unknown as string] }, actor),
    /visitors\[1\]/,
  );
  // A failure inside the write's transaction, after some of its rows went in: the store refuses one row.
  await sql`CREATE TRIGGER refuse_c BEFORE INSERT ON segment_visitors WHEN NEW.visitor_id = 'c'
    BEGIN SELECT RAISE(ABORT, 'refused'); END`.execute(store.db);
  await assert.rejects(
    patchSegmentVisitors(
      store.db,
      subscriptionId,
      segment.id,
      [
        { op: "add", value: ["b"] },
        { op: "add", value: ["c"] },
      ],
      actor,
    ),
    /refused/,
  );
  assert.deepEqual(await segmentVisitorIds(store.db, subscriptionId, segment.id), ["a"]);
  const status = await segmentStatus(store.db, subscriptionId, segment.id);
  assert.deepEqual([status.state, status.entityTagId], ["complete", tag]);
  await patchSegmentVisitors(store.db, subscriptionId, segment.id, [{ op: "add", value: ["b"] }], actor);
  assert.deepEqual(await segmentVisitorIds(store.db, subscriptionId, segment.id), ["a", "b"]);
});

test("another subscription's segment is unknown to every call", async () => {
  const segment = await createSegment(store.db, "sub_other", { name: "Theirs", visitors: ["x"] }, actor, {
    createdByApi: true,
  });
  assert.equal(await segmentVisitorIds(store.db, subscriptionId, segment.id), undefined);
  for (const attempt of [
    () => getSegment(store.db, subscriptionId, segment.id),
    () => segmentStatus(store.db, subscriptionId, segment.id),
    () => patchSegmentVisitors(store.db, subscriptionId, segment.id, [{ op: "add", value: ["y"] }], actor),
    () => deleteSegment(store.db, subscriptionId, segment.id, actor),
  ]) {
    await assert.rejects(attempt(), (error: CairnError) => error.status === 404);
  }
  assert.deepEqual(await segmentVisitorIds(store.db, "sub_other", segment.id), ["x"]);
});
