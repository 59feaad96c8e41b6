import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import {
  freePort,
  localReceiverSettings,
  type Receiver,
  sleep,
  startReceiver,
  until,
} from "../webhooks/test-support/webhook-receiver.js";

let cairn: RunningCairn;
let feedbackKey: string;
let integrationKey: string;
let otherKey: string;
const pollMs = 20;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("hooks"), port: "0", logLevel: "silent", ...localReceiverSettings },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { webhooks: { pollMs, retryBaseMs: 50, retryCapMs: 400 } });
  const every = await keysOfEveryKind(cairn);
  feedbackKey = every.feedback;
  integrationKey = every.integration;
  otherKey = await otherSubscriptionKey(cairn, "feedback");
});
after(() => cairn.shutdown());

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  key: string = feedbackKey,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { "X-Pendo-Integration-Key": key };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${cairn.publicUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === "" ? null : JSON.parse(text)) as T };
}

type ErrorBody = { error: { code: string; message: string } };
const user = { id: "u-1", email: "u1@example.com" };

async function subscribe(event: string, targetUrl: string, key = feedbackKey) {
  const answer = await call<{
    id: string;
    event: string;
    targetUrl: string;
    createdAt: string;
    secret: string;
  }>("POST", "/api/v1/hooks", { event, target_url: targetUrl }, key);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

async function createIdea(title: string): Promise<string> {
  const created = await call<{ id: string }>("POST", "/api/v1/ideas", { title, user });
  assert.equal(created.status, 201);
  return created.body.id;
}

async function unsubscribe(receiver: { url: string }): Promise<number> {
  const answer = await call<{ removed: number }>("POST", "/api/v1/hooks/unsubscribe", {
    target_url: receiver.url,
  });
  assert.equal(answer.status, 200);
  return answer.body.removed;
}

test("done when: a receiver that fails twice, then succeeds, gets every event exactly once", async () => {
  const receiver = await startReceiver((n) => (n < 2 ? 500 : 200));
  try {
    for (const event of ["feature_created", "feature_status_changed", "feature_comment_created"]) {
      const hook = await subscribe(event, receiver.url);
      assert.deepEqual(Object.keys(hook).sort(), ["createdAt", "event", "id", "secret", "targetUrl"]);
      assert.match(hook.id, /^hook_/);
      assert.equal(hook.targetUrl, receiver.url);
    }
    const ideaId = await createIdea("Dark mode");
    assert.equal((await call("PATCH", `/api/v1/ideas/${ideaId}`, { status: "planned" })).status, 200);
    const comment = await call<{ id: string }>("POST", `/api/v1/ideas/${ideaId}/comments`, {
      user,
      text: "Me too <b>please</b>",
    });
    assert.equal(comment.status, 201);

    await until(() => receiver.delivered().size === 3, "three deliveries");
    // Several more polls: nothing delivered is sent again.
    await sleep(pollMs * 15);

    const delivered = receiver.delivered();
    assert.deepEqual([...delivered.values()], [1, 1, 1], "each delivery answered 2xx exactly once");
    const ok = receiver.received.filter((r) => r.status === 200);
    assert.equal(ok.length, 3);
    assert.deepEqual(ok.map((r) => r.body.event).sort(), [
      "feature_comment_created",
      "feature_created",
      "feature_status_changed",
    ]);
    for (const r of ok) {
      assert.equal(r.body.data.id, ideaId);
      assert.equal(r.headers["x-cairn-delivery"], r.body.deliveryId);
      assert.equal(r.headers["x-cairn-event"], r.body.event);
      assert.match(String(r.headers["content-type"]), /^application\/json/);
      assert.match(r.body.deliveryId, /^dlv_/);
      assert.ok(!Number.isNaN(Date.parse(r.body.occurredAt)));
    }
    const byEvent = new Map(ok.map((r) => [r.body.event, r.body]));
    assert.equal(byEvent.get("feature_created")?.data.status, "new");
    assert.equal(byEvent.get("feature_status_changed")?.data.status, "planned");
    assert.equal(byEvent.get("feature_comment_created")?.data.comment?.id, comment.body.id);
    assert.equal(byEvent.get("feature_comment_created")?.data.comment?.text, "Me too <b>please</b>");
    // The idea in the payload is the idea as the API answers it, at the time of the event.
    const created = byEvent.get("feature_created")?.data as Record<string, unknown> | undefined;
    assert.deepEqual(
      Object.keys(created ?? {}).sort(),
      Object.keys((await call("GET", `/api/v1/ideas/${ideaId}`)).body).sort(),
    );

    const failed = receiver.received.filter((r) => r.status !== 200);
    assert.equal(failed.length, 2);
    for (const r of failed)
      assert.ok(delivered.has(r.body.deliveryId), "a retry carries the same delivery id");
    assert.equal(receiver.received.length, 5);

    const rows = await cairn.metadata.db.selectFrom("feedback_webhook_deliveries").selectAll().execute();
    const mine = rows.filter((row) => delivered.has(row.delivery_id));
    assert.equal(mine.length, 3);
    assert.ok(mine.every((row) => row.state === "delivered" && row.delivered_at !== null));
    assert.equal(
      mine.reduce((sum, row) => sum + row.attempts, 0),
      5,
      "attempts recorded",
    );
  } finally {
    await unsubscribe(receiver);
    await receiver.close();
  }
});

test("a receiver that is down at first gets the event once it is up: nothing is lost", async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/hook`;
  await subscribe("feature_created", url);
  try {
    const ideaId = await createIdea("While the receiver is down");
    const db = cairn.metadata.db;
    const pending = () =>
      db
        .selectFrom("feedback_webhook_deliveries as d")
        .innerJoin("feedback_hooks as h", "h.id", "d.hook_id")
        .selectAll("d")
        .where("h.target_url", "=", url)
        .executeTakeFirstOrThrow();
    await until(async () => (await pending()).attempts >= 2, "two refused attempts");
    const refused = await pending();
    assert.equal(refused.state, "pending");
    assert.match(refused.last_error ?? "", /ECONNREFUSED|fetch failed/);

    const receiver = await startReceiver(() => 200, { port });
    try {
      await until(() => receiver.delivered().size === 1, "the delivery");
      await sleep(pollMs * 10);
      assert.equal(receiver.received.length, 1);
      const [got] = receiver.received;
      assert.equal(got?.body.data.id, ideaId);
      assert.equal(got?.body.deliveryId, refused.delivery_id, "the same delivery id as the refused attempts");
      assert.equal((await pending()).state, "delivered");
    } finally {
      await receiver.close();
    }
  } finally {
    await unsubscribe({ url });
  }
});

test("subscribe validates the body and the URL; the same subscription twice is one hook", async () => {
  const url = "https://example.com/hooks/cairn";
  const bad: Array<[unknown, RegExp]> = [
    [{ event: "feature_created", target_url: url, secret: "x" }, /secret/],
    [{ event: "feature_deleted", target_url: url }, /event/],
    [{ event: "feature_created" }, /target_url/],
    [{ event: "feature_created", target_url: "ftp://example.com/x" }, /http or https/],
    [{ event: "feature_created", target_url: "not a url" }, /absolute URL/],
    [{ event: "feature_created", target_url: "https://user:pw@example.com/x" }, /user name or password/],
    [{ event: "feature_created", target_url: `https://example.com/${"a".repeat(2048)}` }, /target_url/],
  ];
  for (const [body, text] of bad) {
    const answer = await call<ErrorBody>("POST", "/api/v1/hooks", body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.equal(answer.body.error.code, "bad_request");
    assert.match(answer.body.error.message, text);
  }
  const unknown = await call<ErrorBody>("POST", "/api/v1/hooks/unsubscribe", { target_url: url, event: "x" });
  assert.equal(unknown.status, 400);

  const first = await subscribe("feature_created", url);
  const again = await call<{ id: string }>("POST", "/api/v1/hooks", {
    event: "feature_created",
    target_url: url,
  });
  assert.equal(again.status, 200);
  assert.equal(again.body.id, first.id);
  assert.equal((again.body as { secret?: string }).secret, undefined, "the secret is shown once");
  const list = await call<{ results: Array<{ id: string }> }>("GET", "/api/v1/hooks");
  assert.deepEqual(list.body.results.filter((h) => h.id === first.id).length, 1);
  assert.equal(await unsubscribe({ url }), 1);
});

