import assert from "node:assert/strict";
import { before, test } from "node:test";
import { sql } from "kysely";
import { installedStore, otherSubscription } from "../../start/test-support/installed-store.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { addComment } from "../ideas/comment-service.js";
import {
  createIdea,
  type FeedbackCaller,
  getIdea,
  listStatusChanges,
  updateIdea,
} from "../ideas/idea-service.js";
import { createHook } from "./hook-service.js";
import { enqueueWebhookEvent, type WebhookBody } from "./webhook-outbox.js";
import { strictWebhookPolicy } from "./webhook-policy.js";

let store: MetadataStore;
let caller: FeedbackCaller;
let other: FeedbackCaller;
const user = { id: "u-1" };

before(async () => {
  const installed = await installedStore();
  store = installed.store;
  caller = { subscriptionId: installed.installation.subscription.id, keyId: "key_test" };
  other = { subscriptionId: (await otherSubscription(store)).subscriptionId, keyId: "key_other" };
});

async function deliveries() {
  const rows = await store.db
    .selectFrom("feedback_webhook_deliveries")
    .selectAll()
    .orderBy("created_at")
    .execute();
  return rows.map((row) => ({ ...row, body: JSON.parse(row.payload) as WebhookBody }));
}

async function clearDeliveries(): Promise<void> {
  await store.db.deleteFrom("feedback_webhook_deliveries").execute();
}

test("without hooks, changes write no deliveries", async () => {
  const idea = await createIdea(store.db, caller, { title: "No hooks yet", user });
  await updateIdea(store.db, caller, idea.id, { status: "planned" });
  await addComment(store.db, caller, idea.id, { user, text: "hi" });
  assert.deepEqual(await deliveries(), []);
});

test("each change writes one delivery per matching hook of its own subscription, with the idea as the API shows it", async () => {
  const hooks = [];
  for (const event of ["feature_created", "feature_status_changed", "feature_comment_created"] as const) {
    hooks.push(
      (
        await createHook(
          store.db,
          caller,
          { event, targetUrl: `https://a.example/${event}` },
          strictWebhookPolicy,
        )
      ).hook,
    );
  }
  const second = (
    await createHook(
      store.db,
      caller,
      { event: "feature_created", targetUrl: "https://b.example/" },
      strictWebhookPolicy,
    )
  ).hook;
  // Another subscription's hook never hears of this subscription's ideas.
  await createHook(
    store.db,
    other,
    { event: "feature_created", targetUrl: "https://other.example/" },
    strictWebhookPolicy,
  );

  const idea = await createIdea(store.db, caller, { title: "Dark mode", user });
  let rows = await deliveries();
  assert.deepEqual(rows.map((r) => r.hook_id).sort(), [hooks[0]?.id, second.id].sort());
  for (const row of rows) {
    assert.equal(row.event, "feature_created");
    assert.equal(row.state, "pending");
    assert.equal(row.attempts, 0);
    assert.equal(row.body.deliveryId, row.delivery_id);
    assert.equal(row.body.event, "feature_created");
    assert.equal(row.body.occurredAt, idea.createdAt);
    assert.deepEqual(row.body.data, JSON.parse(JSON.stringify(idea)));
  }
  assert.notEqual(rows[0]?.delivery_id, rows[1]?.delivery_id, "one delivery id per hook");
  await clearDeliveries();

  await updateIdea(store.db, caller, idea.id, { title: "Dark mode, please" });
  await updateIdea(store.db, caller, idea.id, { status: "new" });
  assert.deepEqual(await deliveries(), [], "no status change, no event");
  const planned = await updateIdea(store.db, caller, idea.id, { status: "planned" });
  rows = await deliveries();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.event, "feature_status_changed");
  assert.equal(rows[0]?.hook_id, hooks[1]?.id);
  assert.deepEqual(rows[0]?.body.data, JSON.parse(JSON.stringify(planned)));
  await clearDeliveries();

  const comment = await addComment(store.db, caller, idea.id, { user, text: "<i>yes</i>" });
  rows = await deliveries();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.event, "feature_comment_created");
  assert.deepEqual(rows[0]?.body.data, {
    ...JSON.parse(JSON.stringify(await getIdea(store.db, caller, idea.id))),
    comment: JSON.parse(JSON.stringify(comment)),
  });
  await clearDeliveries();
  await store.db.deleteFrom("feedback_hooks").execute();
});

test("deliveries are written in the change's transaction: when either fails, neither is kept", async () => {
  await createHook(
    store.db,
    caller,
    { event: "feature_created", targetUrl: "https://tx.example/c" },
    strictWebhookPolicy,
  );
  await createHook(
    store.db,
    caller,
    { event: "feature_status_changed", targetUrl: "https://tx.example/s" },
    strictWebhookPolicy,
  );
  await createHook(
    store.db,
    caller,
    { event: "feature_comment_created", targetUrl: "https://tx.example/m" },
    strictWebhookPolicy,
  );
  const idea = await createIdea(store.db, caller, { title: "Before the outbox breaks", user });
  await clearDeliveries();
  const ideasBefore = (await store.db.selectFrom("feedback_ideas").select("id").execute()).length;
  const commentsBefore = (await store.db.selectFrom("feedback_comments").select("id").execute()).length;

  // The outbox write fails: the change it reports must not be kept without it.
  await sql`create trigger outbox_down before insert on feedback_webhook_deliveries
    begin select raise(abort, 'outbox down'); end`.execute(store.db);
  try {
    await assert.rejects(createIdea(store.db, caller, { title: "Lost?", user }), /outbox down/);
    await assert.rejects(updateIdea(store.db, caller, idea.id, { status: "released" }), /outbox down/);
    await assert.rejects(addComment(store.db, caller, idea.id, { user, text: "lost?" }), /outbox down/);
  } finally {
    await sql`drop trigger outbox_down`.execute(store.db);
  }
  assert.equal((await store.db.selectFrom("feedback_ideas").select("id").execute()).length, ideasBefore);
  assert.equal((await getIdea(store.db, caller, idea.id)).status, "new");
  assert.deepEqual(
    (await listStatusChanges(store.db, caller, idea.id)).map((c) => c.to),
    ["new"],
  );
  assert.equal(
    (await store.db.selectFrom("feedback_comments").select("id").execute()).length,
    commentsBefore,
  );

  // The change fails after its delivery was written: no delivery is kept for what did not happen.
  await assert.rejects(
    store.db.transaction().execute(async (trx) => {
      assert.equal(
        await enqueueWebhookEvent(trx, caller.subscriptionId, "feature_created", { id: "x" }, "t"),
        1,
      );
      throw new Error("change rolled back");
    }),
    /rolled back/,
  );
  assert.deepEqual(await deliveries(), []);
  await store.db.deleteFrom("feedback_hooks").execute();
});
