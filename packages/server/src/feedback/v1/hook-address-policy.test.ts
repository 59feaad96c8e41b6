import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../platform/config/load-config.js";
import { type RunningCairn, startCairn } from "../../start/start-cairn.js";
import { keysOfEveryKind } from "../../start/test-support/keys-of-every-kind.js";
import { tempDir } from "../../start/test-support/temp-dir.js";
import { until } from "../webhooks/test-support/webhook-receiver.js";

// A server with the default policy: public https receivers only, no exceptions. Its resolver answers
// 127.0.0.1 for rebind.example, as a name that rebinds after registration would.
let cairn: RunningCairn;
let feedbackKey: string;

before(async () => {
  const config = loadConfig(
    { dataDir: tempDir("hook-policy"), port: "0", logLevel: "silent" },
    {},
    process.cwd(),
  );
  cairn = await startCairn(config, {
    webhooks: {
      pollMs: 20,
      resolve: async (hostname) =>
        hostname === "rebind.example"
          ? [{ address: "127.0.0.1", family: 4 }]
          : [{ address: "192.0.2.1", family: 4 }],
    },
  });
  feedbackKey = (await keysOfEveryKind(cairn)).feedback;
});
after(() => cairn.shutdown());

async function subscribe(path: string, targetUrl: string) {
  const response = await fetch(`${cairn.publicUrl}${path}`, {
    method: "POST",
    headers: { "X-Pendo-Integration-Key": feedbackKey, "Content-Type": "application/json" },
    body: JSON.stringify({ event: "feature_created", target_url: targetUrl }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      id?: string;
      secret?: string;
      error?: { code: string; message: string };
    },
  };
}

test("registration refuses internal addresses of every range, in every spelling, saying what to do", async () => {
  const refused: Array<[string, RegExp]> = [
    ["https://127.0.0.1/hook", /127\.0\.0\.1, a loopback address/],
    ["https://127.1:8443/hook", /127\.0\.0\.1, a loopback address/],
    ["https://2130706433/hook", /127\.0\.0\.1, a loopback address/],
    ["https://0.0.0.0/hook", /unspecified/],
    ["https://10.0.0.5/hook", /10\.0\.0\.5, a private address/],
    ["https://172.20.1.1/hook", /private/],
    ["https://192.168.0.10/hook", /private/],
    ["https://100.64.1.1/hook", /shared \(CGNAT\)/],
    ["https://169.254.169.254/latest/meta-data", /169\.254\.169\.254, a link-local address/],
    ["https://224.0.0.1/hook", /multicast/],
    ["https://255.255.255.255/hook", /broadcast/],
    ["https://[::1]/hook", /::1, a loopback address/],
    ["https://[::]/hook", /unspecified/],
    ["https://[fd00::1]/hook", /unique-local/],
    ["https://[fe80::1]/hook", /link-local/],
    ["https://[ff02::1]/hook", /multicast/],
    ["https://[::ffff:127.0.0.1]/hook", /::ffff:7f00:1 \(IPv4 127\.0\.0\.1\), a loopback address/],
    ["https://[::ffff:169.254.169.254]/hook", /IPv4 169\.254\.169\.254\), a link-local address/],
    ["https://[64:ff9b::10.0.0.1]/hook", /IPv4 10\.0\.0\.1\), a private address/],
    ["https://localhost/hook", /localhost is an internal host name/],
    ["https://LOCALHOST./hook", /localhost is an internal host name/],
    ["https://metadata.google.internal/computeMetadata/v1/", /internal host name/],
    ["https://printer.local/hook", /internal host name/],
    ["https://intranet/hook", /intranet is an internal host name/],
  ];
  for (const path of ["/api/v1/hooks", "/feedback/hooks"]) {
    for (const [url, reason] of refused) {
      const answer = await subscribe(path, url);
      assert.equal(answer.status, 400, `${path} ${url}`);
      assert.equal(answer.body.error?.code, "bad_request");
      assert.match(answer.body.error?.message ?? "", /^target_url points inside a network/, url);
      assert.match(answer.body.error?.message ?? "", reason, url);
      assert.match(answer.body.error?.message ?? "", /CAIRN_WEBHOOK_ALLOW/, "says what to do");
    }
  }
  const hooks = await cairn.metadata.db.selectFrom("feedback_hooks").select("target_url").execute();
  assert.deepEqual(hooks, [], "nothing registered");
});

test("registration refuses http:// unless the operator allows it", async () => {
  for (const path of ["/api/v1/hooks", "/feedback/hooks"]) {
    const answer = await subscribe(path, "http://hooks.example.com/cairn");
    assert.equal(answer.status, 400);
    assert.match(answer.body.error?.message ?? "", /must be an https URL.*CAIRN_WEBHOOK_ALLOW_HTTP=true/);
  }
  const ok = await subscribe("/api/v1/hooks", "https://hooks.example.com/cairn");
  assert.equal(ok.status, 201);
});

test("a name that resolves inside the network when connected to is refused, and the delivery fails at once", async () => {
  const made = await subscribe("/api/v1/hooks", "https://rebind.example/hook");
  assert.equal(made.status, 201, "a public-looking name passes registration");
  const idea = await fetch(`${cairn.publicUrl}/api/v1/ideas`, {
    method: "POST",
    headers: { "X-Pendo-Integration-Key": feedbackKey, "Content-Type": "application/json" },
    body: JSON.stringify({ title: "Rebinding", user: { id: "u-1" } }),
  });
  assert.equal(idea.status, 201);
  const row = () =>
    cairn.metadata.db
      .selectFrom("feedback_webhook_deliveries")
      .selectAll()
      .where("hook_id", "=", made.body.id ?? "")
      .executeTakeFirstOrThrow();
  await until(async () => (await row()).state !== "pending", "the delivery to be settled");
  const settled = await row();
  assert.equal(settled.state, "failed");
  assert.equal(settled.attempts, 0, "no request was made");
  assert.equal(
    settled.last_error,
    "refused: rebind.example resolves to 127.0.0.1, a loopback address; add the host or address to CAIRN_WEBHOOK_ALLOW to allow it",
  );
});
