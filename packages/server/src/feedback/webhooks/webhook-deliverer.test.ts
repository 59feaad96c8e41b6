import assert from "node:assert/strict";
import { before, test } from "node:test";
import { installedStore } from "../../start/test-support/installed-store.js";
import type { MetadataStore } from "../../store/metadata/metadata-store.js";
import { createIdea, type FeedbackCaller } from "../ideas/idea-service.js";
import { createHook } from "./hook-service.js";
import { localReceiverPolicy, sleep, startReceiver, until } from "./test-support/webhook-receiver.js";
import { claimDelivery, retryDelayMs, startWebhookDeliverer, webhookDefaults } from "./webhook-deliverer.js";

let store: MetadataStore;
let caller: FeedbackCaller;
const user = { id: "u-1" };

before(async () => {
  const installed = await installedStore();
  store = installed.store;
  caller = { subscriptionId: installed.installation.subscription.id, keyId: "key_test" };
});

async function reset(): Promise<void> {
  await store.db.deleteFrom("feedback_webhook_deliveries").execute();
  await store.db.deleteFrom("feedback_hooks").execute();
}

test("retries wait 1 s, 2 s, 4 s … up to 10 minutes", () => {
  const { retryBaseMs, retryCapMs } = webhookDefaults;
  assert.deepEqual(
    [1, 2, 3, 4, 10, 11, 50].map((n) => retryDelayMs(n, retryBaseMs, retryCapMs)),
    [1000, 2000, 4000, 8000, 512_000, 600_000, 600_000],
  );
});

test("a claim is exclusive until its lease ends, and a delivered delivery cannot be claimed", async () => {
  await reset();
  await createHook(
    store.db,
    caller,
    { event: "feature_created", targetUrl: "https://claim.example/" },
    localReceiverPolicy,
  );
  await createIdea(store.db, caller, { title: "claimed", user });
  const row = await store.db.selectFrom("feedback_webhook_deliveries").select("id").executeTakeFirstOrThrow();
  const t0 = new Date("2026-11-30T00:00:00.000Z");
  const later = (ms: number) => new Date(t0.getTime() + ms);
  assert.equal(await claimDelivery(store.db, row.id, t0, 1000), true, "the first server takes it");
  assert.equal(await claimDelivery(store.db, row.id, later(999), 1000), false, "another waits for the lease");
  assert.equal(
    await claimDelivery(store.db, row.id, later(1001), 1000),
    true,
    "a dead server's lease runs out",
  );
  await store.db
    .updateTable("feedback_webhook_deliveries")
    .set({ state: "delivered", claimed_until: null })
    .where("id", "=", row.id)
    .execute();
  assert.equal(await claimDelivery(store.db, row.id, later(5000), 1000), false, "delivered stays delivered");
});

test("two deliverers sharing the store send each delivery once: a delivery is claimed before it is sent", async () => {
  await reset();
  const receiver = await startReceiver(() => 200, { delayMs: 50 });
  await createHook(
    store.db,
    caller,
    { event: "feature_created", targetUrl: receiver.url },
    localReceiverPolicy,
  );
  for (let i = 0; i < 6; i++) await createIdea(store.db, caller, { title: `idea ${i}`, user });
  const a = startWebhookDeliverer(store.db, {
    policy: localReceiverPolicy,
    pollMs: 5,
  });
  const b = startWebhookDeliverer(store.db, {
    policy: localReceiverPolicy,
    pollMs: 5,
  });
  try {
    await until(() => receiver.delivered().size === 6, "six deliveries");
    await sleep(100);
    assert.deepEqual([...receiver.delivered().values()], [1, 1, 1, 1, 1, 1]);
    assert.equal(receiver.received.length, 6);
  } finally {
    await a.close();
    await b.close();
    await receiver.close();
  }
});

test("a delivery failing past giveUpAfterMs is given up, with its error recorded", async () => {
  await reset();
  const receiver = await startReceiver(() => 503);
  await createHook(
    store.db,
    caller,
    { event: "feature_created", targetUrl: receiver.url },
    localReceiverPolicy,
  );
  await createIdea(store.db, caller, { title: "never accepted", user });
  const problems: string[] = [];
  const deliverer = startWebhookDeliverer(store.db, {
    policy: localReceiverPolicy,
    pollMs: 5,
    retryBaseMs: 5,
    giveUpAfterMs: 0,
    onProblem: (p) => problems.push(p.kind),
  });
  try {
    const row = () =>
      store.db.selectFrom("feedback_webhook_deliveries").selectAll().executeTakeFirstOrThrow();
    await until(async () => (await row()).state === "failed", "the delivery to be given up");
    await sleep(50);
    const failed = await row();
    assert.equal(failed.attempts, 1);
    assert.equal(failed.last_error, "HTTP 503");
    assert.ok(failed.failed_at);
    assert.equal(receiver.received.length, 1, "not sent again");
    assert.deepEqual(problems, ["gave_up"]);
  } finally {
    await deliverer.close();
    await receiver.close();
  }
});

test("a redirect is not followed and counts as a failure", async () => {
  await reset();
  const receiver = await startReceiver(() => 307);
  await createHook(
    store.db,
    caller,
    { event: "feature_created", targetUrl: receiver.url },
    localReceiverPolicy,
  );
  await createIdea(store.db, caller, { title: "redirected", user });
  const deliverer = startWebhookDeliverer(store.db, {
    policy: localReceiverPolicy,
    pollMs: 5,
    retryBaseMs: 60_000,
  });
  try {
    const row = () =>
      store.db.selectFrom("feedback_webhook_deliveries").selectAll().executeTakeFirstOrThrow();
    await until(async () => (await row()).attempts === 1, "one attempt");
    assert.equal((await row()).state, "pending");
    assert.equal((await row()).last_error, "HTTP 307");
  } finally {
    await deliverer.close();
    await receiver.close();
  }
});

test("closing aborts a request in flight without counting it; the delivery is sent again later", async () => {
  await reset();
  const slow = await startReceiver(() => 200, { delayMs: 5_000 });
  await createHook(store.db, caller, { event: "feature_created", targetUrl: slow.url }, localReceiverPolicy);
  await createIdea(store.db, caller, { title: "cut short", user });
  const deliverer = startWebhookDeliverer(store.db, {
    policy: localReceiverPolicy,
    pollMs: 5,
  });
  try {
    await until(() => slow.received.length === 1, "the request to arrive");
    const started = Date.now();
    await deliverer.close();
    assert.ok(Date.now() - started < 1000, "close does not wait for the receiver");
    const row = await store.db
      .selectFrom("feedback_webhook_deliveries")
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.equal(row.state, "pending");
    assert.equal(row.attempts, 0);
    assert.equal(row.claimed_until, null, "released for the next server");
  } finally {
    await deliverer.close();
    await slow.close();
  }
});