test("the hook routes take only the feedback key: an integration key gets wrong_key_kind", async () => {
  const url = "https://example.com/hooks/guarded";
  const routes: Array<[string, string, unknown]> = [
    ["POST", "/api/v1/hooks", { event: "feature_created", target_url: url }],
    ["GET", "/api/v1/hooks", undefined],
    ["POST", "/api/v1/hooks/unsubscribe", { target_url: url }],
    ["DELETE", "/api/v1/hooks/hook_x", undefined],
  ];
  for (const [method, path, body] of routes) {
    const answer = await call<ErrorBody>(method, path, body, integrationKey);
    assert.equal(answer.status, 401, `${method} ${path}`);
    assert.equal(answer.body.error.code, "wrong_key_kind");
  }
  const none = await fetch(`${cairn.publicUrl}/api/v1/hooks`);
  assert.equal(none.status, 401);
  const hooks = await cairn.metadata.db
    .selectFrom("feedback_hooks")
    .select("id")
    .where("target_url", "=", url)
    .execute();
  assert.deepEqual(hooks, [], "nothing subscribed");
});

test("another subscription's hook is 404 and invisible; DELETE removes one hook", async () => {
  const url = "https://example.com/hooks/mine";
  const hook = await subscribe("feature_status_changed", url);
  const theirs = await call<ErrorBody>("DELETE", `/api/v1/hooks/${hook.id}`, undefined, otherKey);
  assert.equal(theirs.status, 404);
  assert.equal(theirs.body.error.code, "not_found");
  const theirList = await call<{ results: unknown[] }>("GET", "/api/v1/hooks", undefined, otherKey);
  assert.deepEqual(theirList.body.results, []);
  const theirUnsubscribe = await call<{ removed: number }>(
    "POST",
    "/api/v1/hooks/unsubscribe",
    { target_url: url },
    otherKey,
  );
  assert.deepEqual(theirUnsubscribe.body, { removed: 0 });

  const removed = await call("DELETE", `/api/v1/hooks/${hook.id}`);
  assert.equal(removed.status, 204);
  assert.equal((await call("DELETE", `/api/v1/hooks/${hook.id}`)).status, 404);
  const list = await call<{ results: Array<{ id: string }> }>("GET", "/api/v1/hooks");
  assert.ok(!list.body.results.some((h) => h.id === hook.id));
});

