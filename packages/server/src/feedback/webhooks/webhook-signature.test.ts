import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { keysOfEveryKind, otherSubscriptionKey } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { verifyCairnSignature } from "./test-support/verify-signature.js";
import {
  localReceiverSettings,
  type Receiver,
  startReceiver,
  until,
} from "./test-support/webhook-receiver.js";

// The server's receivers are on 127.0.0.1 over http: allowed by the operator's exceptions, as
// CAIRN_WEBHOOK_ALLOW=127.0.0.1 and CAIRN_WEBHOOK_ALLOW_HTTP=true allow them.
let cairn: RunningCairn;
let feedbackKey: string;
let otherKey: string;
let receiver: Receiver;
let logs = "";

before(async () => {
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => {
    logs += chunk.toString();
  });
  const config = loadConfig(
    { dataDir: tempDir("hook-signatures"), port: "0", logLevel: "trace", ...localReceiverSettings },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, { logStream, webhooks: { pollMs: 20 } });
  feedbackKey = (await keysOfEveryKind(cairn)).feedback;
  otherKey = await otherSubscriptionKey(cairn, "feedback");
  receiver = await startReceiver();
});
after(async () => {
  await cairn.shutdown();
  await receiver.close();
});

async function call(method: string, path: string, body?: unknown, key = feedbackKey) {
  const response = await fetch(`${cairn.publicUrl}${path}`, {
    method,
    headers: {
      "X-Pendo-Integration-Key": key,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** Adds an idea and answers the delivery the receiver gets for it. */
async function deliveryOfNewIdea(title: string) {
  const idea = await call("POST", "/api/v1/ideas", { title, user: { id: "u-1" } });
  assert.equal(idea.status, 201);
  await until(() => receiver.received.some((r) => r.body.data.id === idea.body.id), "the delivery");
  const got = receiver.received.find((r) => r.body.data.id === idea.body.id);
  assert.ok(got);
  return got;
}

const now = () => Math.floor(Date.now() / 1000);

test("a receiver verifies a delivery with the secret shown once; a changed body or an old timestamp fails", async () => {
  const made = await call("POST", "/api/v1/hooks", { event: "feature_created", target_url: receiver.url });
  assert.equal(made.status, 201);
  assert.equal(made.headers.get("cache-control"), "no-store");
  const secret = String(made.body.secret);
  assert.match(secret, /^cws_[0-9A-Za-z]{43}$/);
  const listed = await call("GET", "/api/v1/hooks");
  assert.ok(!JSON.stringify(listed.body).includes(secret), "listing never shows the secret");

  const got = await deliveryOfNewIdea("Signed");
  const header = String(got.headers["cairn-signature"]);
  assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
  assert.equal(
    got.headers["cairn-webhook-id"],
    made.body.id,
    "names the hook, so a receiver picks its secret",
  );
  const t = Number(/t=(\d+)/.exec(header)?.[1]);
  assert.ok(Math.abs(now() - t) <= 5, "signed when sent");

  assert.equal(verifyCairnSignature(secret, got.raw, header), true, "verifies as the docs say");
  assert.equal(
    verifyCairnSignature(secret, got.raw.replace("Signed", "Forged"), header),
    false,
    "changed body",
  );
  assert.equal(verifyCairnSignature(secret, `${got.raw} `, header), false, "one byte more");
  assert.equal(verifyCairnSignature(secret, got.raw, header, t + 301), false, "more than 5 minutes old");
  assert.equal(verifyCairnSignature(secret, got.raw, header, t - 301), false, "from the future");
  assert.equal(verifyCairnSignature(secret, got.raw, header, t + 300), true, "within 5 minutes");
  assert.equal(verifyCairnSignature(`${secret}x`, got.raw, header), false, "another secret");
  assert.equal(
    verifyCairnSignature(secret, got.raw, header.replace(`t=${t}`, `t=${t + 1}`)),
    false,
    "moved t",
  );
  // An old delivery re-signed with a fresh time by someone without the secret cannot be made to verify.
  const forged = `t=${now()},v1=${createHmac("sha256", "guess").update(`${now()}.${got.raw}`).digest("hex")}`;
  assert.equal(verifyCairnSignature(secret, got.raw, forged), false);

  const again = await call("POST", "/api/v1/hooks", { event: "feature_created", target_url: receiver.url });
  assert.equal(again.status, 200);
  assert.equal(again.body.secret, undefined, "shown once");
  assert.ok(!logs.includes(secret.slice(4)), "the secret is in no log line");
  assert.ok(logs.includes("/api/v1/hooks"), "requests were logged");
  await call("POST", "/api/v1/hooks/unsubscribe", { target_url: receiver.url });
});

test("rolling a hook's secret answers a new one once; deliveries are signed with it, not the old one", async () => {
  const made = await call("POST", "/api/v1/hooks", { event: "feature_created", target_url: receiver.url });
  const old = String(made.body.secret);
  const id = String(made.body.id);
  const theirs = await call("POST", `/api/v1/hooks/${id}/roll-secret`, undefined, otherKey);
  assert.equal(theirs.status, 404, "another subscription's hook");

  const rolled = await call("POST", `/api/v1/hooks/${id}/roll-secret`);
  assert.equal(rolled.status, 200);
  assert.equal(rolled.headers.get("cache-control"), "no-store");
  assert.equal(rolled.body.id, id);
  const secret = String(rolled.body.secret);
  assert.match(secret, /^cws_/);
  assert.notEqual(secret, old);

  const got = await deliveryOfNewIdea("After the roll");
  const header = String(got.headers["cairn-signature"]);
  assert.equal(verifyCairnSignature(secret, got.raw, header), true);
  assert.equal(verifyCairnSignature(old, got.raw, header), false);
  assert.ok(!logs.includes(secret.slice(4)));
  await call("POST", "/api/v1/hooks/unsubscribe", { target_url: receiver.url });
});