test("unsubscribe removes every hook of the URL and stops deliveries, pending ones too", async () => {
  const receiver = await startReceiver(() => 200);
  let down: Receiver | null = null;
  try {
    await subscribe("feature_created", receiver.url);
    await subscribe("feature_status_changed", receiver.url);
    const first = await createIdea("Before unsubscribing");
    await until(() => receiver.delivered().size === 1, "the first delivery");
    assert.equal(receiver.received[0]?.body.data.id, first);

    assert.equal(await unsubscribe(receiver), 2);
    const second = await createIdea("After unsubscribing");
    assert.equal((await call("PATCH", `/api/v1/ideas/${second}`, { status: "declined" })).status, 200);
    await sleep(pollMs * 15);
    assert.equal(receiver.received.length, 1, "nothing after unsubscribing");

    // A delivery still being retried is dropped with its hook.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hook`;
    await subscribe("feature_created", url);
    await createIdea("For a receiver that is down");
    const db = cairn.metadata.db;
    const rowsFor = () =>
      db
        .selectFrom("feedback_webhook_deliveries as d")
        .innerJoin("feedback_hooks as h", "h.id", "d.hook_id")
        .select("d.id")
        .where("h.target_url", "=", url)
        .execute();
    assert.equal((await rowsFor()).length, 1);
    assert.equal(await unsubscribe({ url }), 1);
    assert.equal((await rowsFor()).length, 0);
    down = await startReceiver(() => 200, { port });
    await sleep(pollMs * 15);
    assert.equal(down.received.length, 0);
  } finally {
    await receiver.close();
    await down?.close();
  }
});
